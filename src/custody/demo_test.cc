// The demo generator: it issues what it is asked for on any store, and its
// memory is bounded — past what it remembers, new holdings take the place
// of old ones (this once indexed past the end of a vector and crashed the
// ten-million-event run at 1.1 million).
#include "custody/demo.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "custody/data_dir.h"
#include "verify/audit.h"

namespace strongroom {
namespace {

TEST(DemoTest, AGeneratorThatRemembersLittleStillIssuesEveryEvent) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-demo-remember";
  std::filesystem::remove_all(dir);
  auto data = DataDir::Init(dir, "demo.example/log", SystemRandom()).value();
  SequencerOptions options;
  auto seq = Sequencer::Start(data->store(), data->signer().value(), SystemClock(),
                              SystemRandom(), options)
                 .value();
  // 64 holdings remembered, thousands registered: the cap is hit in the
  // first rounds and every later registration replaces one.
  auto stats = RunDemo(seq.get(), data->store(), 20000, 3, 512, nullptr, 64);
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_GE(stats->custody_events, 20000u);
  seq.reset();
  auto report = AuditStore(data.get(), std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
}

}  // namespace
}  // namespace strongroom
