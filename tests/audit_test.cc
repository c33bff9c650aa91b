// Tamper tests: for random single-byte and single-row modifications of every
// table, `strongroom verify` fails and names the place.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <random>

#include "cli_harness.h"
#include "json/canonical.h"
#include "ledger/tiles.h"

namespace strongroom::testing {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pristine_ = new std::string(TempDir("audit-pristine") + "/data");
    ASSERT_EQ(Strongroom({"init", "--data", *pristine_, "--origin", "audit.example/log"}).code, 0);
    RunResult r = Strongroom({"demo", "--data", *pristine_, "--events", "1500", "--seed", "3"});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete pristine_; }

  // A fresh copy of the pristine store, opened with SQLite directly: the
  // attacker has the database file.
  std::string Copy(sqlite3** db) {
    static int n = 0;
    std::string dir = TempDir("audit-copy-" + std::to_string(n++)) + "/data";
    std::filesystem::copy(*pristine_, dir, std::filesystem::copy_options::recursive);
    EXPECT_EQ(sqlite3_open((dir + "/strongroom.db").c_str(), db), SQLITE_OK);
    return dir;
  }
  static std::vector<std::vector<std::string>> Query(sqlite3* db, const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* s;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        const char* t = reinterpret_cast<const char*>(sqlite3_column_blob(s, i));
        row.emplace_back(t ? std::string(t, static_cast<size_t>(sqlite3_column_bytes(s, i))) : "");
      }
      rows.push_back(row);
    }
    sqlite3_finalize(s);
    return rows;
  }
  static void FlipByte(sqlite3* db, const std::string& table, const std::string& column,
                       const std::string& where, std::string value, std::mt19937* rng) {
    size_t pos = (*rng)() % value.size();
    value[pos] = static_cast<char>(value[pos] ^ (1 << ((*rng)() % 8)));
    sqlite3_stmt* s;
    std::string sql = "UPDATE " + table + " SET " + column + "=? WHERE " + where;
    ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK);
    sqlite3_bind_blob(s, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
  }
  static void Exec(sqlite3* db, const std::string& sql) {
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  }
  void ExpectVerifyFails(const std::string& dir, const std::string& expect) {
    RunResult r = Strongroom({"verify", "--data", dir});
    EXPECT_EQ(r.code, 7) << r.err;  // DataLoss
    EXPECT_NE(r.err.find(expect), std::string::npos) << "want '" << expect << "' in: " << r.err;
  }

  static std::string* pristine_;
  std::mt19937 rng_{20261122};
};
std::string* AuditTest::pristine_ = nullptr;

