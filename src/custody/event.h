// Custody events and their encoding as log entries.
//
// An entry is the canonical JSON (RFC 8785, restricted) of
//   {"v":4, "type":T, "time":RFC3339, "nonce":base64(16 bytes),
//    "actor":PERSON, "holdings":[HOLDING...], "fields":{...},
//    ("actor_signature":base64 |
//     "basis":INDEX, "signatures":[{"person":P, "signature":base64}...])}
// Every entry of schema 3 or later carries exactly one of the two: the
// actor's own signature of SignedEvent() (which names the log, the event and
// its nonce), or, on an event completing a two-person request (approvals,
// witnesses) or acknowledging a copy, `basis` and `signatures`: each signs
// SignedRequest(), which names the log, the basis entry (the pending request
// approved, or the holding's latest event) and the event's type, actor,
// holdings and fields. From schema 4 the sensitive fields (FieldSpec::sealed)
// are salted commitments; their cleartext and the key of the salts are the
// entry's disclosure, kept by the store beside the log, and both signatures
// cover the sealed form. Schema-2 and -3 entries are read and verified as
// they are; a log never goes back to an older schema.
// See docs/entry-format.md for every type and its fields.
#ifndef STRONGROOM_CUSTODY_EVENT_H_
#define STRONGROOM_CUSTODY_EVENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/sha256.h"
#include "custody/fields.h"

namespace strongroom {

inline constexpr int kEntrySchemaVersion = 4;
// The first schema whose entries seal sensitive fields.
inline constexpr int kSealedEntrySchema = 4;
// The size of an event's seal key (Event::seal_key).
inline constexpr size_t kSealKeySize = 32;
inline constexpr int kOldestEntrySchema = 2;

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
  kFacilityControl,
  // A facility's oversight settings: working hours, inventory interval.
  kFacilityConfigure,
  kPersonUpdate,
  kPersonSuspend,
  kPersonReinstate,
  kPersonDismiss,
  kGrantAdd,
  kGrantRevoke,
  kSeal,
  kUnseal,
  kDispatch,
  kReceive,
  kReproduce,
  kDistribute,
  kAcknowledge,
  kRecall,
  kRelease,
  kInspect,
  // A legal hold on a holding, which blocks its destruction and release,
  // and its lifting.
  kHold,
  kLiftHold,
  // A disposition deadline extended by the case officer.
  kExtendDisposition,
  kRequestOpen,
  kRequestCancel,
  kCorrect,
  kDenied,
  // A read refused by the policy (only ever logged wrapped in a denied
  // entry; a permitted read is not logged): of the log's entries, or of
  // one holding's record.
  kAccessRead,
  // A person sets their own key with their one-time enrolment code, and
  // later replaces it (signed with the old one).
  kPersonEnrol,
  kPersonRekey,
  // The kinds of the layer above custody (oversight/), which installs them
  // (custody/kinds/kind.h: InstallKinds); a process that has not reads
  // their entries as of an unknown type.
  kInspectionOpen,
  kInspectionDraw,
  kInspectionRecord,
  kInspectionFound,
  kInspectionClose,
  kInspectionResolve,
  kInspectionCancel,
  kDetectionRaise,
  kDetectionReview,
  kDetectionConfigure,
};
// The first type whose kind a layer above installs.
inline constexpr EventType kFirstInstalledType = EventType::kInspectionOpen;

// "holding.check_out" and back.
const char* EventTypeName(EventType t);
Result<EventType> ParseEventType(std::string_view name);

struct Signature {
  std::string person;
  std::string signature;  // base64 Ed25519 over SignedRequest()
  bool operator==(const Signature&) const = default;
};

struct Event {
  EventType type = EventType::kFacilityAdd;
  std::string time;   // set by the sequencer
  std::string nonce;  // set by the sequencer
  std::string actor;
  std::vector<std::string> holdings;
  Fields fields;  // of KindOf(type); see SetFields
  int64_t basis = 0;  // with signatures: the entry they answer
  std::vector<Signature> signatures;
  // base64 Ed25519 by the actor's personal key over ActorSignedBytes()
  // (schema 3, events without `signatures`).
  std::string actor_signature;
  // When the actor signed several events at once: this one's place among
  // them and the RFC 6962 inclusion path from its SignedEvent() leaf to the
  // root they signed ("actor_batch" in the entry; absent for one event).
  uint64_t batch_index = 0;
  uint64_t batch_size = 1;
  std::vector<Hash> batch_path;
  int version = kEntrySchemaVersion;  // of the entry it is read from / written as
  // In memory only: the public key (32 bytes) the submitter signed with,
  // checked against the one the log holds for the actor (Sequencer).
  std::string signer_key;
  // Schema 4: the key (32 random bytes, drawn by whoever signs) from which
  // the salts of the sealed fields' commitments derive; kept in the entry's
  // disclosure, never in the log.
  std::string seal_key;
  // Schema 4, read without its disclosure: the fields exactly as the entry
  // holds them (sealed values as commitments); `fields` then holds only
  // the public values.
  std::string sealed_fields;
  bool sealed() const { return !sealed_fields.empty(); }

