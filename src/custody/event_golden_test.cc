// Golden entries: every entry of the store an earlier release made
// (tests/testdata/upgrade/store-v2, entry schema 2, every entry type but
// access.read, which is only ever logged wrapped in a denial) parses, and
// encodes back to the very same bytes. Entries are never rewritten, so the
// codec must read every one of them forever.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <set>

#include "custody/data_dir.h"
#include "custody/event.h"
#include "custody/model.h"
#include "store/sqlite_store.h"

namespace strongroom {
namespace {

TEST(EventGoldenTest, EveryEntryOfAnEarlierReleaseRoundTripsByteForByte) {
  // A copy: SQLite may write beside a database it opens (WAL, shm).
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-golden";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(std::string(STRONGROOM_TESTDATA) + "/upgrade/store-v2/strongroom.db",
                             dir + "/strongroom.db");
  auto store = OpenSqliteStore(dir + "/strongroom.db", {}, {.read_only = true});
  ASSERT_TRUE(store.ok()) << store.status().message();
  std::set<std::string> types;
  uint64_t n = 0;
  Status st = (*store)->ScanEntries(0, 3157, [&](uint64_t index, std::string_view entry) {
    auto e = Event::FromEntry(entry);
    EXPECT_TRUE(e.ok()) << "entry " << index << ": " << e.status().message();
    if (!e.ok()) return OkStatus();
    auto again = e->ToEntry();
    EXPECT_TRUE(again.ok()) << "entry " << index;
    if (again.ok()) {
      EXPECT_EQ(*again, entry) << "entry " << index;
    }
    std::string type = EventTypeName(e->type);
    if (e->type == EventType::kDenied) type += ":" + e->Field("attempted");
    if (e->type == EventType::kRequestOpen) type += ":" + e->Field("type");
    types.insert(type);
    ++n;
    return OkStatus();
  });
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(n, 3157u);
  // Every type the release could write through its CLI.
  for (const char* t :
       {"facility.add", "facility.control", "location.add", "person.add", "person.update",
        "person.suspend", "person.reinstate", "person.dismiss", "grant.add", "grant.revoke",
        "holding.register", "holding.check_out", "holding.check_in", "holding.transfer",
        "holding.move", "holding.destroy", "holding.seal", "holding.unseal", "holding.dispatch",
        "holding.receive", "holding.reproduce", "holding.distribute", "holding.acknowledge",
        "holding.recall", "holding.release", "holding.inspect", "request.cancel",
        "record.correct", "denied:holding.check_out", "request.open:holding.destroy"}) {
    EXPECT_TRUE(types.count(t)) << "no " << t << " among the golden entries";
  }
}

// Every projection record of that store: read, then written again by the
// direct record encoder, it is the same bytes the earlier release wrote
// through a JSON tree.
template <typename T>
void ExpectRecordsRoundTrip(sqlite3* db, const char* table, size_t* count) {
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, (std::string("SELECT data FROM ") + table).c_str(), -1, &st,
                               nullptr),
            SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const std::string data(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    auto json = ParseCanonicalJson(data);
    ASSERT_TRUE(json.ok()) << table << ": " << json.status().message();
    auto record = RecordType<T>::FromJson(*json);
    ASSERT_TRUE(record.ok()) << table << ": " << record.status().message();
    const Row row = ToRow(*record);
    std::string encoded = std::get<std::string>(row.values.back());
    // Members added since (schema 4: a person's enrolment; 5: who added
    // them, the founding period, the quarantine; 7: the times oversight
    // reads; 8: a pending disposal request, facilities' settings, the
    // same-enroller detection's), at their defaults for a record of that release, are the only
    // difference.
    std::vector<std::string> added;
    if (std::string_view(table) == "people") {
      added = {"\"added_by\":\"\",", "\"approves_from\":\"\",",
               "\"enrolment\":\"\",\"enrolment_expires\":\"\",", "\"founding\":false,",
               "\"quarantine_hours\":168,", "\"founding_team\":false,"};
    } else if (std::string_view(table) == "holdings") {
      added = {"\"late_custody\":[],", "\"distributed_at\":\"\",",
               "\"legal_hold\":\"\",", "\"disposal_request\":\"\",",
               "\"disposal_request_expires\":\"\",", "\"after_hours\":[],"};
    } else if (std::string_view(table) == "requests") {
      added = {"\"approved_by\":[],", "\"same_enroller\":\"\","};
    } else if (std::string_view(table) == "facilities") {
      added = {"\"inventory_counted_from\":\"\",", "\"inventory_days\":0,",
               "\"utc_offset\":\"\",", "\"working_days\":[],", ",\"working_hours\":\"\""};
    } else if (std::string_view(table) == "dispatches") {
      added = {"\"dispatched_at\":\"\",", "\"received_at\":\"\",",
               "\"classification\":\"UNCLASSIFIED\","};
    }
    for (const std::string& member : added) {
      const size_t at = encoded.find(member);
      EXPECT_NE(at, std::string::npos) << member << " in " << encoded;
      if (at != std::string::npos) encoded.erase(at, member.size());
    }
    EXPECT_EQ(encoded, data) << table;
    ++*count;
  }
  sqlite3_finalize(st);
}

TEST(EventGoldenTest, EveryRecordOfAnEarlierReleaseEncodesToTheSameBytes) {
  sqlite3* db = nullptr;
  const std::string path = std::string(STRONGROOM_TESTDATA) + "/upgrade/store-v2/strongroom.db";
  // Immutable: nothing is written beside the fixture.
  ASSERT_EQ(sqlite3_open_v2(("file:" + path + "?immutable=1").c_str(), &db,
                            SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr),
            SQLITE_OK);
  size_t n = 0;
  ExpectRecordsRoundTrip<Facility>(db, "facilities", &n);
  ExpectRecordsRoundTrip<Location>(db, "locations", &n);
  ExpectRecordsRoundTrip<Person>(db, "people", &n);
  ExpectRecordsRoundTrip<Holding>(db, "holdings", &n);
  ExpectRecordsRoundTrip<Grant>(db, "grants", &n);
  ExpectRecordsRoundTrip<Request>(db, "requests", &n);
  ExpectRecordsRoundTrip<Dispatch>(db, "dispatches", &n);
  sqlite3_close_v2(db);
  EXPECT_EQ(n, 2231u);  // every record of every table
}

}  // namespace
}  // namespace strongroom
