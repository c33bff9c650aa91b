// Upgrades: a store and a published tree made by an earlier release
// (tests/testdata/upgrade, made by make_store.sh there with the release
// named in it; every entry type but access.read, which only the service
// writes) open with this release, verify, take new events from their
// people with their own credentials, and the published tree grows
// consistently. Entries are never rewritten.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "cli_harness.h"
#include "custody/event.h"
#include "json/canonical.h"

namespace strongroom::testing {
namespace {

constexpr const char* kFixtureCredential = "upgrade-fixture-credential";

class UpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("STRONGROOM_CREDENTIAL", kFixtureCredential, 1);
    base_ = TempDir("upgrade");
    dir_ = base_ + "/data";
    published_ = base_ + "/published";
    const std::string fixture = std::string(STRONGROOM_TESTDATA) + "/upgrade";
    std::filesystem::copy(fixture + "/store-v2", dir_, std::filesystem::copy_options::recursive);
    std::filesystem::copy(fixture + "/published-v2", published_,
                          std::filesystem::copy_options::recursive);
  }
  void TearDown() override { ::setenv("STRONGROOM_CREDENTIAL", kTestCredential, 1); }
  RunResult Ok(const std::vector<std::string>& args) {
    RunResult r = Strongroom(args);
    EXPECT_EQ(r.code, 0) << args[0] << " " << args[1] << ": " << r.err << r.out;
    return r;
  }
  std::string base_, dir_, published_;
};

