// Power loss: the store loses every write it had not synced (the SQLite VFS
// of store/power_loss_vfs.h undoes them, as a power cut would), with the
// sequencer under load or idle. After it every acknowledged event is in the
// log byte for byte, the tree is the one every acknowledged checkpoint
// signed, the next sequencer signs whatever tail was committed but not
// covered, and the store verifies. (tests/crash_test.cc kills the process
// instead: the operating system then keeps what was written, synced or not.)
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <map>
#include <random>
#include <thread>

#include "base/encoding.h"
#include "custody/data_dir.h"
#include "custody/sequencer.h"
#include "custody/test_events.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"
#include "store/power_loss_vfs.h"
#include "verify/audit.h"

namespace strongroom {
namespace {

using testing::Registration;

// The root a signed checkpoint states (its third line).
std::string RootOf(const std::string& checkpoint) {
  const size_t a = checkpoint.find('\n'), b = checkpoint.find('\n', a + 1);
  return checkpoint.substr(b + 1, checkpoint.find('\n', b + 1) - b - 1);
}

class PowerLossTest : public ::testing::TestWithParam<bool> {
 protected:
  bool under_load() const { return GetParam(); }

  // Opens the store and a sequencer as strongroomd does (pipelined, with its
  // own read connection).
  void Start() {
    auto data = std::filesystem::exists(dir_ + "/strongroom.db")
                    ? DataDir::Open(dir_, DataDir::Mode::kWrite)
                    : DataDir::Init(dir_, "power.example/log", SystemRandom());
    ASSERT_TRUE(data.ok()) << data.status().message();
    data_ = std::move(*data);
    reads_ = data_->OpenReadStore().value();
    SequencerOptions options;
    options.read_store = reads_.get();
    auto seq = Sequencer::Start(data_->store(), data_->signer().value(), SystemClock(),
                                SystemRandom(), options);
    ASSERT_TRUE(seq.ok()) << seq.status().message();
    seq_ = std::move(*seq);
  }
  void Stop() {
    seq_.reset();
    reads_.reset();
    data_.reset();
  }
  void Acknowledged(const Receipt& r) {
    acks_[r.index] = r.entry;
    roots_[r.tree_size] = RootOf(r.checkpoint);
  }

  // Every acknowledged event and checkpoint is in the store as it was
  // acknowledged; the store verifies.
  void CheckEverythingAcknowledgedSurvived() {
    Store* store = data_->store();
    const uint64_t size = store->LogSize().value();
    EXPECT_EQ(store->CountEntries().value(), size) << "the restarted sequencer signs the tail";
    for (const auto& [index, entry] : acks_) {
      ASSERT_LT(index, size) << "acknowledged entry " << index << " lost";
      std::string stored;
      ASSERT_TRUE(store
                      ->ScanEntries(index, index + 1,
                                    [&](uint64_t, std::string_view e) {
                                      stored = std::string(e);
                                      return OkStatus();
                                    })
                      .ok());
      ASSERT_EQ(stored, entry) << "entry " << index;
    }
    TileNodeReader reader(
        [&](int level, uint64_t index, uint64_t) { return store->ReadTile(level, index); });
    for (const auto& [tree_size, root] : roots_) {
      ASSERT_LE(tree_size, size);
      ASSERT_EQ(Base64Encode(TreeRoot(&reader, tree_size).value().view()), root)
          << "tree size " << tree_size;
    }
    auto report = AuditStore(data_.get(), std::nullopt);
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
  }

  std::string dir_;
  PowerLossVfs vfs_;  // before any store is opened: every connection goes through it
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<Store> reads_;
  std::unique_ptr<Sequencer> seq_;
  std::map<uint64_t, std::string> acks_;   // index -> entry
  std::map<uint64_t, std::string> roots_;  // tree size -> root (base64)
};

TEST_P(PowerLossTest, EveryAcknowledgedEventSurvivesAPowerCut) {
  dir_ = std::string(::testing::TempDir()) + "strongroom-power-loss-" +
         (under_load() ? "load" : "idle");
  std::filesystem::remove_all(dir_);
  ASSERT_NO_FATAL_FAILURE(Start());
  for (Event e : testing::SetUpEvents()) {
    auto r = seq_->Submit(testing::Signed(seq_->origin(), std::move(e)));
    ASSERT_TRUE(r.ok()) << r.status().message();
    Acknowledged(*r);
  }
  std::mt19937 rng(7);
  uint64_t undone = 0;
  int next = 0;
  for (int round = 0; round < 4; ++round) {
    // Registrations in flight; the power goes while they are (under load) or
    // once every one was answered (idle: the last checkpoint is stored with
    // synchronous=NORMAL, so it is never synced and the cut takes it).
    std::vector<std::future<Result<Receipt>>> futures;
    for (int i = 0; i < 2000; ++i) {
      futures.push_back(seq_->SubmitAsync(testing::Signed(seq_->origin(), Registration("X-" + std::to_string(next++)))));
    }
    if (under_load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 80));
      vfs_.CutPower();
    }
    size_t answered = 0;
    for (auto& f : futures) {
      auto r = f.get();
      if (r.ok()) {
        ++answered;
        Acknowledged(*r);
      }
    }
    if (!under_load()) {
      EXPECT_EQ(answered, futures.size());
      // The background WAL checkpoint syncs whatever was written before it
      // runs; once it has restarted the WAL, a small batch's commit does not
      // ask for another, and its checkpoint note stays unsynced.
      for (int more = 0; more < 100 && vfs_.unsynced_bytes() == 0; ++more) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        auto r = seq_->Submit(testing::Signed(seq_->origin(), Registration("X-" + std::to_string(next++))));
        ASSERT_TRUE(r.ok()) << r.status().message();
        Acknowledged(*r);
      }
      EXPECT_GT(vfs_.unsynced_bytes(), 0u) << "the last checkpoint is written but not synced";
      vfs_.CutPower();
    }
    Stop();
    auto restored = vfs_.RestoreDurableState();
    ASSERT_TRUE(restored.ok()) << restored.status().message();
    undone += *restored;
    ASSERT_NO_FATAL_FAILURE(Start());
    ASSERT_NO_FATAL_FAILURE(CheckEverythingAcknowledgedSurvived()) << "round " << round;
  }
  EXPECT_GT(undone, 0u) << "no write was ever lost: the test tested nothing";
  EXPECT_GT(acks_.size(), 100u);
  // The store still takes events.
  auto r = seq_->Submit(testing::Signed(seq_->origin(), Registration("AFTER")));
  ASSERT_TRUE(r.ok()) << r.status().message();
  Stop();
}

INSTANTIATE_TEST_SUITE_P(Cuts, PowerLossTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "UnderLoad" : "Idle"; });

}  // namespace
}  // namespace strongroom
