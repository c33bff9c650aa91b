// An event kind: everything the custody core knows about one type of entry,
// declared in one place — its family file (facilities.cc, people.cc, ...).
//
// A kind declares its fields (one table that drives validation, the records
// the pipeline loads, the CLI's flags and help, and the table in
// docs/entry-format.md), how many holdings it names, and its two rules:
// `check` (what it requires of the current state, and which policy
// decisions it needs) and `apply` (what it changes). rules.cc is the shared
// pipeline around them: validate, load declared references, verify
// signatures, decide, wrap as denied or pending request.
#ifndef STRONGROOM_CUSTODY_KINDS_KIND_H_
#define STRONGROOM_CUSTODY_KINDS_KIND_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "custody/event.h"

namespace strongroom {

class Decision;
class Projection;

// The syntax of a field's value.
enum class FieldType : uint8_t {
  kId,         // an identifier (ValidId)
  kText,       // non-empty text, at most 4096 bytes
  kTime,       // RFC 3339 UTC
  kLevel,      // a classification level name
  kIdList,     // at most 64 identifiers
  kLongIdList, // at most 4096 identifiers (an inspection's sample)
  kDigest,     // a SHA-256 digest in lowercase hex (64 digits)
  kTextList,   // 1 to 64 non-empty texts
  kCount,      // an integer from 0 to 1,000,000
  kIndex,      // a log index (integer >= 0)
  kBool,       // true or false
  kStringMap,  // at most 32 {identifier: text of 1-256 bytes}
  kChoice,     // one of `choices`
  kKey,        // base64 of a 32-byte Ed25519 public key
  kObject,     // any object (the fields a wrapper carries)
};

// The record a field names, loaded by the pipeline before `check` runs.
enum class Ref : uint8_t {
  kNone,
  kPerson,
  // A person who is to hold the event's holdings: loaded with their grants
  // that cover those holdings (need-to-know on the receiving side).
  kRecipient,
  kFacility,
  kLocation,   // and its facility
  kHoldings,   // a list of holdings, each with its context (see LoadHolding)
  kGrant,
  kRequest,
  kDispatch,   // and every holding on its manifest
};

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool required = false;
  Ref ref = Ref::kNone;
  std::vector<std::string_view> choices = {};
  // For people: a few words shown in `--help` and in docs/entry-format.md.
  std::string_view note = {};
  // The command line's option, when it is not the field's name ("--id" for
  // the record an add event creates).
  std::string_view flag = {};
  // Filled in by the client itself, never given as an option (a new
  // person's public key, made from the credential they choose).
  bool derived = false;
  // A sensitive value (a title, a place, a code word, a reason, a note):
  // from schema 4 it enters the log as a salted commitment, its cleartext
  // kept in the store's disclosures (custody/event.h). Mark with Sealed().
  bool sealed = false;
};

// `spec`, marked sealed.
inline FieldSpec Sealed(FieldSpec spec) {
  spec.sealed = true;
  return spec;
}

struct EventKind {
  EventType type;
  std::string_view name;  // "holding.check_out"
  // The command line's one-line help for `strongroom GROUP VERB` (group and
  // verb from the name: holding.check_out is `holding check-out`); none for
  // kinds nobody submits.
  std::string_view command = {};
  std::vector<FieldSpec> fields;
  // How many holdings an event of this kind names.
  size_t min_holdings = 1;
  size_t max_holdings = 1;
  // Whether the actor takes, copies or reads the material themself: their
  // grants covering the event's holdings are loaded (need-to-know).
  bool actor_reads = false;
  // Written by the sequencer only, wrapping another event (denied,
  // request.open): the pipeline checks it by re-deciding what it wraps.
  bool wrapper = false;
  // Logged only when refused (access.read: a permitted read is no entry).
  bool refusals_only = false;
  // Names one holding that the sequencer numbers "H-<index>" when the
  // event names none (holding.register).
  bool numbered = false;
  // May be the first event of a store, by a person not yet in it: `check`
  // then runs with no actor (CheckEnv::bootstrap).
  bool founds = false;
  // What the state must allow and which decisions the event needs; the
  // error, or OK with the decisions asked of `d`. Null for wrappers.
  Status (*check)(Decision& d) = nullptr;
  // Loads what `check` and `apply` read beyond the records the fields name
  // (held_by, grants_of, records computed from the state). May be null.
  Status (*load)(const Event& e, Projection* s) = nullptr;
  // Changes the state as the event at `index` does; only after `check`
  // accepted it. Infallible.
  void (*apply)(const Event& e, int64_t index, Projection* s) = nullptr;
  // For people: what the kind does and what it requires, beyond its fields.
  std::string_view note = {};
  // Later entries read the root of the log's tree that ends with this one
  // (an inspection's draw): replay keeps it (CheckEnv::log).
  bool keeps_root = false;

  const FieldSpec* field(std::string_view name) const;
};

// Adds a family of kinds defined by a layer above custody (oversight/),
// whose types are from kFirstInstalledType on. Call it before anything
// reads the registry (at the start of main): it is fixed once read, and
// installing later is a bug (checked). Installing a family twice is a no-op.
void InstallKinds(std::span<const EventKind> (*family)());
// Whether the kind of `type` is known to this process.
bool KnownKind(EventType type);

// Every kind, in the order of the families (see registry.cc).
std::span<const EventKind* const> AllKinds();
// The kind of `type`; every EventType has one.
const EventKind& KindOf(EventType type);
// The kind named `name`, or null.
const EventKind* KindNamed(std::string_view name);

// The families, each in its own file.
std::span<const EventKind> FacilityKinds();
std::span<const EventKind> PeopleKinds();
std::span<const EventKind> GrantKinds();
std::span<const EventKind> HoldingKinds();
std::span<const EventKind> SealKinds();
std::span<const EventKind> DispatchKinds();
std::span<const EventKind> CopyKinds();
std::span<const EventKind> RequestKinds();
std::span<const EventKind> RecordKinds();

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_KINDS_KIND_H_
