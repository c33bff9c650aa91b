// The custody records: facilities, locations, people and holdings, as the
// projection stores them. Each record is a plain struct; its canonical JSON
// is the `data` column of its projection row, and a few fields are copied to
// indexed columns for queries (see Projection tables below).
#ifndef STRONGROOM_CUSTODY_MODEL_H_
#define STRONGROOM_CUSTODY_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "json/canonical.h"
#include "store/store.h"

namespace strongroom {

// Classification and clearance levels, lowest first (the policy's lattice).
const std::vector<std::string>& Levels();
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
  int64_t control_index = 0;  // the event that last set heightened control
  // Set by facility.configure. Working hours "08:00-18:00" (an overnight
  // shift "22:00-06:00"; "" or "always": no hours) in the facility's local
  // time, `utc_offset` ("+01:00") from UTC, on `working_days` ("mon" ...
  // "sun"; none: every day): a check-out outside them is noted on the
  // holding (Holding::after_hours).
  std::string working_hours;
  std::vector<std::string> working_days;
  std::string utc_offset;
  // A full inventory is due every `inventory_days` (0: no interval),
  // counted from the latest full inventory of the whole facility closed, or
  // from when the interval was first set (RFC 3339).
  int64_t inventory_days = 0;
  std::string inventory_counted_from;
};

struct Location {
  std::string id;
  std::string facility;
  std::string name;
  std::string kind;  // vault | safe | shelf | bin | room
};

// ---- Record states: enums, stored and shown by their names.

enum class PersonStatus : uint8_t { kActive, kSuspended, kDismissed };
enum class HoldingStatus : uint8_t {
  kInStore,
  kCheckedOut,
  kDestroyed,
  kInTransit,
  kDistributed,
  kReleased,
  // Found missing by an inspection and written off by two people.
  kWrittenOff
};
enum class GrantStatus : uint8_t { kLive, kRevoked, kEnded };
enum class RequestStatus : uint8_t { kOpen, kDone, kCancelled };
enum class DispatchStatus : uint8_t { kInTransit, kReceived, kReceivedWithDiscrepancies };

template <typename State>
struct StateNames;
#define SR_STATE_NAMES(State, ...)                                   \
  template <>                                                        \
  struct StateNames<State> {                                         \
    static constexpr std::string_view kNames[] = {__VA_ARGS__};      \
  };
SR_STATE_NAMES(PersonStatus, "active", "suspended", "dismissed")
SR_STATE_NAMES(HoldingStatus, "in_store", "checked_out", "destroyed", "in_transit", "distributed",
               "released", "written_off")
SR_STATE_NAMES(GrantStatus, "live", "revoked", "ended")
SR_STATE_NAMES(RequestStatus, "open", "done", "cancelled")
SR_STATE_NAMES(DispatchStatus, "in_transit", "received", "received_with_discrepancies")
#undef SR_STATE_NAMES

// "in_store" for HoldingStatus::kInStore.
template <typename State>
std::string Name(State s) {
  return std::string(StateNames<State>::kNames[static_cast<size_t>(s)]);
}
// The state named `name`, if any.
template <typename State>
std::optional<State> ParseState(std::string_view name) {
  const auto& names = StateNames<State>::kNames;
  for (size_t i = 0; i < std::size(names); ++i) {
    if (names[i] == name) return static_cast<State>(i);
  }
  return std::nullopt;
}

// A newly enrolled person approves and witnesses only this long after
// enrolling (the founding entry may set another length).
inline constexpr int64_t kDefaultQuarantineHours = 7 * 24;

struct Person {
  std::string id;
  std::string name;
  std::string unit;
  std::vector<std::string> roles;
  std::string clearance = "UNCLASSIFIED";
  std::vector<std::string> compartments;
  std::vector<std::string> caveats;  // handling caveats the person may see
  std::string nationality;           // for releasability
  std::string facility;              // home facility (custodians)
  PersonStatus status = PersonStatus::kActive;
  std::string status_reason;
  std::string public_key;  // base64 Ed25519 key: the person's signatures
  // Until they enrol (person.enrol): the commitment to their one-time
  // enrolment code (base64 SHA-256, EnrolmentCommitment) and its expiry.
  std::string enrolment;
  std::string enrolment_expires;
  // Who added them (the same-enroller detection reads it), and whether
  // that was the founder setting the store up alone (the founding team).
  std::string added_by;
  bool founding_team = false;
  // The store's founder while they set it up alone: until they give someone
  // else the role administrator or security_manager, they add people and
  // give roles without a second person (policy::Context::founding).
  bool founding = false;
  // The store's quarantine after enrolment, in hours (set by the founding
  // entry, carried from person to person as they are added).
  int64_t quarantine_hours = kDefaultQuarantineHours;
  // From when they approve and witness (RFC 3339): their enrolment plus the
  // quarantine, or when they were added by the founder setting up the store.
  // Empty for people enrolled before the rule (no quarantine).
  std::string approves_from;
  int64_t added_index = 0;
  int64_t last_index = 0;

