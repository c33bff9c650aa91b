// Projection rows authenticated with a key the database does not hold: a
// keyed store writes and checks each row's MAC; an edited, moved or
// MAC-less row is refused; a reader without the key reads rows unchecked
// and writes none but a rebuild, which the next keyed process redoes from
// the log instead of blessing.
#include "custody/authenticated_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "custody/data_dir.h"
#include "custody/sequencer.h"
#include "custody/test_events.h"
#include "store/memory_store.h"

namespace strongroom {
namespace {

const std::vector<TableSpec> kTables = {
    {"things", {"id", "data"}, {false, false}, 1, {}},
    {"other", {"id", "data"}, {false, false}, 1, {}},
    {"plain", {"id", "data"}, {false, false}, 1, {}}};
const std::vector<bool> kAuthenticated = {true, true, false};

struct Stores {
  Store* inner;  // what the back end holds, MACs and all
  std::unique_ptr<AuthenticatedStore> store;
};

Stores Make() {
  std::unique_ptr<Store> inner = NewMemoryStore(WithMacColumns(kTables, kAuthenticated));
  Store* raw = inner.get();
  return {raw, std::make_unique<AuthenticatedStore>(std::move(inner), kTables, kAuthenticated)};
}

RowWrite Write(size_t table, const std::string& id, const std::string& data) {
  return {table, Row{{id, data}}};
}

TEST(AuthenticatedStoreTest, RowsAreWrittenWithTheirMacAndCheckedOnEveryRead) {
  Stores s = Make();
  ASSERT_EQ(s.store->PutRows({Write(0, "A", "{}")}).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(s.store->PutRows({Write(2, "P", "{}")}).ok());  // not authenticated: no key needed
  std::vector<std::string> alarms;
  s.store->SetKey(std::string(32, 'k'), [&](const std::string& what) { alarms.push_back(what); });
  ASSERT_TRUE(s.store->PutRows({Write(0, "A", "{\"x\":1}"), Write(1, "A", "{\"x\":1}")}).ok());
  auto row = s.store->GetRow(0, {std::string("A")});
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*row)->values, (std::vector<Value>{std::string("A"), std::string("{\"x\":1}")}));
  EXPECT_EQ(s.store->CheckAll().value(), 2u);

  // The same row under the other table's name, and an edited value.
  const Row in1 = s.inner->GetRow(1, {std::string("A")}).value().value();
  const Row in0 = s.inner->GetRow(0, {std::string("A")}).value().value();
  EXPECT_NE(in0.values.back(), in1.values.back());  // the table is in the MAC: rows do not move
  Row edited = in0;
  edited.values[1] = std::string("{\"x\":2}");
  ASSERT_TRUE(s.inner->PutRows({{0, edited}}).ok());
  auto refused = s.store->GetRow(0, {std::string("A")});
  EXPECT_EQ(refused.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(refused.status().message().find("the things row A does not check out"),
            std::string::npos)
      << refused.status().message();
  EXPECT_EQ(s.store->CheckAll().status().code(), StatusCode::kDataLoss);
  ASSERT_EQ(alarms.size(), 2u);
  // A row without a MAC (as a keyless rebuild writes) is refused too.
  Row blank = in0;
  blank.values.back() = std::string();
  ASSERT_TRUE(s.inner->PutRows({{0, blank}}).ok());
  EXPECT_EQ(s.store->GetRow(0, {std::string("A")}).status().code(), StatusCode::kDataLoss);

  // A reader without the key reads rows as they are, and writes none.
  auto reader = std::make_unique<AuthenticatedStore>(
      NewMemoryStore(WithMacColumns(kTables, kAuthenticated)), kTables, kAuthenticated);
  EXPECT_EQ(reader->PutRows({Write(0, "B", "{}")}).code(), StatusCode::kFailedPrecondition);
}

// A store upgraded by a reader (no key) has MAC-less rows: the next process
// that unseals the log key rebuilds the projection from the log, and its
// rows then check out.
TEST(AuthenticatedStoreTest, AProjectionRebuiltWithoutTheKeyIsRebuiltWithIt) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-authenticated";
  std::filesystem::remove_all(dir);
  {
    auto data = DataDir::Init(dir, "macs.example/log", SystemRandom()).value();
    auto seq = Sequencer::Start(data->store(), data->signer().value(), SystemClock(),
                                SystemRandom())
                   .value();
    for (Event e : testing::SetUpEvents()) {
      ASSERT_TRUE(seq->Submit(testing::Signed(seq->origin(), std::move(e))).ok());
    }
  }
  {
    // As a keyless rebuild leaves it.
    sqlite3* db;
    ASSERT_EQ(sqlite3_open((dir + "/strongroom.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "UPDATE people SET mac=''; "
                           "UPDATE meta SET value='0' WHERE key='projection_macs'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto data = DataDir::Open(dir, DataDir::Mode::kWrite).value();
  ASSERT_TRUE(data->signer().ok());  // rebuilds
  auto checked = data->CheckProjection();
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_GT(*checked, 0u);
  // Had the flag said all was well, the blank rows would be refused, not
  // blessed.
  sqlite3* db;
  ASSERT_EQ(sqlite3_open((dir + "/strongroom.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE people SET mac=''", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(data->CheckProjection().status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace strongroom
