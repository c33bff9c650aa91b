// The sequencer when a commit fails: every caller of that batch gets the
// error, nothing of the batch is applied to the projection, and the log goes
// on at the right index; when a commit is durable but reported lost, the
// callers are told it failed, the sequencer re-reads the store, and the log
// and projection agree. Either way the store verifies afterwards. (The
// failure is injected by store/fault_injecting_store.h.)
#include "custody/sequencer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <future>

#include "custody/data_dir.h"
#include "custody/test_events.h"
#include "ledger/log_writer.h"
#include "ledger/tiles.h"
#include "store/fault_injecting_store.h"
#include "store/sqlite_store.h"
#include "verify/audit.h"

namespace strongroom {
namespace {

using testing::Registration;

// Each test runs for both faults, with the sequencer pipelined (batch N+1
// admitted while N commits) and not.
class SequencerFaultTest
    : public ::testing::TestWithParam<std::tuple<FaultInjectingStore::Fault, bool>> {
 protected:
  FaultInjectingStore::Fault fault() const { return std::get<0>(GetParam()); }
  bool pipelined() const { return std::get<1>(GetParam()); }
  void SetUp() override {
    dir_ = std::string(::testing::TempDir()) + "strongroom-sequencer-fault-" +
           std::to_string(static_cast<int>(fault())) + (pipelined() ? "-pipelined" : "");
    std::filesystem::remove_all(dir_);
    auto data = DataDir::Init(dir_, "faults.example/log", SystemRandom());
    ASSERT_TRUE(data.ok()) << data.status().message();
    data_ = std::move(*data);
    faulty_ = std::make_unique<FaultInjectingStore>(data_->store());
    SequencerOptions options;
    if (pipelined()) {
      reads_ = data_->OpenReadStore().value();
      options.read_store = reads_.get();
    }
    auto seq = Sequencer::Start(faulty_.get(), data_->signer().value(), SystemClock(),
                                SystemRandom(), options);
    ASSERT_TRUE(seq.ok()) << seq.status().message();
    seq_ = std::move(*seq);
    for (Event e : testing::SetUpEvents()) {
      auto r = seq_->Submit(testing::Signed(seq_->origin(), std::move(e)));
      ASSERT_TRUE(r.ok()) << r.status().message();
    }
  }
  bool Exists(const std::string& holding) {
    auto row = data_->store()->GetRow(kHoldingsTable, {holding});
    EXPECT_TRUE(row.ok());
    return row.ok() && row->has_value();
  }

  std::string dir_;
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<FaultInjectingStore> faulty_;
  std::unique_ptr<Store> reads_;
  std::unique_ptr<Sequencer> seq_;
};

TEST_P(SequencerFaultTest, AFailedCommitAnswersItsBatchWithTheErrorAndTheLogGoesOn) {
  const bool durable = fault() == FaultInjectingStore::Fault::kAfterCommit;
  const uint64_t before = seq_->size();
  faulty_->FailCommitOf(before, fault());
  // Many registrations in flight at once: the sequencer batches them as it
  // finds them queued; the batch that holds entry `before` fails.
  std::vector<std::future<Result<Receipt>>> futures;
  constexpr int kEvents = 200;
  for (int i = 0; i < kEvents; ++i) {
    futures.push_back(seq_->SubmitAsync(testing::Signed(seq_->origin(), Registration("X-" + std::to_string(i)))));
  }
  // The failed batch's callers hear the fault; with pipelining, so do the
  // callers of the batch admitted on top of it (nothing of it is written).
  std::vector<int> failed, accepted, injected, on_top;
  std::vector<Receipt> receipts;
  for (int i = 0; i < kEvents; ++i) {
    auto r = futures[static_cast<size_t>(i)].get();
    if (r.ok()) {
      EXPECT_EQ(r->outcome, Outcome::kAccepted);
      accepted.push_back(i);
      receipts.push_back(*r);
      continue;
    }
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().message();
    failed.push_back(i);
    if (r.status().message().find("injected fault") != std::string::npos) {
      injected.push_back(i);
    } else {
      EXPECT_NE(r.status().message().find("an earlier batch failed to commit"), std::string::npos)
          << r.status().message();
      on_top.push_back(i);
    }
  }
  ASSERT_FALSE(injected.empty());
  if (!pipelined()) {
    EXPECT_TRUE(on_top.empty());
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
  const uint64_t written = accepted.size() + (durable ? injected.size() : 0);
  auto size = data_->store()->CountEntries();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, before + written);
  for (int i : injected) EXPECT_EQ(Exists("X-" + std::to_string(i)), durable) << i;
  for (int i : on_top) EXPECT_FALSE(Exists("X-" + std::to_string(i))) << i;
  for (int i : accepted) EXPECT_TRUE(Exists("X-" + std::to_string(i))) << i;

  // Retrying a failed registration: accepted if it was lost, refused as a
  // duplicate if it was in fact durable (the state was re-read).
  auto retry = seq_->Submit(testing::Signed(seq_->origin(), Registration("X-" + std::to_string(injected.front()))));
  if (durable) {
    ASSERT_FALSE(retry.ok());
    EXPECT_EQ(retry.status().code(), StatusCode::kAlreadyExists) << retry.status().message();
  } else {
    ASSERT_TRUE(retry.ok()) << retry.status().message();
  }
  auto next = seq_->Submit(testing::Signed(seq_->origin(), Registration("AFTER")));
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(next->index, before + written + (durable ? 0 : 1));
  EXPECT_EQ(seq_->size(), next->index + 1);
  EXPECT_EQ(data_->store()->LogSize().value(), next->index + 1);  // all covered again

  seq_.reset();
  auto report = AuditStore(data_.get(), std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
}

// Commit first, then sign: a batch whose checkpoint is not stored is durable
// but not covered; its callers hear so; the next sequencer signs it (it is
// the log's own: its committed head says so).
TEST_P(SequencerFaultTest, ABatchCommittedButNotSignedIsSignedByTheNextSequencer) {
  const uint64_t before = seq_->size();
  faulty_->FailNextCheckpoint();
  auto r = seq_->Submit(testing::Signed(seq_->origin(), Registration("UNSIGNED")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("committed, but its checkpoint was not stored"),
            std::string::npos)
      << r.status().message();
  Store* store = data_->store();
  EXPECT_EQ(store->CountEntries().value(), before + 1);
  EXPECT_EQ(store->LogSize().value(), before);
  EXPECT_TRUE(Exists("UNSIGNED"));
  seq_.reset();
  {
    auto report = AuditStore(data_.get(), std::nullopt);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok()) << report->problems.front();
    EXPECT_EQ(report->uncovered, 1u);
  }
  auto next = Sequencer::Start(store, data_->signer().value(), SystemClock(), SystemRandom());
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(store->LogSize().value(), before + 1);  // signed at start
  auto after = (*next)->Submit(testing::Signed((*next)->origin(), Registration("SIGNED")));
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(after->index, before + 1);
  next->reset();
  auto report = AuditStore(data_.get(), std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->uncovered, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, SequencerFaultTest,
    ::testing::Combine(::testing::Values(FaultInjectingStore::Fault::kBeforeCommit,
                                         FaultInjectingStore::Fault::kAfterCommit),
                       ::testing::Bool()),
    [](const auto& info) {
      return std::string(std::get<0>(info.param) == FaultInjectingStore::Fault::kBeforeCommit
                             ? "BeforeCommit"
                             : "AfterCommit") +
             (std::get<1>(info.param) ? "Pipelined" : "");
    });

// The insider with the database file appends entries (with correct tiles:
// hashing is public) past the checkpoint, hoping the next sequencer signs
// them. It does not: only a tail its own committed head vouches for is
// signed; this one stops the store from opening, and verify names it.
// The first event of a store.
Event FoundingAdministrator() {
  Event e;
  e.type = EventType::kPersonAdd;
  e.actor = "ADM";
  EXPECT_TRUE(SetFields(&e, {{"person", "ADM"},
                             {"name", "Ada"},
                             {"unit", "S"},
                             {"roles", {"administrator"}},
                             {"clearance", "SECRET"},
                             {"public_key", testing::TestPublicKey("ADM")}})
                  .ok());
  return e;
}

TEST(SequencerLeaseTest, EntriesWrittenIntoTheDatabaseAreNeverSigned) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-forged-tail";
  std::filesystem::remove_all(dir);
  auto data = DataDir::Init(dir, "forged.example/log", SystemRandom()).value();
  Store* store = data->store();
  {
    auto seq = Sequencer::Start(store, data->signer().value(), SystemClock(), SystemRandom());
    ASSERT_TRUE(seq.ok());
    ASSERT_TRUE((*seq)->Submit(testing::Signed((*seq)->origin(), FoundingAdministrator())).ok());
  }
  // Tiles made with the right hashing, a head signed with the insider's key.
  NoteSigner insider("forged.example/log", Ed25519PrivateKey::Generate(SystemRandom()));
  auto writer = LogWriter::Open(store, insider);
  ASSERT_FALSE(writer.ok());  // (the insider cannot even open it as a writer with their key)
  auto tree = LoadVerifiedTree(store, data->verifier());
  ASSERT_TRUE(tree.ok());
  const uint64_t size = tree->size();
  tree->Append(LeafHash("{\"forged\":true}"));
  LogBatch forged;
  forged.first_index = size;
  forged.entries = {"{\"forged\":true}"};
  for (TileData& t : tree->TakeChangedTiles())
    forged.tiles.push_back({t.id.level, t.id.index, t.data});
  forged.head = SignCommittedHead(insider, size + 1, tree->Root()).value();
  forged.epoch = store->AcquireLease().value();
  ASSERT_TRUE(store->Commit(forged, {}).ok());

  auto seq = Sequencer::Start(store, data->signer().value(), SystemClock(), SystemRandom());
  ASSERT_FALSE(seq.ok());
  EXPECT_EQ(seq.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(seq.status().message().find("that its sequencer did not commit"), std::string::npos)
      << seq.status().message();
  EXPECT_EQ(store->LogSize().value(), size);  // nothing signed
  auto report = AuditStore(data.get(), std::nullopt);
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems.front().find("that the log's sequencer did not commit"),
            std::string::npos)
      << report->problems.front();
}

// The insider rewrites an entry of a tail committed but not yet signed
// (here only its nonce, so the rules and the projection see nothing) and
// recomputes its tiles. The committed head binds the tail's root: verify
// names the difference, and no sequencer signs it.
TEST(SequencerLeaseTest, ARewrittenUnsignedTailIsNotVouchedFor) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-rewritten-tail";
  std::filesystem::remove_all(dir);
  auto data = DataDir::Init(dir, "tail.example/log", SystemRandom()).value();
  FaultInjectingStore faulty(data->store());
  {
    auto seq = Sequencer::Start(&faulty, data->signer().value(), SystemClock(), SystemRandom());
    ASSERT_TRUE(seq.ok());
    ASSERT_TRUE((*seq)->Submit(testing::Signed((*seq)->origin(), FoundingAdministrator())).ok());
    faulty.FailNextCheckpoint();
    Event f;
    f.type = EventType::kFacilityAdd;
    f.actor = "ADM";
    EXPECT_TRUE(SetFields(&f, {{"facility", "HQ"}, {"name", "HQ"}}).ok());
    ASSERT_FALSE((*seq)->Submit(testing::Signed((*seq)->origin(), f)).ok());  // committed, not signed
  }
  Store* store = data->store();
  ASSERT_EQ(store->CountEntries().value(), 2u);
  ASSERT_EQ(store->LogSize().value(), 1u);
  std::vector<std::string> entries;
  ASSERT_TRUE(store
                  ->ScanEntries(0, 2,
                                [&](uint64_t, std::string_view e) {
                                  entries.emplace_back(e);
                                  return OkStatus();
                                })
                  .ok());
  Event tail = Event::FromEntry(entries[1]).value();
  tail.nonce = "BBBBBBBBBBBBBBBBBBBBBA==";
  entries[1] = tail.ToEntry().value();
  TreeBuilder tree;
  for (const auto& e : entries) tree.Append(LeafHash(e));
  sqlite3* db;
  ASSERT_EQ(sqlite3_open((dir + "/strongroom.db").c_str(), &db), SQLITE_OK);
  auto exec = [&](const std::string& sql, const std::string& blob) {
    sqlite3_stmt* s;
    ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
    sqlite3_bind_blob(s, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
  };
  exec("UPDATE entries SET data=? WHERE idx=1", entries[1]);
  for (const TileData& t : tree.PartialTiles()) {
    exec("UPDATE tiles SET data=? WHERE level=" + std::to_string(t.id.level) +
             " AND idx=" + std::to_string(t.id.index),
         t.data);
  }
  sqlite3_close(db);

  auto report = AuditStore(data.get(), std::nullopt);
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  // The nonce is also signed by the actor, so the entry is no longer theirs.
  std::string all;
  for (const auto& p : report->problems) all += p + "\n";
  EXPECT_NE(all.find("checkpoint at size 2: root does not match"), std::string::npos) << all;
  EXPECT_NE(all.find("entry 1: the actor signature of facility.add by ADM does not verify"),
            std::string::npos)
      << all;
  auto seq = Sequencer::Start(store, data->signer().value(), SystemClock(), SystemRandom());
  ASSERT_FALSE(seq.ok());
  EXPECT_EQ(seq.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(store->LogSize().value(), 1u);  // nothing signed
}

// Two sequencers on one store (the second started while the first still
// runs, as after a failover): the first one's next batch is refused with
// Aborted and writes nothing, and so is everything after it.
TEST(SequencerLeaseTest, ADeposedSequencerWritesNothing) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-deposed";
  std::filesystem::remove_all(dir);
  auto data = DataDir::Init(dir, "lease.example/log", SystemRandom()).value();
  NoteSigner signer = data->signer().value();  // (keys the projection: before the second handle)
  auto other = data->OpenReadStore().value();
  auto first = Sequencer::Start(data->store(), signer, SystemClock(), SystemRandom()).value();
  ASSERT_TRUE(first->Submit(testing::Signed(first->origin(), FoundingAdministrator())).ok());
  auto second =
      Sequencer::Start(other.get(), data->signer().value(), SystemClock(), SystemRandom()).value();
  Event f;
  f.type = EventType::kFacilityAdd;
  f.actor = "ADM";
  EXPECT_TRUE(SetFields(&f, {{"facility", "HQ"}, {"name", "HQ"}}).ok());
  auto deposed = first->Submit(testing::Signed(first->origin(), f));
  ASSERT_FALSE(deposed.ok());
  EXPECT_EQ(deposed.status().code(), StatusCode::kAborted) << deposed.status().message();
  auto again = first->Submit(testing::Signed(first->origin(), f));
  EXPECT_EQ(again.status().code(), StatusCode::kAborted);
  auto leader = second->Submit(testing::Signed(second->origin(), f));
  ASSERT_TRUE(leader.ok()) << leader.status().message();
  EXPECT_EQ(leader->index, 1u);
  EXPECT_EQ(data->store()->CountEntries().value(), 2u);
}

// An entry dated ahead of the clock (by a clock set wrong, or written into
// the database) would date every later entry ahead and end quarantines and
// requests early: a sequencer does not start on such a log.
TEST(SequencerLeaseTest, ALogDatedAheadOfTheClockIsNotContinued) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-ahead";
  std::filesystem::remove_all(dir);
  auto data = DataDir::Init(dir, "ahead.example/log", SystemRandom()).value();
  NoteSigner signer = data->signer().value();
  FakeClock ahead(SystemClock()->Now() + 3600LL * 1000000);  // an hour ahead
  {
    auto seq = Sequencer::Start(data->store(), signer, &ahead, SystemRandom()).value();
    ASSERT_TRUE(seq->Submit(testing::Signed(seq->origin(), FoundingAdministrator())).ok());
  }
  auto now = Sequencer::Start(data->store(), signer, SystemClock(), SystemRandom());
  ASSERT_FALSE(now.ok());
  EXPECT_EQ(now.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(now.status().message().find("ahead of this machine's clock"), std::string::npos)
      << now.status().message();
  // Within the allowed skew it goes on.
  FakeClock close(ahead.Now() - kMaxClockSkewMicros + 1000000);
  EXPECT_TRUE(Sequencer::Start(data->store(), signer, &close, SystemRandom()).ok());
}

// A log key held by a device (a PKCS#11 token) that stops signing: the log
// key's own, behind a switch that makes every signature fail, as a token
// pulled out would.
class SwitchedOffKey final : public Ed25519Device {
 public:
  explicit SwitchedOffKey(Ed25519PrivateKey key) : key_(std::move(key)) {}
  const std::string& public_key() const override { return key_.public_key(); }
  Result<std::string> Sign(std::string_view message) const override {
    if (off_) return Unavailable("PKCS#11 C_Sign: CKR_DEVICE_REMOVED");
    return key_.Sign(message);
  }
  void Set(bool off) { off_ = off; }

 private:
  Ed25519PrivateKey key_;
  std::atomic<bool> off_{false};
};

// A token that stops signing halts the log's writes: the batch's callers
// hear so, nothing of it is written or applied, and once the token signs
// again the log goes on at the right index and verifies.
TEST(SequencerLogKeyTest, ALogKeyThatStopsSigningWritesNothingAndLosesNothing) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-key-off";
  std::filesystem::remove_all(dir);
  auto data = DataDir::Init(dir, "key-off.example/log", SystemRandom()).value();
  const NoteSigner plain = data->signer().value();
  auto device = std::make_shared<SwitchedOffKey>(*plain.key());
  const NoteSigner held(plain.name(), device);
  ASSERT_EQ(held.Verifier().Vkey(), plain.Verifier().Vkey());
  {
    auto reads = data->OpenReadStore().value();  // pipelined: a batch commits while the next is made
    SequencerOptions options;
    options.read_store = reads.get();
    auto seq =
        Sequencer::Start(data->store(), held, SystemClock(), SystemRandom(), options).value();
    for (Event e : testing::SetUpEvents()) {
      auto r = seq->Submit(testing::Signed(seq->origin(), std::move(e)));
      ASSERT_TRUE(r.ok()) << r.status().message();
    }
    const uint64_t before = seq->size();
    device->Set(true);
    const Event x1 = testing::Signed(seq->origin(), Registration("X-1"));
    for (const Event& e : {x1, testing::Signed(seq->origin(), Registration("X-2"))}) {
      auto refused = seq->Submit(e);
      ASSERT_FALSE(refused.ok());
      EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
      EXPECT_NE(refused.status().message().find("the log key did not sign (PKCS#11 C_Sign: "
                                                "CKR_DEVICE_REMOVED); nothing of this batch"),
                std::string::npos)
          << refused.status().message();
    }
    EXPECT_EQ(data->store()->CountEntries().value(), before);
    EXPECT_FALSE(data->store()->GetRow(kHoldingsTable, {"X-1"}).value().has_value());
    device->Set(false);
    auto accepted = seq->Submit(x1);  // the very event refused: it was never logged
    ASSERT_TRUE(accepted.ok()) << accepted.status().message();
    EXPECT_EQ(accepted->index, before);
    EXPECT_TRUE(data->store()->GetRow(kHoldingsTable, {"X-1"}).value().has_value());
    EXPECT_FALSE(data->store()->GetRow(kHoldingsTable, {"X-2"}).value().has_value());
  }
  auto report = AuditStore(data.get(), std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
}

}  // namespace
}  // namespace strongroom