  bool HasRole(const std::string& role) const;
};

struct Holding {
  std::string id;
  std::string kind;  // document | evidence
  std::string title;
  std::string facility;
  std::string location;
  HoldingStatus status = HoldingStatus::kInStore;
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
  // Markings beyond classification (documents).
  std::vector<std::string> caveats;
  std::vector<std::string> releasable_to;
  // Copies: the original of a reproduced or distributed copy.
  std::string copy_of;
  // Distributed copies: the unit, who acknowledged receipt, return-by date.
  std::string unit;
  std::string acknowledged_by;
  std::string return_by;
  std::string distributed_at;  // RFC 3339: when the copy went out
  // Seals and containers.
  std::string seal;
  std::string container;              // the container this holding is sealed in
  std::vector<std::string> contents;  // containers: what is sealed inside
  // Transport between facilities.
  std::string dispatch;  // the dispatch it travels under, while in transit
  std::string destination;
  // Release.
  std::string released_to;
  std::string court_order;
  // A legal hold in force ("<reference> (entry N)"): no destruction, no
  // release, and no disposition deadline runs, until it is lifted.
  std::string legal_hold;
  // Flags raised for oversight: "seal broken at receipt (entry 91)", ...
  std::vector<std::string> flags;
  // A request to destroy or release it, pending second person: its id and
  // when it expires (RFC 3339); cleared when it is cancelled.
  std::string disposal_request;
  std::string disposal_request_expires;
  // Every check-out, transfer, move or dispatch after its disposition
  // deadline (with no legal hold) or while a request to destroy or release
  // it is pending: "<RFC 3339 time> <actor>", kept for good (activity on an
  // item awaiting its disposition is a detection, even once it is gone).
  std::vector<std::string> late_custody;
  // Every check-out outside its facility's working hours: "<RFC 3339
  // time> <actor>", kept for good.
  std::vector<std::string> after_hours;
};

// Need-to-know for a person on a holding (and its copies), a case or a
// compartment, until `expires`.
struct Grant {
  std::string id;  // G-<index of the grant event>
  std::string person;
  std::string scope;  // holding | case | compartment
  std::string target;
  std::string expires;
  std::string grantor;
  GrantStatus status = GrantStatus::kLive;
  std::string ended_by;         // revoked or ended: why
};

// A two-person action waiting for its second person.
struct Request {
  std::string id;  // R-<index of the request event>
  int64_t index = 0;
  std::string type;  // the requested event type
  std::string actor;
  std::vector<std::string> holdings;
  Json fields = Json::object();
  std::vector<std::string> needs;  // why a second person is needed
  std::string expires;
  RequestStatus status = RequestStatus::kOpen;
  int64_t closed_index = 0;
  // Once approved: who approved it, and the person who added both the
  // requester and an approver, if one did and neither is of the founding
  // team — the same-enroller detection: one administrator's two puppets.
  std::vector<std::string> approved_by;
  std::string same_enroller;
};

// A consignment between facilities.
struct Dispatch {
  std::string id;  // D-<index>
  std::string from_facility;
  std::string to_facility;
  std::string courier;
  std::vector<std::string> items;
  std::map<std::string, std::string> seals;  // item -> seal number at dispatch
  std::string dispatched_by;
  DispatchStatus status = DispatchStatus::kInTransit;
  std::string received_by;
  std::vector<std::string> discrepancies;
  // When it left and arrived (RFC 3339), and the highest classification
  // among its items (the time allowed in transit depends on it).
  std::string dispatched_at;
  std::string received_at;
  std::string classification = "UNCLASSIFIED";
};

// A record of a layer above custody (oversight/: an inspection, a
// detection): the custody core stores, caches and rebuilds it like its own
// records; the owning layer gives `body` its meaning. `kind` names the
// record's type ("inspection"); status, facility, subject and due are the
// indexed columns its queries read (due: RFC 3339 or empty).
struct OversightRecord {
  std::string id;
  std::string kind;
  std::string status;
  std::string facility;
  std::string subject;
  std::string due;
  int64_t index = 0;  // the entry that created it
  int64_t last_index = 0;
  Json body = Json::object();
};

