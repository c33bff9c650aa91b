// The sequencer when a commit fails: every caller of that batch gets the
// error, nothing of the batch is applied to the projection, and the log goes
// on at the right index; when a commit is durable but reported lost, the
// callers are told it failed, the sequencer re-reads the store, and the log
// and projection agree. Either way the store verifies afterwards. (The
// failure is injected by store/fault_injecting_store.h.)
#include "custody/sequencer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "custody/data_dir.h"
#include "store/fault_injecting_store.h"
#include "verify/audit.h"

namespace strongroom {
namespace {

class SequencerFaultTest : public ::testing::TestWithParam<FaultInjectingStore::Fault> {
 protected:
  void SetUp() override {
    dir_ = std::string(::testing::TempDir()) + "strongroom-sequencer-fault-" +
           std::to_string(static_cast<int>(GetParam()));
    std::filesystem::remove_all(dir_);
    auto data = DataDir::Init(dir_, "faults.example/log", SystemRandom());
    ASSERT_TRUE(data.ok()) << data.status().message();
    data_ = std::move(*data);
    faulty_ = std::make_unique<FaultInjectingStore>(data_->store());
    auto seq = Sequencer::Start(faulty_.get(), data_->signer().value(), SystemClock(),
                                SystemRandom());
    ASSERT_TRUE(seq.ok()) << seq.status().message();
    seq_ = std::move(*seq);
    Submit(EventType::kPersonAdd, "ADM", {},
           {{"person", "ADM"}, {"name", "Ada"}, {"unit", "Security"},
            {"roles", {"administrator", "security_manager"}}, {"clearance", "TOP SECRET"}});
    Submit(EventType::kFacilityAdd, "ADM", {}, {{"facility", "HQ"}, {"name", "HQ"}});
    Submit(EventType::kLocationAdd, "ADM", {},
           {{"location", "V1"}, {"facility", "HQ"}, {"name", "Vault"}, {"kind", "vault"}});
    Submit(EventType::kPersonAdd, "ADM", {},
           {{"person", "CUS"}, {"name", "Cus"}, {"unit", "Registry"},
            {"roles", {"custodian"}}, {"clearance", "SECRET"}, {"facility", "HQ"}});
  }
  static Event Ev(EventType type, const std::string& actor, std::vector<std::string> holdings,
                  Json fields) {
    Event e;
    e.type = type;
    e.actor = actor;
    e.holdings = std::move(holdings);
    e.fields = std::move(fields);
    return e;
  }
  void Submit(EventType type, const std::string& actor, std::vector<std::string> holdings,
              Json fields) {
    auto r = seq_->Submit(Ev(type, actor, std::move(holdings), std::move(fields)));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->outcome, Outcome::kAccepted);
  }
  static Event Registration(const std::string& id) {
    return Ev(EventType::kHoldingRegister, "CUS", {id},
              {{"kind", "document"}, {"title", "Item " + id}, {"location", "V1"}});
  }
  bool Exists(const std::string& holding) {
    auto row = data_->store()->GetRow(kHoldingsTable, {holding});
    EXPECT_TRUE(row.ok());
    return row.ok() && row->has_value();
  }

  std::string dir_;
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<FaultInjectingStore> faulty_;
  std::unique_ptr<Sequencer> seq_;
};

TEST_P(SequencerFaultTest, AFailedCommitAnswersItsBatchWithTheErrorAndTheLogGoesOn) {
  const bool durable = GetParam() == FaultInjectingStore::Fault::kAfterCommit;
  const uint64_t before = seq_->size();
  faulty_->FailCommitOf(before, GetParam());
  // Many registrations in flight at once: the sequencer batches them as it
  // finds them queued; the batch that holds entry `before` fails.
  std::vector<std::future<Result<Receipt>>> futures;
  constexpr int kEvents = 200;
  for (int i = 0; i < kEvents; ++i) {
    futures.push_back(seq_->SubmitAsync(Registration("X-" + std::to_string(i))));
  }
  std::vector<int> failed, accepted;
  std::vector<Receipt> receipts;
  for (int i = 0; i < kEvents; ++i) {
    auto r = futures[static_cast<size_t>(i)].get();
    if (r.ok()) {
      EXPECT_EQ(r->outcome, Outcome::kAccepted);
      accepted.push_back(i);
      receipts.push_back(*r);
    } else {
      EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().message();
      EXPECT_NE(r.status().message().find("injected fault"), std::string::npos);
      failed.push_back(i);
    }
  }
  EXPECT_EQ(faulty_->failed_commits(), 1u);
  ASSERT_FALSE(failed.empty());
  // The failed batch is a run of consecutive submissions (one batch).
  EXPECT_EQ(failed.back() - failed.front() + 1, static_cast<int>(failed.size()));

  // Every acknowledged event is in the log at its index, byte for byte.
  for (const Receipt& r : receipts) {
    std::string stored;
    ASSERT_TRUE(data_->store()
                    ->ScanEntries(r.index, r.index + 1,
                                  [&](uint64_t, std::string_view e) {
                                    stored = std::string(e);
                                    return OkStatus();
                                  })
                    .ok());
    EXPECT_EQ(stored, r.entry);
  }
  // Before the commit: the failed events are nowhere. After it: they are in
  // the log and the projection, though their callers were told otherwise.
  const uint64_t written = durable ? kEvents : accepted.size();
  auto size = data_->store()->LogSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, before + written);
  for (int i : failed) EXPECT_EQ(Exists("X-" + std::to_string(i)), durable) << i;
  for (int i : accepted) EXPECT_TRUE(Exists("X-" + std::to_string(i))) << i;

  // Retrying a failed registration: accepted if it was lost, refused as a
  // duplicate if it was in fact durable (the state was re-read).
  auto retry = seq_->Submit(Registration("X-" + std::to_string(failed.front())));
  if (durable) {
    ASSERT_FALSE(retry.ok());
    EXPECT_EQ(retry.status().code(), StatusCode::kAlreadyExists) << retry.status().message();
  } else {
    ASSERT_TRUE(retry.ok()) << retry.status().message();
  }
  auto next = seq_->Submit(Registration("AFTER"));
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(next->index, before + written + (durable ? 0 : 1));
  EXPECT_EQ(seq_->size(), next->index + 1);

  seq_.reset();
  auto report = AuditStore(data_.get(), std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
}

INSTANTIATE_TEST_SUITE_P(Faults, SequencerFaultTest,
                         ::testing::Values(FaultInjectingStore::Fault::kBeforeCommit,
                                           FaultInjectingStore::Fault::kAfterCommit),
                         [](const auto& info) {
                           return info.param == FaultInjectingStore::Fault::kBeforeCommit
                                      ? std::string("BeforeCommit")
                                      : std::string("AfterCommit");
                         });

}  // namespace
}  // namespace strongroom