TEST_F(AuditTest, PristineStoreVerifies) {
  RunResult r = Strongroom({"verify", "--data", *pristine_});
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(AuditTest, FlippedByteInAnEntryIsLocated) {
  for (int trial = 0; trial < 6; ++trial) {
    sqlite3* db;
    std::string dir = Copy(&db);
    auto rows = Query(db, "SELECT idx, data FROM entries ORDER BY random() LIMIT 1");
    FlipByte(db, "entries", "data", "idx=" + rows[0][0], rows[0][1], &rng_);
    sqlite3_close(db);
    ExpectVerifyFails(dir, "entry " + rows[0][0] + " has been altered");
  }
}

TEST_F(AuditTest, FlippedByteInATileIsLocated) {
  for (int trial = 0; trial < 6; ++trial) {
    sqlite3* db;
    std::string dir = Copy(&db);
    auto rows = Query(db, "SELECT level, idx, data FROM tiles ORDER BY random() LIMIT 1");
    FlipByte(db, "tiles", "data", "level=" + rows[0][0] + " AND idx=" + rows[0][1], rows[0][2],
             &rng_);
    sqlite3_close(db);
    TileId id{std::stoi(rows[0][0]), std::stoull(rows[0][1]), 256};
    ExpectVerifyFails(dir, "tile " + TilePath(id));
  }
}

TEST_F(AuditTest, FlippedByteInACheckpointIsLocated) {
  for (int trial = 0; trial < 6; ++trial) {
    sqlite3* db;
    std::string dir = Copy(&db);
    auto rows = Query(db, "SELECT size, note FROM checkpoints ORDER BY random() LIMIT 1");
    FlipByte(db, "checkpoints", "note", "size=" + rows[0][0], rows[0][1], &rng_);
    sqlite3_close(db);
    ExpectVerifyFails(dir, "checkpoint");
    ExpectVerifyFails(dir, "size " + rows[0][0]);
  }
}

TEST_F(AuditTest, ChangedProjectionRowsAreLocated) {
  struct Case {
    std::string table, key_sql, update_fmt;
  };
  // Each update changes one row; %K is its key.
  const std::vector<Case> cases = {
      {"holdings", "SELECT id FROM holdings ORDER BY random() LIMIT 1",
       "UPDATE holdings SET status='in_store', holder='' WHERE id='%K' AND status!='in_store'"},
      {"holdings", "SELECT id FROM holdings ORDER BY random() LIMIT 1",
       "UPDATE holdings SET data=replace(data, '\"title\":\"', '\"title\":\"X') WHERE id='%K'"},
      {"holdings", "SELECT id FROM holdings ORDER BY random() LIMIT 1",
       "UPDATE holdings SET last_index=last_index+1 WHERE id='%K'"},
      {"people", "SELECT id FROM people ORDER BY random() LIMIT 1",
       "UPDATE people SET data=replace(data, '\"clearance\":\"', '\"clearance\":\"TOP ') WHERE "
       "id='%K'"},
      {"people", "SELECT id FROM people ORDER BY random() LIMIT 1",
       "DELETE FROM people WHERE id='%K'"},
      {"locations", "SELECT id FROM locations ORDER BY random() LIMIT 1",
       "UPDATE locations SET facility='F-ELSEWHERE' WHERE id='%K'"},
      {"facilities", "SELECT id FROM facilities ORDER BY random() LIMIT 1",
       "UPDATE facilities SET data=replace(data, 'false', 'true') WHERE id='%K'"},
      {"holding_events",
       "SELECT holding || '/' || idx FROM holding_events ORDER BY random() LIMIT 1",
       "DELETE FROM holding_events WHERE holding || '/' || idx = '%K'"},
  };
  for (const Case& c : cases) {
    sqlite3* db;
    std::string dir = Copy(&db);
    std::string key = Query(db, c.key_sql)[0][0];
    std::string sql = c.update_fmt;
    sql.replace(sql.find("%K"), 2, key);
    Exec(db, sql);
    if (sqlite3_changes(db) == 0) {  // e.g. the holding was in store already
      Exec(db, "UPDATE holdings SET status='destroyed' WHERE id='" + key + "'");
    }
    sqlite3_close(db);
    ExpectVerifyFails(dir, "projection " + c.table + " " + key);
  }
  // A row the log never implied.
  sqlite3* db;
  std::string dir = Copy(&db);
  Exec(db,
       "INSERT INTO holdings VALUES('H-FAKE','evidence','in_store','F-HQ','x','','','',0,0,0,0,'{}','')");
  sqlite3_close(db);
  ExpectVerifyFails(dir,
                    "projection holdings H-FAKE: present in the store but not implied by the log");
}

TEST_F(AuditTest, ChangedMetaOrDeletedEntryIsReported) {
  {
    sqlite3* db;
    std::string dir = Copy(&db);
    Exec(db, "UPDATE meta SET value='evil.example/log' WHERE key='origin'");
    sqlite3_close(db);
    ExpectVerifyFails(dir, "meta origin");
  }
  {
    sqlite3* db;
    std::string dir = Copy(&db);
    Exec(db, "DELETE FROM entries WHERE idx=700");
    sqlite3_close(db);
    ExpectVerifyFails(dir, "entry 700 is missing");
  }
  {
    // A store whose latest checkpoint does not match its tiles refuses writes.
    sqlite3* db;
    std::string dir = Copy(&db);
    auto rows = Query(db, "SELECT level, idx, data FROM tiles ORDER BY level, idx DESC LIMIT 1");
    FlipByte(db, "tiles", "data", "level=" + rows[0][0] + " AND idx=" + rows[0][1], rows[0][2],
             &rng_);
    sqlite3_close(db);
    RunResult r = Strongroom({"demo", "--data", dir, "--events", "5"});
    EXPECT_EQ(r.code, 7);
    EXPECT_NE(r.err.find("refusing to open the store"), std::string::npos) << r.err;
  }
  {
    // An auditor who trusts a different key sees it.
    RunResult r =
        Strongroom({"verify", "--data", *pristine_, "--key",
                    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"});
    EXPECT_EQ(r.code, 7);
    EXPECT_NE(r.err.find("is not the trusted key"), std::string::npos) << r.err;
  }
}

// Issue 11: a projection row read back with a bad value threw from deep in
// the rules and ended the process. Every such row is now DataLoss (exit 7)
// naming the table and the key, and nothing is written.
TEST_F(AuditTest, AnEditedProjectionRowIsDataLossNamingItNeverACrash) {
  struct Case {
    std::string sql;    // the insider's edit, of one row
    std::string which;  // SELECT of that row's key
    std::string words;  // what the error must say after "<table> <key>"
  };
  const std::vector<Case> cases = {
      {"UPDATE grants SET data=json_set(data,'$.expires','never') WHERE id=(SELECT id FROM "
       "grants WHERE status='live' AND scope='holding' ORDER BY id LIMIT 1)",
       "SELECT 'grants '||id FROM grants WHERE data LIKE '%never%'",
       "expires 'never', not an RFC 3339 time"},
      {"UPDATE grants SET data=json_set(data,'$.scope','everything') WHERE id=(SELECT id FROM "
       "grants WHERE status='live' AND scope='holding' ORDER BY id LIMIT 1)",
       "SELECT 'grants '||id FROM grants WHERE data LIKE '%everything%'",
       "scope 'everything', not a known one"},
      {"UPDATE people SET data=json_set(data,'$.clearance','COSMIC') WHERE id='C-HQ-1'",
       "SELECT 'people C-HQ-1'", "clearance 'COSMIC', not a level"},
      {"UPDATE people SET data=json_set(data,'$.status','retired') WHERE id='C-HQ-1'",
       "SELECT 'people C-HQ-1'", "status 'retired', not a known one"},
  };
  for (const Case& c : cases) {
    sqlite3* db;
    const std::string dir = Copy(&db);
    Exec(db, c.sql);
    const std::string where = Query(db, c.which)[0][0];
    // A check-out to the grant's person of the holding it covers, by C-HQ-1,
    // loads both records.
    const std::string person =
        Query(db,
              "SELECT person FROM grants WHERE status='live' AND scope='holding' ORDER BY id "
              "LIMIT 1")[0][0];
    const std::string holding = Query(db,
                                      "SELECT target FROM grants WHERE status='live' AND "
                                      "scope='holding' ORDER BY id LIMIT 1")[0][0];
    const uint64_t size = std::stoull(Query(db, "SELECT count(*) FROM entries")[0][0]);
    sqlite3_close(db);
    RunResult r = Strongroom({"explain", "holding", "check-out", "--data", dir, "--actor",
                              "C-HQ-1", "--holding", holding, "--to", person, "--purpose", "x",
                              "--due-back", "2030-01-01"});
    EXPECT_EQ(r.code, 7) << c.sql << ": " << r.err;
    EXPECT_NE(r.err.find(where + ": "), std::string::npos) << "want '" << where << "' in " << r.err;
    EXPECT_NE(r.err.find(c.words), std::string::npos) << "want '" << c.words << "' in " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    ASSERT_EQ(sqlite3_open((dir + "/strongroom.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(std::stoull(Query(db, "SELECT count(*) FROM entries")[0][0]), size);
    sqlite3_close(db);
  }
  // A cell of the wrong type for its column (SQLite's affinity lets it in).
  sqlite3* db;
  const std::string dir = Copy(&db);
  const std::string holding = Query(db, "SELECT id FROM holdings ORDER BY id LIMIT 1")[0][0];
  Exec(db, "UPDATE holdings SET last_index='twelve' WHERE id='" + holding + "'");
  sqlite3_close(db);
  RunResult r = Strongroom({"holding", "list", "--data", dir});
  EXPECT_EQ(r.code, 7) << r.err;
  EXPECT_NE(r.err.find("holdings row " + holding + ": column last_index is not an integer"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace strongroom::testing
