// The storage contract (store/store.h), one suite for every back end (the
// typed database tests of the original CT log): SQLite, the in-memory
// store, and the fault-injecting store forwarding to SQLite with no fault
// armed. PostgreSQL joins this list when it lands.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "store/fault_injecting_store.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"

namespace strongroom {
namespace {

// Two tables in the shapes the projection uses: a record table with a text
// key, typed columns and indexes (one composite), and an append-only table
// with a two-column key.
std::vector<TableSpec> Tables() {
  return {{"things",
           {"id", "owner", "kind", "due", "data"},
           {false, false, false, true, false},
           1,
           {"owner", "owner,kind", "due"}},
          {"events", {"thing", "idx"}, {false, true}, 2, {}}};
}
constexpr size_t kThings = 0, kEvents = 1;

Row Thing(const std::string& id, const std::string& owner, const std::string& kind, int64_t due) {
  return Row{{id, owner, kind, due, "{\"id\":\"" + id + "\"}"}};
}

LogBatch Batch(uint64_t first, int n, const std::string& tag) {
  LogBatch b;
  b.first_index = first;
  for (int i = 0; i < n; ++i) b.entries.push_back(tag + "-entry-" + std::to_string(first + i));
  b.tiles.push_back({0, first / 256, std::string(32 * (n + first % 256), 'x')});
  return b;
}
std::string Note(uint64_t size) { return "checkpoint for " + std::to_string(size) + "\n"; }

// Commit first, then sign: what the sequencer does.
Status CommitAndSign(Store* s, const LogBatch& b, const std::vector<RowWrite>& rows) {
  SR_RETURN_IF_ERROR(s->Commit(b, rows));
  return s->PutCheckpoint(b.first_index + b.entries.size(), Note(b.first_index + b.entries.size()));
}

struct SqliteBackEnd {
  static std::unique_ptr<Store> Open(const std::string& dir) {
    return OpenSqliteStore(dir + "/store.db", Tables(), {.create = true}).value();
  }
};
struct MemoryBackEnd {
  static std::unique_ptr<Store> Open(const std::string&) { return NewMemoryStore(Tables()); }
};
// Owns the SQLite store it forwards to.
class OwningFaultStore : public FaultInjectingStore {
 public:
  explicit OwningFaultStore(std::unique_ptr<Store> inner)
      : FaultInjectingStore(inner.get()), inner_(std::move(inner)) {}

 private:
  std::unique_ptr<Store> inner_;
};
struct FaultBackEnd {
  static std::unique_ptr<Store> Open(const std::string& dir) {
    return std::make_unique<OwningFaultStore>(SqliteBackEnd::Open(dir));
  }
};

template <typename BackEnd>
class StoreContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "-" + info->name();
    std::replace(name.begin(), name.end(), '/', '-');
    dir_ = std::string(::testing::TempDir()) + "strongroom-contract-" + name;
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = BackEnd::Open(dir_);
  }
  std::vector<std::string> Entries(uint64_t begin, uint64_t end) {
    std::vector<std::string> out;
    Status st = store_->ScanEntries(begin, end, [&](uint64_t i, std::string_view e) {
      EXPECT_EQ(i, begin + out.size());
      out.emplace_back(e);
      return OkStatus();
    });
    EXPECT_TRUE(st.ok()) << st.message();
    return out;
  }
  std::vector<std::string> Query(std::vector<Filter> filters, size_t limit = 0) {
    std::vector<std::string> ids;
    Status st = store_->QueryRows(kThings, filters, limit, [&](const Row& r) {
      ids.push_back(std::get<std::string>(r.values[0]));
      return OkStatus();
    });
    EXPECT_TRUE(st.ok()) << st.message();
    return ids;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

using BackEnds = ::testing::Types<SqliteBackEnd, MemoryBackEnd, FaultBackEnd>;
class BackEndNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, SqliteBackEnd>) return "Sqlite";
    if (std::is_same_v<T, MemoryBackEnd>) return "Memory";
    return "FaultInjecting";
  }
};
TYPED_TEST_SUITE(StoreContractTest, BackEnds, BackEndNames);

TYPED_TEST(StoreContractTest, MetaValuesAreKeptAndReplaced) {
  Store* s = this->store_.get();
  EXPECT_FALSE(s->GetMeta("origin").value().has_value());
  ASSERT_TRUE(s->PutMeta("origin", "a.example/log").ok());
  ASSERT_TRUE(s->PutMeta("origin", "b.example/log").ok());
  EXPECT_EQ(s->GetMeta("origin").value(), "b.example/log");
}

