// Crash test: a child process appends under load and is killed with SIGKILL
// at random moments, many times. After each kill every acknowledged event is
// in the log, the store verifies, and the tree is consistent with every
// checkpoint the child acknowledged before it died.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "base/encoding.h"
#include "cli_harness.h"
#include "custody/data_dir.h"
#include "ledger/proof.h"
#include "verify/audit.h"

namespace strongroom::testing {
namespace {

struct Ack {
  std::string leaf_hash;  // base64
  uint64_t tree_size;
  std::string root;  // base64
};

// Starts `strongroom demo --print-acks` and kills it with SIGKILL `ms` after
// it starts, or, with `after_first_ack`, `ms` after its first
// acknowledgement (so that a slow, loaded machine still kills it in the
// middle of custody events rather than always during set-up). Returns what
// it acknowledged.
std::map<uint64_t, Ack> RunAndKill(const std::string& dir, int ms, uint64_t seed,
                                   bool after_first_ack) {
  int pipefd[2];
  EXPECT_EQ(pipe(pipefd), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 1);
    close(pipefd[0]);
    const std::string seed_s = std::to_string(seed);
    execl(STRONGROOM_BINARY, STRONGROOM_BINARY, "demo", "--data", dir.c_str(), "--events",
          "1000000", "--window", "64", "--seed", seed_s.c_str(), "--print-acks",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipefd[1]);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto give_up = start + std::chrono::seconds(120);  // never acknowledging is a failure
  auto deadline = after_first_ack ? give_up : start + std::chrono::milliseconds(ms);
  std::string out;
  char buf[65536];
  for (;;) {
    const auto now = Clock::now();
    if (now >= deadline) break;
    pollfd p{pipefd[0], POLLIN, 0};
    const int wait =
        static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) +
        1;
    if (poll(&p, 1, wait) <= 0) continue;
    const ssize_t n = read(pipefd[0], buf, sizeof buf);
    if (n <= 0) break;  // the child exited
    out.append(buf, static_cast<size_t>(n));
    if (after_first_ack && deadline == give_up && out.find("ack ") != std::string::npos) {
      deadline = Clock::now() + std::chrono::milliseconds(ms);
    }
  }
  kill(pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<size_t>(n));
  close(pipefd[0]);
  std::map<uint64_t, Ack> acks;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string word;
    uint64_t index;
    Ack a;
    // A line cut by the kill does not parse completely and is ignored: only
    // complete acknowledgements count.
    if (ls >> word >> index >> a.leaf_hash >> a.tree_size >> a.root && word == "ack" &&
        a.root.size() == 44) {
      acks[index] = a;
    }
  }
  return acks;
}

TEST(CrashTest, AcknowledgedEventsSurviveSigkill) {
  const std::string dir = TempDir("crash") + "/data";
  ASSERT_EQ(Strongroom({"init", "--data", dir, "--origin", "crash.example/log"}).code, 0);
  std::mt19937 rng(42);
  std::map<uint64_t, Ack> all_acks;
  std::map<uint64_t, std::string> seen_roots;  // tree size -> root, acknowledged
  constexpr int kKills = 12;
  for (int round = 0; round < kKills; ++round) {
    const int ms = 150 + static_cast<int>(rng() % 600);
    // Odd rounds may die in the set-up; even ones die among custody events.
    auto acks = RunAndKill(dir, ms, static_cast<uint64_t>(round) + 1, round % 2 == 0);
    for (const auto& [i, a] : acks) {
      all_acks[i] = a;
      seen_roots[a.tree_size] = a.root;
    }
    auto data = DataDir::Open(dir, DataDir::Mode::kRead);
    ASSERT_TRUE(data.ok()) << data.status().ToString();
    Store* store = (*data)->store();
    const uint64_t size = store->LogSize().value();
    // Every acknowledged event is present, byte for byte.
    for (const auto& [index, ack] : all_acks) {
      ASSERT_LT(index, size) << "acknowledged entry " << index << " lost in round " << round;
      std::string leaf;
      ASSERT_TRUE(store
                      ->ScanEntries(index, index + 1,
                                    [&](uint64_t, std::string_view e) {
                                      leaf = Base64Encode(LeafHash(e).view());
                                      return OkStatus();
                                    })
                      .ok());
      ASSERT_EQ(leaf, ack.leaf_hash) << "entry " << index;
    }
    // The tree is consistent with every acknowledged checkpoint.
    TileNodeReader reader(
        [&](int level, uint64_t index, uint64_t) { return store->ReadTile(level, index); });
    for (const auto& [tree_size, root] : seen_roots) {
      ASSERT_LE(tree_size, size);
      ASSERT_EQ(Base64Encode(TreeRoot(&reader, tree_size).value().view()), root)
          << "tree size " << tree_size;
    }
    auto report = AuditStore(data->get(), std::nullopt);
    ASSERT_TRUE(report.ok());
    ASSERT_TRUE(report->ok()) << report->problems.front();
  }
  EXPECT_GT(all_acks.size(), 100u) << "the child acknowledged too little to test anything";
  // And the store still takes writes after all that.
  EXPECT_EQ(Strongroom({"demo", "--data", dir, "--events", "10"}).code, 0);
}

}  // namespace
}  // namespace strongroom::testing