Json ToJson(const Facility& v);
Json ToJson(const Location& v);
Json ToJson(const Person& v);
Json ToJson(const Holding& v);
Result<Facility> FacilityFromJson(const Json& j);
Result<Location> LocationFromJson(const Json& j);
Result<Person> PersonFromJson(const Json& j);
Result<Holding> HoldingFromJson(const Json& j);
Json ToJson(const Grant& v);
Json ToJson(const Request& v);
Json ToJson(const Dispatch& v);
Result<Grant> GrantFromJson(const Json& j);
Result<Request> RequestFromJson(const Json& j);
Result<Dispatch> DispatchFromJson(const Json& j);
Json ToJson(const OversightRecord& v);
Result<OversightRecord> OversightRecordFromJson(const Json& j);
// The same from a row's data text: read straight from canonical text (no
// JSON tree), or through the tree when the text is not canonical; the same
// record, or the same DataLoss, either way.
Result<Facility> FacilityFromText(std::string_view text);
Result<Location> LocationFromText(std::string_view text);
Result<Person> PersonFromText(std::string_view text);
Result<Holding> HoldingFromText(std::string_view text);
Result<Grant> GrantFromText(std::string_view text);
Result<Request> RequestFromText(std::string_view text);
Result<Dispatch> DispatchFromText(std::string_view text);
Result<OversightRecord> OversightRecordFromText(std::string_view text);

// The projection's tables, in the order of ProjectionTables().
enum ProjectionTable : size_t {
  kFacilitiesTable = 0,
  kLocationsTable,
  kPeopleTable,
  kHoldingsTable,
  kHoldingEventsTable,
  kGrantsTable,
  kRequestsTable,
  kDispatchesTable,
  kDenialsTable,      // (idx, actor, attempted type, time in Unix microseconds)
  kCorrectionsTable,  // (corrected idx, correcting idx, reason)
  kOversightTable,    // OversightRecord
};
const std::vector<TableSpec>& ProjectionTables();

// A record's row: its key and indexed columns (Columns), then its canonical
// JSON as the `data` column.
std::vector<Value> Columns(const Facility& v);
std::vector<Value> Columns(const Location& v);
std::vector<Value> Columns(const Person& v);
std::vector<Value> Columns(const Holding& v);
std::vector<Value> Columns(const Grant& v);
std::vector<Value> Columns(const Request& v);
std::vector<Value> Columns(const Dispatch& v);
std::vector<Value> Columns(const OversightRecord& v);
Row ToRow(const Facility& v);
Row ToRow(const Location& v);
Row ToRow(const Person& v);
Row ToRow(const Holding& v);
Row ToRow(const Grant& v);
Row ToRow(const Request& v);
Row ToRow(const Dispatch& v);
Row ToRow(const OversightRecord& v);
Row HoldingEventRow(const std::string& holding, uint64_t index);
Row DenialRow(uint64_t index, const std::string& actor, const std::string& type, int64_t at);
Row CorrectionRow(uint64_t corrected, uint64_t index, const std::string& reason);
// The record's JSON from a row's data column (the last column).
Result<Json> RowData(const Row& row);
// That column's text.
Result<std::string_view> RowText(const Row& row);

// Each record type as the projection stores it: its table, and how a row's
// JSON becomes the record (validated: DataLoss otherwise); ToRow() above is
// the other direction. The projection is generic over these.
template <typename T>
struct RecordType;
#define SR_RECORD_TYPE(T, table)                                                      \
  template <>                                                                         \
  struct RecordType<T> {                                                              \
    static constexpr ProjectionTable kTable = table;                                  \
    static Result<T> FromJson(const Json& j) { return T##FromJson(j); }               \
    static Result<T> FromText(std::string_view text) { return T##FromText(text); }    \
  };
SR_RECORD_TYPE(Facility, kFacilitiesTable)
SR_RECORD_TYPE(Location, kLocationsTable)
SR_RECORD_TYPE(Person, kPeopleTable)
SR_RECORD_TYPE(Holding, kHoldingsTable)
SR_RECORD_TYPE(Grant, kGrantsTable)
SR_RECORD_TYPE(Request, kRequestsTable)
SR_RECORD_TYPE(Dispatch, kDispatchesTable)
SR_RECORD_TYPE(OversightRecord, kOversightTable)
#undef SR_RECORD_TYPE

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_MODEL_H_