TYPED_TEST(StoreContractTest, AnEmptyLogHasNothing) {
  Store* s = this->store_.get();
  EXPECT_EQ(s->LogSize().value(), 0u);
  EXPECT_EQ(s->CountEntries().value(), 0u);
  EXPECT_FALSE(s->LatestCheckpoint().value().has_value());
  EXPECT_EQ(s->ReadTile(0, 0).value(), "");
}

TYPED_TEST(StoreContractTest, CommittedBatchesAreTheLogInOrder) {
  Store* s = this->store_.get();
  ASSERT_TRUE(CommitAndSign(s, Batch(0, 3, "a"), {{kThings, Thing("T1", "P", "doc", 5)}}).ok());
  ASSERT_TRUE(CommitAndSign(s, Batch(3, 2, "b"), {{kEvents, Row{{"T1", int64_t{3}}}}}).ok());
  EXPECT_EQ(s->LogSize().value(), 5u);
  EXPECT_EQ(s->CountEntries().value(), 5u);
  EXPECT_EQ(this->Entries(0, 5), (std::vector<std::string>{"a-entry-0", "a-entry-1", "a-entry-2",
                                                           "b-entry-3", "b-entry-4"}));
  EXPECT_EQ(this->Entries(2, 4), (std::vector<std::string>{"a-entry-2", "b-entry-3"}));
  EXPECT_EQ(s->LatestCheckpoint().value(), "checkpoint for 5\n");
  std::vector<uint64_t> sizes;
  ASSERT_TRUE(s->ScanCheckpoints([&](uint64_t size, std::string_view note) {
                 EXPECT_EQ(note, "checkpoint for " + std::to_string(size) + "\n");
                 sizes.push_back(size);
                 return OkStatus();
               }).ok());
  EXPECT_EQ(sizes, (std::vector<uint64_t>{3, 5}));
  // A tile grows in place: the latest bytes are kept.
  EXPECT_EQ(s->ReadTile(0, 0).value(), std::string(32 * 5, 'x'));
  int tiles = 0;
  ASSERT_TRUE(s->ScanTiles([&](int, uint64_t, std::string_view) {
                 ++tiles;
                 return OkStatus();
               }).ok());
  EXPECT_EQ(tiles, 1);
  // Asking for entries the log does not have is DataLoss.
  Status st = s->ScanEntries(4, 7, [](uint64_t, std::string_view) { return OkStatus(); });
  EXPECT_EQ(st.code(), StatusCode::kDataLoss) << st.message();
}

TYPED_TEST(StoreContractTest, ACommitAtTheWrongSizeWritesNothing) {
  Store* s = this->store_.get();
  ASSERT_TRUE(CommitAndSign(s, Batch(0, 2, "a"), {}).ok());
  for (uint64_t first : {uint64_t{0}, uint64_t{1}, uint64_t{3}}) {
    Status st = s->Commit(Batch(first, 1, "late"), {{kThings, Thing("T9", "P", "doc", 1)}});
    EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition) << first;
  }
  EXPECT_EQ(s->LogSize().value(), 2u);
  EXPECT_EQ(this->Entries(0, 2), (std::vector<std::string>{"a-entry-0", "a-entry-1"}));
  EXPECT_FALSE(s->GetRow(kThings, {"T9"}).value().has_value());
}

TYPED_TEST(StoreContractTest, RowsAreUpsertedAndReadBackTyped) {
  Store* s = this->store_.get();
  ASSERT_TRUE(s->Commit(Batch(0, 1, "a"), {{kThings, Thing("T1", "P1", "doc", 10)}}).ok());
  ASSERT_TRUE(s->Commit(Batch(1, 1, "b"), {{kThings, Thing("T1", "P2", "doc", 20)}}).ok());
  auto row = s->GetRow(kThings, {"T1"}).value();
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(*row, Thing("T1", "P2", "doc", 20));
  EXPECT_TRUE(std::holds_alternative<int64_t>(row->values[3]));
  EXPECT_FALSE(s->GetRow(kThings, {"T2"}).value().has_value());
  // A two-column key.
  ASSERT_TRUE(
      s->PutRows({{kEvents, Row{{"T1", int64_t{7}}}}, {kEvents, Row{{"T1", int64_t{3}}}}}).ok());
  std::vector<int64_t> chain;
  ASSERT_TRUE(s->QueryRows(kEvents, {{"thing", std::string("T1")}}, 0, [&](const Row& r) {
                 chain.push_back(std::get<int64_t>(r.values[1]));
                 return OkStatus();
               }).ok());
  EXPECT_EQ(chain, (std::vector<int64_t>{3, 7}));  // in key order
  EXPECT_TRUE(s->GetRow(kEvents, {"T1", int64_t{7}}).value().has_value());
}