  // The fields as the entry holds them: from schema 4 each sealed field as
  // its commitment (kind.h: FieldSpec::sealed), a wrapper's inner fields
  // sealed alike; the plain canonical fields before. InvalidArgument if a
  // value must be sealed and there is no seal_key.
  Result<std::string> SealedFields() const;
  // What the store keeps beside the entry so that readers allowed to can
  // open its commitments: the canonical JSON {"fields": the fields in
  // clear, "key": base64 seal_key}; "" if the entry seals nothing.
  std::string Disclosure() const;

  // The canonical entry; InvalidArgument if a field is not encodable.
  Result<std::string> ToEntry() const;
  // Parses a stored entry: canonical, known type, every envelope field valid,
  // fields valid for the type (DataLoss otherwise). A schema-4 entry that
  // seals fields is read in clear with its `disclosure`, which must open
  // every commitment (DataLoss otherwise), and as sealed() without one.
  static Result<Event> FromEntry(std::string_view entry, std::string_view disclosure = {});
  // The text of a field ("" if absent).
  const std::string& Field(std::string_view name) const { return fields.Text(name); }
};

// What a person signs to approve, witness or acknowledge `event` in the log
// `origin`: a domain-separation line, then the canonical JSON of the origin,
// basis, type, actor, holdings and fields.
// From schema 4 the fields are as the entry holds them (SealedFields), so
// that an auditor who sees only the log checks the signature.
Result<std::string> SignedRequest(std::string_view origin, const Event& event);

// What the actor signs (schema 3) for each event: a domain-separation line,
// then the canonical JSON of {origin, type, actor, holdings, fields, nonce}. For a
// numbered registration the holdings are those submitted (none), not the id
// the sequencer gave; a denied or request.open entry is signed as the event
// it wraps (custody/rules.h: CheckActorSignature).
// The fields are as the entry holds them (SealedFields).
Result<std::string> SignedEvent(std::string_view origin, const Event& event);
// Whether SignedEvent() can encode `event`: its actor and holdings are
// identifiers (its fields always can be).
bool Signable(const Event& event);

// The bytes the actor's key signs for events signed together: a domain
// line, their number (8 bytes, big-endian), then the 32-byte RFC 6962 root
// of their SignedEvent() leaves (one event: its leaf hash).
std::string SignedBatch(const Hash& root, uint64_t size);
// Those bytes for `submitted` (the event as its actor submitted it), from
// its own leaf and batch path; InvalidArgument if the path leads nowhere.
Result<std::string> ActorSignedBytes(std::string_view origin, const Event& submitted);
// The commitment a person.add carries to the new person's one-time
// enrolment code (base64 SHA-256 of a domain line and the code), and how
// long the code is good for.
std::string EnrolmentCommitment(std::string_view code);
inline constexpr int64_t kEnrolmentLifetimeMicros = 72LL * 3600 * 1000000;

// The most events one signature covers.
inline constexpr uint64_t kMaxSignedBatch = 1 << 16;

// The event a denied or request.open entry wraps (its type and fields as
// attempted, the wrapper's actor, holdings, nonce, signature and keys);
// sealed if the wrapper is. InvalidArgument if it cannot be read.
Result<Event> Wrapped(const Event& wrapper);

// Whether the event type concerns holdings (and how many it may name).
bool ConcernsHoldings(EventType t);

// Sets `event`'s fields from a JSON object, checked against the table of its
// type (InvalidArgument naming the unknown, missing or malformed field).
Status SetFields(Event* event, const Json& fields);

// Checks what Fields do not check themselves: that the fields are of the
// event's type (or none, when the type requires none), the actor, the
// holdings and the signatures. InvalidArgument says what is wrong.
Status ValidateFields(const Event& event);

// Identifiers: 1-64 characters of [A-Za-z0-9._:-], starting alphanumeric.
bool ValidId(std::string_view id);

// The one form a new person's or holding's id takes: a valid id without
// lower-case letters, ending in a letter or digit. With one form, look-alikes
// ("x-lock1" beside "X-LOCK1", "H-000093." beside "H-000093") cannot be made.
bool CanonicalId(std::string_view id);
// Why `id` is not in that form ("" if it is), for a refusal.
std::string NonCanonicalIdReason(std::string_view id);

// The id the sequencer gives the holding of a numbered event (registration
// without an id) at `index`: "H-000072". Ids that look like one — "h-", any
// case, then a digit — are the sequencer's alone.
std::string NumberedHoldingId(uint64_t index);
bool LooksNumbered(std::string_view id);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_EVENT_H_