TEST_F(UpgradeTest, AnEarlierReleasesStoreVerifiesGrowsAndPublishesConsistently) {
  const std::string vkey = Slurp(dir_ + "/log.vkey");
  const std::string key = vkey.substr(0, vkey.find('\n'));
  const std::string before = Slurp(published_ + "/checkpoint");
  ASSERT_FALSE(before.empty());
  // The first open upgrades the store (schema 2 -> 3), saying so, and
  // rebuilds its projection from the log.
  RunResult r = Ok({"entry", "--data", dir_, "--index", "0", "--json"});
  const std::string first_entry = r.out;
  EXPECT_NE(r.err.find("from schema 2 to 8: rebuilding its projection from the log"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("upgraded: 3157 entries replayed"), std::string::npos) << r.err;
  const std::string last_entry = Ok({"entry", "--data", dir_, "--index", "3156", "--json"}).out;

  // It verifies: the rebuilt projection is the one the log implies.
  r = Ok({"verify", "--data", dir_});
  EXPECT_NE(r.out.find("OK: 3157 entries"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("upgrading"), std::string::npos) << r.err;  // once
  {
    // The new typed columns are filled in from the records.
    sqlite3* db;
    ASSERT_EQ(sqlite3_open((dir_ + "/strongroom.db").c_str(), &db), SQLITE_OK);
    auto count = [&](const char* sql) {
      sqlite3_stmt* s;
      EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK) << sql;
      sqlite3_step(s);
      const int64_t n = sqlite3_column_int64(s, 0);
      sqlite3_finalize(s);
      return n;
    };
    EXPECT_GT(count("SELECT count(*) FROM grants"), 400);
    EXPECT_EQ(count("SELECT count(*) FROM grants WHERE expires > 0 AND target != ''"),
              count("SELECT count(*) FROM grants"));
    EXPECT_GT(count("SELECT count(*) FROM holdings WHERE due_back > 0"), 0);
    EXPECT_EQ(count("SELECT value FROM meta WHERE key='schema'"), 8);
    sqlite3_close(db);
  }

  // Its people act with their own credentials: a registration, a check-out
  // decided on grants made before the upgrade, and a two-person destruction.
  Ok({"holding", "register", "--data", dir_, "--actor", "C-HQ-1", "--id", "AFTER-1", "--kind",
      "document", "--title", "Registered after the upgrade", "--location", "HQ-vault-1"});
  Ok({"grant", "add", "--data", dir_, "--actor", "P-ADMIN", "--person", "O-001", "--scope",
      "holding", "--target", "AFTER-1", "--expires", "2030-01-01"});
  Ok({"holding", "check-out", "--data", dir_, "--actor", "C-HQ-1", "--holding", "AFTER-1", "--to",
      "O-001", "--purpose", "after the upgrade", "--due-back", "2030-01-01"});
  r = Strongroom({"holding", "check-out", "--data", dir_, "--actor", "C-HQ-1", "--holding",
                  "DOC-UPG", "--to", "O-002", "--purpose", "x", "--due-back", "2030-01-01"});
  EXPECT_EQ(r.code, 6) << r.err;  // no need-to-know: denied and logged, as before
  EXPECT_NE(r.err.find("O-002 has no live need-to-know for DOC-UPG"), std::string::npos) << r.err;
  // A wrong credential is still refused.
  ::setenv("STRONGROOM_CREDENTIAL", "not the credential", 1);
  r = Strongroom({"holding", "move", "--data", dir_, "--actor", "C-HQ-1", "--holding", "AFTER-1",
                  "--location", "HQ-safe-2"});
  EXPECT_NE(r.code, 0);
  ::setenv("STRONGROOM_CREDENTIAL", kFixtureCredential, 1);

  // Old entries are byte for byte what they were.
  EXPECT_EQ(Ok({"entry", "--data", dir_, "--index", "0", "--json"}).out, first_entry);
  EXPECT_EQ(Ok({"entry", "--data", dir_, "--index", "3156", "--json"}).out, last_entry);

  r = Ok({"verify", "--data", dir_});
  EXPECT_NE(r.out.find("OK: 3161 entries"), std::string::npos) << r.out;

  // The tree published before the upgrade grows, and an auditor holding the
  // old checkpoint checks that the new one extends it.
  std::filesystem::path prev = base_ + "/prev-checkpoint";
  std::filesystem::copy_file(published_ + "/checkpoint", prev);
  Ok({"publish", "--data", dir_, "--to", published_});
  EXPECT_NE(Slurp(published_ + "/checkpoint"), before);
  r = Ok({"verify", "--log", published_, "--key", key, "--prev", prev.string()});
  EXPECT_NE(r.out.find("3161"), std::string::npos) << r.out;
}

// The upgrade rebuilds the projection from the entries only if they make
// the tree the log signed: an entry rewritten in the database file (here a
// nonce: the rules would accept it) stops the upgrade, and nothing changes.
TEST_F(UpgradeTest, AnUpgradeRefusesEntriesTheLogDidNotSign) {
  sqlite3* db;
  ASSERT_EQ(sqlite3_open((dir_ + "/strongroom.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT data FROM entries WHERE idx=100", -1, &s, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  const std::string entry(static_cast<const char*>(sqlite3_column_blob(s, 0)),
                          static_cast<size_t>(sqlite3_column_bytes(s, 0)));
  sqlite3_finalize(s);
  Event e = Event::FromEntry(entry).value();
  e.nonce = "BBBBBBBBBBBBBBBBBBBBBA==";
  const std::string forged = e.ToEntry().value();
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE entries SET data=? WHERE idx=100", -1, &s, nullptr),
            SQLITE_OK);
  sqlite3_bind_blob(s, 1, forged.data(), static_cast<int>(forged.size()), SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(s), SQLITE_DONE);
  sqlite3_finalize(s);
  sqlite3_close(db);

  RunResult r = Strongroom({"entry", "--data", dir_, "--index", "0"});
  EXPECT_EQ(r.code, 7) << r.err;
  EXPECT_NE(r.err.find("the entries do not make the tree signed at size"), std::string::npos)
      << r.err;
  ASSERT_EQ(sqlite3_open((dir_ + "/strongroom.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema'", -1, &s, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))), "2");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

}  // namespace
}  // namespace strongroom::testing
