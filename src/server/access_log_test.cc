#include "server/access_log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "json/canonical.h"

namespace strongroom {
namespace {

std::string Contents(FILE* f) {
  std::rewind(f);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  return out;
}

std::vector<Json> Lines(const std::string& text) {
  std::vector<Json> out;
  for (size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1) {
    out.push_back(Json::parse(text.substr(at, end - at), nullptr, false));
  }
  return out;
}

TEST(AccessLogTest, EveryLineIsJsonWhateverThePathHolds) {
  FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  const std::string odd = std::string("/a\"b\\c\x01\x7f\xc3\xa9 d");
  {
    AccessLog log(f);
    log.Record(0, "127.0.0.1", "GET", "/tile/0/000", 200, 0.0012345);
    log.Record(1'000'000, "::1", "POST", odd, 404, 2.5);
  }  // destroyed: everything written
  const auto lines = Lines(Contents(f));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["time"], FormatRfc3339(0));
  EXPECT_EQ(lines[0]["peer"], "127.0.0.1");
  EXPECT_EQ(lines[0]["path"], "/tile/0/000");
  EXPECT_EQ(lines[0]["status"], 200);
  EXPECT_DOUBLE_EQ(lines[0]["ms"].get<double>(), 1.23);
  ASSERT_TRUE(lines[1].is_object());
  EXPECT_EQ(lines[1]["method"], "POST");
  // Printable ASCII as is; every other byte as \u00XX of its value.
  EXPECT_EQ(lines[1]["path"], "/a\"b\\c\u0001\u007f\u00c3\u00a9 d");
  EXPECT_EQ(lines[1]["status"], 404);
  std::fclose(f);
}

TEST(AccessLogTest, ConcurrentWritersLoseNoLineAndMixNone) {
  FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  constexpr int kThreads = 4, kEach = 20000;  // over 64 KiB: flushes while writing
  {
    AccessLog log(f);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&log, t] {
        for (int i = 0; i < kEach; ++i) {
          log.Record(0, "p" + std::to_string(t), "GET", "/" + std::to_string(i), 200, 0);
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  const auto lines = Lines(Contents(f));
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kEach));
  std::vector<int> next(kThreads, 0);
  for (const Json& line : lines) {
    ASSERT_TRUE(line.is_object());
    const int t = std::stoi(line["peer"].get<std::string>().substr(1));
    // Each writer's lines in its own order.
    EXPECT_EQ(line["path"], "/" + std::to_string(next[t]++));
  }
  std::fclose(f);
}

TEST(AccessLogTest, WithoutAFileNothingHappens) {
  AccessLog log(nullptr);
  log.Record(0, "x", "GET", "/", 200, 0);  // no crash, no thread
}

}  // namespace
}  // namespace strongroom
