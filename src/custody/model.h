// The custody records: facilities, locations, people and holdings, as the
// projection stores them. Each record is a plain struct; its canonical JSON
// is the `data` column of its projection row, and a few fields are copied to
// indexed columns for queries (see Projection tables below).
#ifndef STRONGROOM_CUSTODY_MODEL_H_
#define STRONGROOM_CUSTODY_MODEL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "json/canonical.h"
#include "store/store.h"

namespace strongroom {

// Classification and clearance levels, lowest first.
inline const std::vector<std::string>& Levels() {
  static const std::vector<std::string> kLevels = {"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL",
                                                   "SECRET", "TOP SECRET"};
  return kLevels;
}
// The rank of a level name, or InvalidArgument listing the valid names.
Result<int> LevelRank(const std::string& name);

inline constexpr const char* kRoleAdministrator = "administrator";
inline constexpr const char* kRoleCustodian = "custodian";
inline constexpr const char* kRoleHolder = "holder";
inline constexpr const char* kRoleInspector = "inspector";
inline constexpr const char* kRoleSecurityManager = "security_manager";
const std::vector<std::string>& KnownRoles();

struct Facility {
  std::string id;
  std::string name;
  bool heightened_control = false;
};

struct Location {
  std::string id;
  std::string facility;
  std::string name;
  std::string kind;  // vault | safe | shelf | bin | room
};

struct Person {
  std::string id;
  std::string name;
  std::string unit;
  std::vector<std::string> roles;
  std::string clearance = "UNCLASSIFIED";
  std::vector<std::string> compartments;
  std::string status = "active";  // active | suspended | dismissed

  bool HasRole(const std::string& role) const;
};

// Holding status values.
inline constexpr const char* kInStore = "in_store";
inline constexpr const char* kCheckedOut = "checked_out";
inline constexpr const char* kDestroyed = "destroyed";

struct Holding {
  std::string id;
  std::string kind;  // document | evidence
  std::string title;
  std::string facility;
  std::string location;
  std::string status = kInStore;
  std::string holder;    // person id while checked out
  std::string purpose;   // of the current check-out
  std::string due_back;  // RFC 3339, of the current check-out
  // Documents.
  std::string classification = "UNCLASSIFIED";
  std::vector<std::string> compartments;
  std::string originator;
  int64_t copy_number = 0;
  int64_t copies_total = 0;
  // Evidence items.
  std::string case_number;
  std::string item_type;
  std::map<std::string, std::string> identifiers;  // e.g. {"imei": "35..."}
  std::string seized_at;                           // RFC 3339
  std::string seized_place;
  std::string disposition;  // destroy | return | retain
  std::string disposition_due;
  // Registration and end of life.
  std::string registered_by;
  int64_t registered_index = 0;
  int64_t last_index = 0;
  std::string destroyed_method;
  std::string destroyed_witness;
};

Json ToJson(const Facility& v);
Json ToJson(const Location& v);
Json ToJson(const Person& v);
Json ToJson(const Holding& v);
Result<Facility> FacilityFromJson(const Json& j);
Result<Location> LocationFromJson(const Json& j);
Result<Person> PersonFromJson(const Json& j);
Result<Holding> HoldingFromJson(const Json& j);

// The projection's tables, in the order of ProjectionTables().
enum ProjectionTable : size_t {
  kFacilitiesTable = 0,
  kLocationsTable,
  kPeopleTable,
  kHoldingsTable,
  kHoldingEventsTable,
};
const std::vector<TableSpec>& ProjectionTables();

Row ToRow(const Facility& v);
Row ToRow(const Location& v);
Row ToRow(const Person& v);
Row ToRow(const Holding& v);
Row HoldingEventRow(const std::string& holding, uint64_t index);
// The record's JSON from a row's data column (the last column).
Result<Json> RowData(const Row& row);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_MODEL_H_
