// The power-loss VFS itself: what was synced survives a cut, what was not
// is gone — so that a test built on it can fail.
#include "store/power_loss_vfs.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace strongroom {
namespace {

// Writes one row in its own transaction with `synchronous`, cuts the power
// with the connection open, and reports whether the row is there after.
bool RowSurvives(const std::string& synchronous) {
  const std::string dir = std::string(::testing::TempDir()) + "power-loss-vfs-" + synchronous;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/db";
  PowerLossVfs vfs;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto exec = [&](const std::string& sql) {
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db);
  };
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("CREATE TABLE t(x)");  // synced: the table itself survives
  exec("PRAGMA synchronous=" + synchronous);
  exec("INSERT INTO t VALUES (42)");
  const uint64_t unsynced = vfs.unsynced_bytes();
  vfs.CutPower();
  EXPECT_NE(sqlite3_exec(db, "INSERT INTO t VALUES (43)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close_v2(db);
  auto undone = vfs.RestoreDurableState();
  EXPECT_TRUE(undone.ok());
  if (undone.ok()) {
    EXPECT_EQ(*undone, unsynced);
  }
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE x = 42", -1, &st, nullptr),
            SQLITE_OK);
  EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
  const bool survives = sqlite3_column_int(st, 0) == 1;
  sqlite3_finalize(st);
  sqlite3_close_v2(db);
  return survives;
}

TEST(PowerLossVfsTest, ASyncedCommitSurvivesAndAnUnsyncedOneIsLost) {
  EXPECT_TRUE(RowSurvives("FULL"));
  EXPECT_FALSE(RowSurvives("OFF"));
}

}  // namespace
}  // namespace strongroom
