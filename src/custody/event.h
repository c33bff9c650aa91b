// Custody events and their encoding as log entries.
//
// An entry is the canonical JSON (RFC 8785, restricted) of
//   {"v":1, "type":T, "time":RFC3339, "nonce":base64(16 bytes),
//    "actor":PERSON, "holdings":[HOLDING...], "fields":{...}}
// See docs/entry-format.md for every type and its fields.
#ifndef STRONGROOM_CUSTODY_EVENT_H_
#define STRONGROOM_CUSTODY_EVENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "json/canonical.h"

namespace strongroom {

inline constexpr int kEntrySchemaVersion = 1;

enum class EventType {
  kFacilityAdd,
  kLocationAdd,
  kPersonAdd,
  kHoldingRegister,
  kCheckOut,
  kCheckIn,
  kTransfer,
  kMove,
  kDestroy,
};

// "holding.check_out" and back.
const char* EventTypeName(EventType t);
Result<EventType> ParseEventType(std::string_view name);

struct Event {
  EventType type = EventType::kFacilityAdd;
  std::string time;   // set by the sequencer
  std::string nonce;  // set by the sequencer
  std::string actor;
  std::vector<std::string> holdings;
  Json fields = Json::object();

  // The canonical entry; InvalidArgument if a field is not encodable.
  Result<std::string> ToEntry() const;
  // Parses a stored entry: canonical, known type, every envelope field valid,
  // fields valid for the type (DataLoss otherwise).
  static Result<Event> FromEntry(std::string_view entry);
  // The string value of a field, or "" if absent.
  std::string Field(const std::string& name) const;
};

// Checks an event's fields against the schema of its type: required fields
// present, no unknown fields, each value of the right type and syntax
// (identifiers, RFC 3339 times, levels). InvalidArgument names the field.
Status ValidateFields(const Event& event);

// Identifiers: 1-64 characters of [A-Za-z0-9._:-], starting alphanumeric.
bool ValidId(std::string_view id);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_EVENT_H_
