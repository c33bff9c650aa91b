// The fields of an event: one typed value for each field its kind declares
// (kinds/kind.h's table), checked when they are made — from a request's JSON,
// from a stored entry's canonical text, or one by one — so a Fields always
// holds values valid for its kind, and rules read them without re-checking.
// No JSON tree: entries are read and written straight from these values.
#ifndef STRONGROOM_CUSTODY_FIELDS_H_
#define STRONGROOM_CUSTODY_FIELDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.h"
#include "json/canonical.h"

namespace strongroom {

struct EventKind;
struct FieldSpec;
class CanonicalReader;

using Strings = std::vector<std::string>;
// {identifier: text}, in canonical (name) order.
using StringMap = std::vector<std::pair<std::string, std::string>>;
// The canonical JSON text of an object (what a wrapper carries: the fields
// of the event it wraps, read as that event's kind once it is known).
struct ObjectText {
  std::string text;
  bool operator==(const ObjectText&) const = default;
};
// Absent, or: an identifier, text, time, level, choice or key; a count or
// index; a boolean; a list; a map; an object.
using FieldValue =
    std::variant<std::monostate, std::string, int64_t, bool, Strings, StringMap, ObjectText>;

// The salt of sealed field `field` of an event of kind `kind` whose fields
// are sealed under `key`: HMAC-SHA256(key, "strongroom field salt v1\n" ||
// kind || "/" || field), 32 bytes.
std::string SealedFieldSalt(std::string_view key, std::string_view kind, std::string_view field);
// A sealed value's commitment, as the entry holds it: base64 of
// SHA-256("strongroom sealed field v1\n" || salt || the value's canonical
// JSON).
std::string SealedValueCommitment(std::string_view salt, std::string_view canonical_value);

class Fields {
 public:
  // No fields, of no kind yet (an event's fields before they are set).
  Fields() = default;
  // No fields yet, of `kind` (to Set them one by one).
  explicit Fields(const EventKind& kind);

  // From a JSON object (a request body, the command line, a test):
  // InvalidArgument naming the unknown, missing or malformed field.
  static Result<Fields> FromJson(const EventKind& kind, const Json& object);
  // From canonical JSON text (a stored entry's fields, a wrapper's object):
  // InvalidArgument as FromJson, DataLoss if the text is not canonical.
  static Result<Fields> FromCanonical(const EventKind& kind, std::string_view text);
  static Result<Fields> Read(const EventKind& kind, CanonicalReader* reader);

  // The kind these fields are of; null for default-constructed ones.
  const EventKind* kind() const { return kind_; }

  bool contains(std::string_view name) const;
  // How many fields are present.
  size_t size() const;
  // The value of a field, or the type's empty value if it is absent.
  const std::string& Text(std::string_view name) const;
  int64_t Int(std::string_view name) const;
  bool Bool(std::string_view name) const;
  const Strings& List(std::string_view name) const;
  const StringMap& Map(std::string_view name) const;
  std::string_view Object(std::string_view name) const;

  // Sets one field (InvalidArgument as FromJson: the client filling in a
  // derived field, the sequencer writing a wrapper).
  Status Set(std::string_view name, const Json& value);
  Status SetValue(std::string_view name, FieldValue value);
  // Whether every required field is present (fields set one by one).
  Status CheckRequired() const;
  // The same, leaving sealed fields out (fields read without a disclosure).
  Status CheckRequiredPublic() const;

  // The canonical JSON object, written straight from the values.
  void AppendCanonical(std::string* out) const;
  // The canonical JSON object as a schema-4 entry holds it: every sealed
  // field of the kind, present or not, as the commitment to its value (null
  // when absent) under `key` (32 bytes; see SealedValueCommitment), and the
  // object field, if given `object`, written as that text instead (a
  // wrapper's inner fields, sealed themselves).
  void AppendSealed(std::string_view key, const std::string* object, std::string* out) const;
  // Whether the kind seals any field (its entries then have a disclosure).
  bool AnySealed() const;
  // From the fields of a schema-4 entry read without its disclosure: the
  // public values, each sealed field present being a commitment (checked,
  // not kept; `*sealed` tells whether there was one). Required sealed fields
  // may be absent then; errors as FromCanonical.
  static Result<Fields> FromSealed(const EventKind& kind, std::string_view text, bool* sealed);
  std::string Canonical() const;
  Json ToJson() const;

  // Equal kinds and values; fields of no kind equal any with no values.
  bool operator==(const Fields& other) const;

 private:
  const FieldValue* Find(std::string_view name) const;

  const EventKind* kind_ = nullptr;
  std::vector<FieldValue> values_;  // one per field of kind_, in its table's order
};

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_FIELDS_H_