// A write that says what the row held before may be applied as an update of
// the changed columns only; the outcome is the same as without it, and a row
// said to be there that is not is inserted.
TYPED_TEST(StoreContractTest, AWriteWithItsBeforeColumnsEndsAsAnyWrite) {
  Store* s = this->store_.get();
  auto before = [](const Row& r) { return std::vector<Value>(r.values.begin(), r.values.end() - 1); };
  const Row t1 = Thing("T1", "P1", "doc", 10), t1_moved = Thing("T1", "P2", "doc", 10);
  ASSERT_TRUE(s->PutRows({{kThings, t1}}).ok());
  ASSERT_TRUE(s->PutRows({{kThings, t1_moved, before(t1)}}).ok());  // the owner changes
  EXPECT_EQ(s->GetRow(kThings, {"T1"}).value(), t1_moved);
  using V = std::vector<std::string>;
  EXPECT_EQ(this->Query({{"owner", std::string("P2")}}), V{"T1"});
  EXPECT_EQ(this->Query({{"owner", std::string("P1")}}), V{});
  // Only the data changes.
  Row t1_data = t1_moved;
  t1_data.values[4] = std::string("{\"id\":\"T1\",\"v\":2}");
  ASSERT_TRUE(s->PutRows({{kThings, t1_data, before(t1_moved)}}).ok());
  EXPECT_EQ(s->GetRow(kThings, {"T1"}).value(), t1_data);
  // A row said to be there that is not; then unchanged but for its data.
  const Row t2 = Thing("T2", "P3", "evidence", 5);
  ASSERT_TRUE(s->PutRows({{kThings, t2, before(Thing("T2", "P3", "evidence", 5))}}).ok());
  EXPECT_EQ(s->GetRow(kThings, {"T2"}).value(), t2);
  const Row t2_due = Thing("T2", "P3", "evidence", 9);
  ASSERT_TRUE(s->PutRows({{kThings, t2_due, before(t2)}}).ok());
  EXPECT_EQ(s->GetRow(kThings, {"T2"}).value(), t2_due);
  EXPECT_EQ(this->Query({{"due", int64_t{9}}}), V{"T2"});
  EXPECT_EQ(this->Query({{"owner", std::string("P3")}, {"kind", std::string("evidence")}}),
            V{"T2"});
  // Through a commit, as the sequencer writes.
  const Row t1_back = Thing("T1", "P1", "doc", 11);
  ASSERT_TRUE(s->Commit(Batch(0, 1, "a"), {{kThings, t1_back, before(t1_data)}}).ok());
  EXPECT_EQ(s->GetRow(kThings, {"T1"}).value(), t1_back);
  EXPECT_EQ(this->Query({{"owner", std::string("P1")}}), V{"T1"});
}

TYPED_TEST(StoreContractTest, QueriesFilterByEqualityAndRangeInKeyOrder) {
  Store* s = this->store_.get();
  ASSERT_TRUE(s->PutRows({{kThings, Thing("T3", "P1", "doc", 30)},
                          {kThings, Thing("T1", "P1", "doc", 10)},
                          {kThings, Thing("T2", "P2", "evidence", 20)},
                          {kThings, Thing("T4", "P1", "evidence", 0)}})
                  .ok());
  using V = std::vector<std::string>;
  EXPECT_EQ(this->Query({}), (V{"T1", "T2", "T3", "T4"}));
  EXPECT_EQ(this->Query({{"owner", std::string("P1")}}), (V{"T1", "T3", "T4"}));
  EXPECT_EQ(this->Query({{"owner", std::string("P1")}, {"kind", std::string("doc")}}),
            (V{"T1", "T3"}));
  EXPECT_EQ(this->Query({{"due", int64_t{20}, FilterOp::kLt}}), (V{"T1", "T4"}));
  EXPECT_EQ(this->Query({{"due", int64_t{20}, FilterOp::kLe}}), (V{"T1", "T2", "T4"}));
  EXPECT_EQ(this->Query({{"due", int64_t{20}, FilterOp::kGt}}), (V{"T3"}));
  EXPECT_EQ(this->Query({{"due", int64_t{10}, FilterOp::kGe}, {"due", int64_t{30}, FilterOp::kLt}}),
            (V{"T1", "T2"}));
  EXPECT_EQ(this->Query({{"owner", std::string("P1")}}, 2), (V{"T1", "T3"}));  // limit
  EXPECT_EQ(this->Query({{"owner", std::string("nobody")}}), V{});
  Status st = s->QueryRows(kThings, {{"colour", std::string("red")}}, 0,
                           [](const Row&) { return OkStatus(); });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
}

