#include "custody/model.h"

#include <algorithm>

#include "base/clock.h"
#include "base/encoding.h"
#include "json/canonical_reader.h"
#include "policy/policy.h"

namespace strongroom {

// A state in a record's JSON: its name. An unknown name is thrown as
// UnknownState and reported as DataLoss naming it (FromJsonChecked).
struct UnknownState {
  std::string name;
};
template <typename State>
  requires std::is_enum_v<State>
void to_json(Json& j, State s) {
  j = Name(s);
}
template <typename State>
  requires std::is_enum_v<State>
void from_json(const Json& j, State& s) {
  const std::string name = j.get<std::string>();  // a wrong type throws as usual
  auto state = ParseState<State>(name);
  if (!state) throw UnknownState{name};
  s = *state;
}

namespace {

// Field-by-field JSON mapping; missing fields take their defaults, so records
// written by older versions still read.
#define SR_FIELDS_FACILITY(X)                                                                  \
  X(id) X(name) X(heightened_control) X(control_index) X(working_hours) X(working_days)        \
      X(utc_offset) X(inventory_days) X(inventory_counted_from)
#define SR_FIELDS_LOCATION(X) X(id) X(facility) X(name) X(kind)
#define SR_FIELDS_PERSON(X)                                                             \
  X(id)                                                                                 \
  X(name)                                                                               \
  X(unit)                                                                               \
  X(roles) X(clearance) X(compartments) X(caveats) X(nationality) X(facility) X(status) \
      X(status_reason) X(public_key) X(enrolment) X(enrolment_expires) X(added_by)        \
          X(founding) X(quarantine_hours) X(approves_from) X(added_index) X(last_index)    \
              X(founding_team)
#define SR_FIELDS_GRANT(X) \
  X(id) X(person) X(scope) X(target) X(expires) X(grantor) X(status) X(ended_by)
#define SR_FIELDS_REQUEST(X) \
  X(id)                      \
  X(index) X(type) X(actor) X(holdings) X(fields) X(needs) X(expires) X(status) X(closed_index) \
      X(approved_by) X(same_enroller)
#define SR_FIELDS_DISPATCH(X) \
  X(id)                       \
  X(from_facility)            \
  X(to_facility)              \
  X(courier) X(items) X(seals) X(dispatched_by) X(status) X(received_by) X(discrepancies)      \
      X(dispatched_at) X(received_at) X(classification)
#define SR_FIELDS_OVERSIGHT(X) \
  X(id) X(kind) X(status) X(facility) X(subject) X(due) X(index) X(last_index) X(body)
#define SR_FIELDS_HOLDING(X)                                                                     \
  X(id)                                                                                          \
  X(kind)                                                                                        \
  X(title)                                                                                       \
  X(facility)                                                                                    \
  X(location) X(status) X(holder) X(purpose) X(due_back) X(classification) X(compartments)       \
      X(originator) X(copy_number) X(copies_total) X(case_number) X(item_type) X(identifiers)    \
          X(seized_at) X(seized_place) X(disposition) X(disposition_due) X(registered_by)        \
              X(registered_index) X(last_index) X(destroyed_method) X(destroyed_witness)         \
                  X(caveats) X(releasable_to) X(copy_of) X(unit) X(acknowledged_by) X(return_by) \
                      X(seal) X(container) X(contents) X(dispatch) X(destination) X(released_to) \
                          X(court_order) X(flags) X(distributed_at) X(late_custody)       \
                              X(legal_hold) X(disposal_request) X(disposal_request_expires) \
                                  X(after_hours)

#define SR_TO_JSON(f) j[#f] = v.f;
#define SR_WRITER(f) {#f, [](const auto& v, std::string* out) { Append(v.f, out); }},

// ---- The canonical JSON of a record, written straight from its fields
// (the same bytes as CanonicalJson(ToJson(v)), without building the tree).

void Append(const std::string& s, std::string* out) {
  SR_CHECK(AppendCanonicalString(s, out).ok());  // records hold validated text only
}
void Append(int64_t n, std::string* out) { SR_CHECK(AppendCanonicalInteger(n, out).ok()); }
void Append(bool b, std::string* out) { *out += b ? "true" : "false"; }
template <typename State>
  requires std::is_enum_v<State>
void Append(State s, std::string* out) {
  Append(Name(s), out);
}
void Append(const std::vector<std::string>& list, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out->push_back(',');
    Append(list[i], out);
  }
  out->push_back(']');
}
void Append(const Json& j, std::string* out);
// Byte order is RFC 8785's UTF-16 order unless a name holds a code point
// from U+E000 up (names are identifiers; a record read back may hold
// anything): those go the long way.
void Append(const std::map<std::string, std::string>& map, std::string* out) {
  for (const auto& [name, value] : map) {
    for (unsigned char c : name) {
      if (c >= 0xee) return Append(Json(map), out);
    }
  }
  out->push_back('{');
  bool first = true;
  for (const auto& [name, value] : map) {
    if (!first) out->push_back(',');
    first = false;
    Append(name, out);
    out->push_back(':');
    Append(value, out);
  }
  out->push_back('}');
}
void Append(const Json& j, std::string* out) {
  auto text = CanonicalJson(j);
  SR_CHECK(text.ok());
  *out += *text;
}

template <typename T>
struct FieldWriter {
  std::string_view name;
  void (*write)(const T&, std::string*);
};

// The writers of a record's fields in canonical member order (the names are
// ASCII, so byte order).
template <typename Named>
std::vector<Named> SortedByName(std::vector<Named> writers) {
  std::sort(writers.begin(), writers.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return writers;
}

template <typename T>
std::string Encode(const std::vector<FieldWriter<T>>& writers, const T& v) {
  std::string out;
  out.reserve(512);
  out.push_back('{');
  for (size_t i = 0; i < writers.size(); ++i) {
    if (i) out.push_back(',');
    out.push_back('"');
    out.append(writers[i].name);
    out += "\":";
    writers[i].write(v, &out);
  }
  out.push_back('}');
  return out;
}

// ---- A record read straight from canonical text: each member by the
// reader of the field it names (in canonical order, as the members come),
// members of no field skipped. Any surprise (a value of another type, text
// not canonical) gives up, and the caller takes the JSON-tree path, which
// says precisely what is wrong — or accepts what this path is stricter on.

using Token = CanonicalReader::Token;
bool Read(CanonicalReader* r, std::string* v) { return r->Peek() == Token::kString && r->String(v); }
bool Read(CanonicalReader* r, int64_t* v) { return r->Peek() == Token::kInteger && r->Integer(v); }
bool Read(CanonicalReader* r, bool* v) { return r->Peek() == Token::kBool && r->Bool(v); }
template <typename State>
  requires std::is_enum_v<State>
bool Read(CanonicalReader* r, State* v) {
  std::string name;
  if (!Read(r, &name)) return false;
  auto state = ParseState<State>(name);
  if (state) *v = *state;
  return state.has_value();  // else the JSON path names it
}
bool Read(CanonicalReader* r, std::vector<std::string>* v) {
  if (r->Peek() != Token::kArray) return false;
  v->clear();
  r->BeginArray();
  while (r->NextElement()) {
    if (!Read(r, &v->emplace_back())) return false;
  }
  return r->ok();
}
bool Read(CanonicalReader* r, std::map<std::string, std::string>* v) {
  if (r->Peek() != Token::kObject) return false;
  v->clear();
  std::string name;
  r->BeginObject();
  while (r->NextMember(&name)) {
    if (!Read(r, &(*v)[name])) return false;
  }
  return r->ok();
}
bool Read(CanonicalReader* r, Json* v) {
  std::string_view raw;
  if (!r->Raw(&raw)) return false;
  auto j = ParseJson(raw);
  if (!j.ok()) return false;
  *v = std::move(j).value();
  return true;
}

template <typename T>
struct FieldReader {
  std::string_view name;
  bool (*read)(CanonicalReader*, T&);
};
#define SR_READER(f) {#f, [](CanonicalReader* r, auto& v) { return Read(r, &v.f); }},

template <typename T>
std::optional<T> ReadRecord(const std::vector<FieldReader<T>>& readers, std::string_view text) {
  CanonicalReader r(text);
  T v;
  if (r.Peek() != Token::kObject) return std::nullopt;
  r.BeginObject();
  std::string name;
  size_t i = 0;  // readers are sorted: walk them beside the members
  while (r.NextMember(&name)) {
    while (i < readers.size() && readers[i].name < name) ++i;
    if (i < readers.size() && readers[i].name == name) {
      if (!readers[i].read(&r, v)) return std::nullopt;
    } else {
      std::string_view skipped;
      if (!r.Raw(&skipped)) return std::nullopt;
    }
  }
  if (!r.End()) return std::nullopt;
  return v;
}

#define SR_FROM_JSON(f) \
  if (auto it = j.find(#f); it != j.end()) it->get_to(v.f);

template <typename T, typename Fn>
Result<T> FromJsonChecked(const Json& j, const char* what, Fn fn) {
  if (!j.is_object()) return DataLoss(std::string(what) + " record is not a JSON object");
  try {
    T v;
    fn(j, v);
    return v;
  } catch (const Json::exception& e) {
    return DataLoss(std::string(what) + " record has a field of the wrong type");
  } catch (const UnknownState& e) {
    return DataLoss(std::string(what) + " record has status '" + e.name + "', not a known one");
  }
}

// A time as an integer column: Unix microseconds, 0 for none.
int64_t TimeColumn(const std::string& rfc3339) {
  if (rfc3339.empty()) return 0;
  auto t = ParseRfc3339(rfc3339);
  return t.ok() ? *t : 0;
}

Result<Json> JsonOfRow(std::string_view text) {
  auto j = ParseJson(text);
  if (!j.ok()) return DataLoss("row data is not JSON: " + j.status().message());
  return j;
}

Row MakeRow(std::vector<Value> values, std::string data) {
  values.emplace_back(std::move(data));
  return Row{std::move(values)};
}

}  // namespace

// One record type's three codecs, from its field list: the JSON tree
// (ToJson, for queries and answers), the checked parse (FromJsonChecked; the
// values are validated by <T>FromJson below) and the direct canonical
// encoding of its row.
#define SR_RECORD_CODEC(T, FIELDS, WORD)                                        \
  static std::string EncodeRecord(const T& v) {                                 \
    static const auto kWriters = SortedByName<FieldWriter<T>>({FIELDS(SR_WRITER)});        \
    return Encode(kWriters, v);                                                 \
  }                                                                             \
  static Result<T> Parse##T(const Json& j) {                                    \
    return FromJsonChecked<T>(j, WORD,                                          \
                              [](const Json& j, T& v) { FIELDS(SR_FROM_JSON) });  \
  }                                                                             \
  static Result<T> Parse##T##Text(std::string_view text) {                      \
    static const auto kReaders = SortedByName<FieldReader<T>>({FIELDS(SR_READER)});        \
    if (auto v = ReadRecord(kReaders, text)) return std::move(*v);              \
    SR_ASSIGN_OR_RETURN(Json j, JsonOfRow(text));                               \
    return Parse##T(j);                                                         \
  }                                                                             \
  Json ToJson(const T& v) {                                                     \
    Json j;                                                                     \
    FIELDS(SR_TO_JSON) return j;                                                \
  }
SR_RECORD_CODEC(Facility, SR_FIELDS_FACILITY, "facility")
SR_RECORD_CODEC(Location, SR_FIELDS_LOCATION, "location")
SR_RECORD_CODEC(Person, SR_FIELDS_PERSON, "person")
SR_RECORD_CODEC(Holding, SR_FIELDS_HOLDING, "holding")
SR_RECORD_CODEC(Grant, SR_FIELDS_GRANT, "grant")
SR_RECORD_CODEC(Request, SR_FIELDS_REQUEST, "request")
SR_RECORD_CODEC(Dispatch, SR_FIELDS_DISPATCH, "dispatch")
SR_RECORD_CODEC(OversightRecord, SR_FIELDS_OVERSIGHT, "oversight")
#undef SR_RECORD_CODEC

const std::vector<std::string>& Levels() {
  static const std::vector<std::string> kLevels(policy::kLevelNames.begin(),
                                                policy::kLevelNames.end());
  return kLevels;
}

Result<int> LevelRank(const std::string& name) {
  const auto& levels = Levels();
  auto it = std::find(levels.begin(), levels.end(), name);
  if (it == levels.end()) {
    std::string all;
    for (const auto& l : levels) all += (all.empty() ? "" : ", ") + l;
    return InvalidArgument("unknown level '" + name + "' (one of: " + all + ")");
  }
  return static_cast<int>(it - levels.begin());
}

const std::vector<std::string>& KnownRoles() {
  static const std::vector<std::string> kRoles(policy::kRoleNames.begin(),
                                               policy::kRoleNames.end());
  return kRoles;
}

bool Person::HasRole(const std::string& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

namespace {

// Stored records are input: beyond their JSON types, every value the rules
// take for granted (a time, a level, a state, a key) is checked when a record
// is read, so a row edited in the database file is a DataLoss naming it, never
// an exception or an abort further up.
Status OneOf(const char* what, const std::string& field, const std::string& value,
             std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (value == a) return OkStatus();
  }
  return DataLoss(std::string(what) + " record has " + field + " '" + value + "', not a known one");
}
Status Time(const char* what, const std::string& field, const std::string& value, bool optional) {
  if (optional && value.empty()) return OkStatus();
  if (!ParseRfc3339(value).ok()) {
    return DataLoss(std::string(what) + " record has " + field + " '" + value +
                    "', not an RFC 3339 time");
  }
  return OkStatus();
}
Status Level(const char* what, const std::string& field, const std::string& value) {
  if (policy::LevelRank(value) < 0) {
    return DataLoss(std::string(what) + " record has " + field + " '" + value + "', not a level");
  }
  return OkStatus();
}
Status Key(const char* what, const std::string& value) {
  if (value.empty()) return OkStatus();
  auto key = Base64Decode(value);
  if (!key.ok() || key->size() != 32) {
    return DataLoss(std::string(what) + " record has a public_key that is not an Ed25519 key");
  }
  return OkStatus();
}

// Beyond the JSON types: every value the rules take for granted.
Result<Facility> Validated(Facility f) { return f; }
Result<Location> Validated(Location l) { return l; }
Result<Person> Validated(Person p) {
  SR_RETURN_IF_ERROR(Level("person", "clearance", p.clearance));
  SR_RETURN_IF_ERROR(Key("person", p.public_key));
  SR_RETURN_IF_ERROR(Time("person", "enrolment_expires", p.enrolment_expires, true));
  SR_RETURN_IF_ERROR(Time("person", "approves_from", p.approves_from, true));
  if (p.quarantine_hours < 0) return DataLoss("person record has a negative quarantine_hours");
  return p;
}
Result<Holding> Validated(Holding h) {
  SR_RETURN_IF_ERROR(Level("holding", "classification", h.classification));
  SR_RETURN_IF_ERROR(Time("holding", "due_back", h.due_back, true));
  SR_RETURN_IF_ERROR(Time("holding", "seized_at", h.seized_at, true));
  SR_RETURN_IF_ERROR(Time("holding", "disposition_due", h.disposition_due, true));
  SR_RETURN_IF_ERROR(Time("holding", "return_by", h.return_by, true));
  SR_RETURN_IF_ERROR(Time("holding", "distributed_at", h.distributed_at, true));
  return h;
}
Result<Grant> Validated(Grant g) {
  SR_RETURN_IF_ERROR(OneOf("grant", "scope", g.scope, {"holding", "case", "compartment"}));
  SR_RETURN_IF_ERROR(Time("grant", "expires", g.expires, false));
  return g;
}
Result<Request> Validated(Request r) {
  SR_RETURN_IF_ERROR(Time("request", "expires", r.expires, false));
  if (!r.fields.is_object()) return DataLoss("request record's fields are not an object");
  return r;
}
Result<Dispatch> Validated(Dispatch d) {
  SR_RETURN_IF_ERROR(Level("dispatch", "classification", d.classification));
  SR_RETURN_IF_ERROR(Time("dispatch", "dispatched_at", d.dispatched_at, true));
  SR_RETURN_IF_ERROR(Time("dispatch", "received_at", d.received_at, true));
  return d;
}
Result<OversightRecord> Validated(OversightRecord r) {
  SR_RETURN_IF_ERROR(Time("oversight", "due", r.due, true));
  if (!r.body.is_object()) return DataLoss("oversight record's body is not an object");
  return r;
}

}  // namespace

#define SR_RECORD_PARSERS(T)                                      \
  Result<T> T##FromJson(const Json& j) {                          \
    SR_ASSIGN_OR_RETURN(T v, Parse##T(j));                        \
    return Validated(std::move(v));                               \
  }                                                               \
  Result<T> T##FromText(std::string_view text) {                  \
    SR_ASSIGN_OR_RETURN(T v, Parse##T##Text(text));               \
    return Validated(std::move(v));                               \
  }
SR_RECORD_PARSERS(Facility)
SR_RECORD_PARSERS(Location)
SR_RECORD_PARSERS(Person)
SR_RECORD_PARSERS(Holding)
SR_RECORD_PARSERS(Grant)
SR_RECORD_PARSERS(Request)
SR_RECORD_PARSERS(Dispatch)
SR_RECORD_PARSERS(OversightRecord)
#undef SR_RECORD_PARSERS

const std::vector<TableSpec>& ProjectionTables() {
  static const std::vector<TableSpec> kTables = {
      {"facilities", {"id", "data"}, {false, false}, 1, {}},
      {"locations", {"id", "facility", "data"}, {false, false, false}, 1, {"facility"}},
      {"people", {"id", "status", "data"}, {false, false, false}, 1, {}},
      {"holdings",
       {"id", "kind", "status", "facility", "location", "holder", "case_number", "unit",
        "due_back", "disposition_due", "noted", "last_index", "data"},
       {false, false, false, false, false, false, false, false, true, true, true, true, false},
       1,
       {"status", "holder", "case_number", "facility", "location", "unit", "due_back",
        "disposition_due", "noted"}},
      {"holding_events", {"holding", "idx"}, {false, true}, 2, {}},
      {"grants",
       {"id", "person", "status", "scope", "target", "expires", "data"},
       {false, false, false, false, false, true, false},
       1,
       {"person,scope,target", "expires"}},
      {"requests", {"id", "status", "noted", "data"}, {false, false, true, false}, 1, {"status", "noted"}},
      {"dispatches", {"id", "status", "data"}, {false, false, false}, 1, {"status"}},
      {"denials", {"idx", "actor", "type", "at"}, {true, false, false, true}, 1, {"actor", "at"}},
      {"corrections", {"corrected", "idx", "reason"}, {true, true, false}, 2, {}},
      {"oversight_records",
       {"id", "kind", "status", "facility", "subject", "due", "data"},
       {false, false, false, false, false, true, false},
       1,
       {"kind,status", "facility", "subject", "due"}},
  };
  return kTables;
}

std::vector<Value> Columns(const Facility& v) { return {v.id}; }
std::vector<Value> Columns(const Location& v) { return {v.id, v.facility}; }
std::vector<Value> Columns(const Person& v) { return {v.id, Name(v.status)}; }
std::vector<Value> Columns(const Holding& v) {
  return {v.id,          v.kind,      Name(v.status),
          v.facility,    v.location,  v.holder,
          v.case_number, v.unit,      TimeColumn(v.due_back),
          TimeColumn(v.disposition_due),
          static_cast<int64_t>(v.late_custody.size() + v.after_hours.size()), v.last_index};
}
std::vector<Value> Columns(const Grant& v) {
  return {v.id, v.person, Name(v.status), v.scope, v.target, TimeColumn(v.expires)};
}
std::vector<Value> Columns(const Request& v) {
  return {v.id, Name(v.status), int64_t{v.same_enroller.empty() ? 0 : 1}};
}
std::vector<Value> Columns(const Dispatch& v) { return {v.id, Name(v.status)}; }
std::vector<Value> Columns(const OversightRecord& v) {
  return {v.id, v.kind, v.status, v.facility, v.subject, TimeColumn(v.due)};
}

Row ToRow(const Facility& v) { return MakeRow(Columns(v), EncodeRecord(v)); }
Row ToRow(const Location& v) { return MakeRow(Columns(v), EncodeRecord(v)); }
Row ToRow(const Person& v) { return MakeRow(Columns(v), EncodeRecord(v)); }
Row ToRow(const Holding& v) { return MakeRow(Columns(v), EncodeRecord(v)); }
Row ToRow(const Grant& v) { return MakeRow(Columns(v), EncodeRecord(v)); }
Row ToRow(const Request& v) { return MakeRow(Columns(v), EncodeRecord(v)); }
Row ToRow(const Dispatch& v) { return MakeRow(Columns(v), EncodeRecord(v)); }
Row ToRow(const OversightRecord& v) { return MakeRow(Columns(v), EncodeRecord(v)); }
Row DenialRow(uint64_t index, const std::string& actor, const std::string& type, int64_t at) {
  return Row{{static_cast<int64_t>(index), actor, type, at}};
}
Row CorrectionRow(uint64_t corrected, uint64_t index, const std::string& reason) {
  return Row{{static_cast<int64_t>(corrected), static_cast<int64_t>(index), reason}};
}
Row HoldingEventRow(const std::string& holding, uint64_t index) {
  return Row{{holding, static_cast<int64_t>(index)}};
}

Result<std::string_view> RowText(const Row& row) {
  if (row.values.empty()) return DataLoss("empty row");
  const auto* text = std::get_if<std::string>(&row.values.back());
  if (!text) return DataLoss("row data is not text");
  return std::string_view(*text);
}

Result<Json> RowData(const Row& row) {
  SR_ASSIGN_OR_RETURN(std::string_view text, RowText(row));
  return JsonOfRow(text);
}

}  // namespace strongroom