TYPED_TEST(StoreContractTest, AScanMayWriteWhileItRuns) {
  Store* s = this->store_.get();
  ASSERT_TRUE(
      s->PutRows({{kThings, Thing("T1", "P1", "doc", 1)}, {kThings, Thing("T2", "P1", "doc", 2)}})
          .ok());
  int seen = 0;
  ASSERT_TRUE(
      s->QueryRows(kThings, {{"owner", std::string("P1")}}, 0, [&](const Row& r) {
         ++seen;
         // A nested query of the same shape, and a write.
         EXPECT_EQ(this->Query({{"owner", std::string("P1")}}).size(), 2u);
         return s->PutRows({{kEvents, Row{{std::get<std::string>(r.values[0]), int64_t{1}}}}});
       }).ok());
  EXPECT_EQ(seen, 2);
  EXPECT_TRUE(s->GetRow(kEvents, {"T2", int64_t{1}}).value().has_value());
}

TYPED_TEST(StoreContractTest, ReplaceTablesRebuildsSomeTablesAndKeepsTheRest) {
  Store* s = this->store_.get();
  ASSERT_TRUE(
      CommitAndSign(s, Batch(0, 1, "a"),
                    {{kThings, Thing("OLD", "P", "doc", 1)}, {kEvents, Row{{"OLD", int64_t{0}}}}})
          .ok());
  ASSERT_TRUE(
      s->ReplaceTables({kThings}, {{kThings, Thing("NEW", "Q", "doc", 2)}}, {{"schema", "9"}})
          .ok());
  EXPECT_FALSE(s->GetRow(kThings, {"OLD"}).value().has_value());
  EXPECT_TRUE(s->GetRow(kThings, {"NEW"}).value().has_value());
  EXPECT_TRUE(s->GetRow(kEvents, {"OLD", int64_t{0}}).value().has_value());  // not replaced
  EXPECT_EQ(s->GetMeta("schema").value(), "9");
  EXPECT_EQ(this->Query({{"owner", std::string("Q")}}), std::vector<std::string>{"NEW"});
  EXPECT_EQ(s->LogSize().value(), 1u);  // the log is untouched
  // A row for a table not being replaced is refused, and nothing changes.
  Status st = s->ReplaceTables({kThings}, {{kEvents, Row{{"X", int64_t{1}}}}}, {{"schema", "10"}});
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(s->GetRow(kThings, {"NEW"}).value().has_value());
  EXPECT_EQ(s->GetMeta("schema").value(), "9");
}

TYPED_TEST(StoreContractTest, CheckpointsFollowCommitsAndNeverGoBack) {
  Store* s = this->store_.get();
  ASSERT_TRUE(s->PutCheckpoint(0, Note(0)).ok());  // the empty tree
  ASSERT_TRUE(s->Commit(Batch(0, 4, "a"), {}).ok());
  // Committed but not yet signed: the entries are there, the log's size is
  // still the last checkpoint's.
  EXPECT_EQ(s->CountEntries().value(), 4u);
  EXPECT_EQ(s->LogSize().value(), 0u);
  EXPECT_EQ(s->PutCheckpoint(5, Note(5)).code(), StatusCode::kFailedPrecondition);  // not committed
  ASSERT_TRUE(s->PutCheckpoint(2, Note(2)).ok());
  ASSERT_TRUE(s->PutCheckpoint(4, Note(4)).ok());
  EXPECT_EQ(s->LogSize().value(), 4u);
  EXPECT_EQ(s->LatestCheckpoint().value(), Note(4));
  EXPECT_TRUE(s->PutCheckpoint(4, Note(4)).ok());  // the same bytes again: fine
  EXPECT_EQ(s->PutCheckpoint(4, "another tree of size 4\n").code(),
            StatusCode::kFailedPrecondition);  // a fork: refused
  EXPECT_EQ(s->PutCheckpoint(3, Note(3)).code(), StatusCode::kFailedPrecondition);  // going back
  EXPECT_EQ(s->LatestCheckpoint().value(), Note(4));
}

TYPED_TEST(StoreContractTest, OnlyTheLatestLeaseCommits) {
  Store* s = this->store_.get();
  const uint64_t first = s->AcquireLease().value();
  const uint64_t second = s->AcquireLease().value();
  EXPECT_GT(second, first);
  LogBatch stale = Batch(0, 2, "deposed");
  stale.epoch = first;
  Status st = s->Commit(stale, {{kThings, Thing("T1", "P", "doc", 1)}});
  EXPECT_EQ(st.code(), StatusCode::kAborted) << st.message();
  EXPECT_EQ(s->CountEntries().value(), 0u);  // nothing written
  EXPECT_FALSE(s->GetRow(kThings, {"T1"}).value().has_value());
  LogBatch current = Batch(0, 2, "leader");
  current.epoch = second;
  ASSERT_TRUE(s->Commit(current, {{kThings, Thing("T1", "P", "doc", 1)}}).ok());
  EXPECT_EQ(this->Entries(0, 2), (std::vector<std::string>{"leader-entry-0", "leader-entry-1"}));
}

// SQLite only: the background checkpointer copies the WAL back into the
// database while the store stays open (it once did nothing at all — its
// connection had never read the file, so it did not know the database was
// in WAL mode — and the WAL grew to 19 GB in a million events, every read
// slower as it grew).
TEST(SqliteStoreTest, TheWalIsCheckpointedWhileTheStoreIsOpen) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-sqlite-checkpointer";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/store.db";
  auto store = OpenSqliteStore(path, Tables(), {.create = true, .background_checkpoints = true});
  ASSERT_TRUE(store.ok()) << store.status().message();
  const auto initial = std::filesystem::file_size(path);
  // About 8 MB of entries: some 2,000 WAL pages, twice what starts a checkpoint.
  uint64_t size = 0;
  for (int batch = 0; batch < 100; ++batch) {
    LogBatch b;
    b.first_index = size;
    for (int i = 0; i < 40; ++i) b.entries.push_back(std::string(2000, static_cast<char>('a' + i % 26)));
    ASSERT_TRUE((*store)->Commit(b, {}).ok());
    size += b.entries.size();
  }
  // The checkpoint runs on its own thread: wait for it (a liveness check,
  // not a timing: a minute is far beyond the few milliseconds it takes).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (std::filesystem::file_size(path) < initial + 4'000'000 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(std::filesystem::file_size(path), initial + 4'000'000)
      << "the WAL was not copied back into the database while the store was open";
  EXPECT_EQ((*store)->CountEntries().value(), size);
}

// An insider truncates the database file under a running service. The
// store answers with errors from then on; the process is not killed (it
// was: SIGBUS, reading a memory-mapped page past the new end of the file).
TEST(SqliteStoreTest, ATruncatedDatabaseFileGivesErrorsNotACrash) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-sqlite-truncated";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/store.db";
  auto store = OpenSqliteStore(path, Tables(), {.create = true, .background_checkpoints = true});
  ASSERT_TRUE(store.ok()) << store.status().message();
  uint64_t size = 0;
  auto commit = [&](int n) {
    LogBatch b;
    b.first_index = size;
    for (int i = 0; i < n; ++i) b.entries.push_back(std::string(2000, 'x'));
    Status st = (*store)->Commit(b, {});
    if (st.ok()) size += n;
    return st;
  };
  for (int batch = 0; batch < 100; ++batch) ASSERT_TRUE(commit(40).ok());
  // Everything into the database file (and so into the memory map).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (std::filesystem::file_size(path) < 6'000'000 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ((*store)->CountEntries().value(), size);
  // Within a read transaction (as the sequencer's batch or a reader holds
  // one), so that SQLite has no reason to look at the file's size again.
  (*store)->BeginReads();
  ASSERT_TRUE((*store)->ScanEntries(0, size, [](uint64_t, std::string_view) {
                        return OkStatus();
                      }).ok());
  std::filesystem::resize_file(path, 8192);
  // Reads and writes within the transaction return (from the page cache,
  // or with an error) ...
  for (int i = 0; i < 5; ++i) {
    (void)(*store)->ScanEntries(0, size, [](uint64_t, std::string_view) { return OkStatus(); });
    (void)commit(40);
  }
  (*store)->EndReads();
  store->reset();
  // ... and the damage is reported, not survived by luck: a store opened on
  // the file again cannot read the log.
  auto again = OpenSqliteStore(path, Tables(), {});
  Status read = again.ok() ? (*again)->ScanEntries(0, size, [](uint64_t, std::string_view) {
                               return OkStatus();
                             })
                           : again.status();
  EXPECT_FALSE(read.ok());
}

}  // namespace
}  // namespace strongroom
