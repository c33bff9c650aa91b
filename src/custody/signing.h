// Personal signatures on events, from the store: the event a second person
// signs to approve a pending request, the acknowledgement of a distributed
// copy, and signing either with the person's own key (unsealed with their
// credential for that one signature). The CLI and the service both sign
// through these, so an approval means the same bytes wherever it is made.
#ifndef STRONGROOM_CUSTODY_SIGNING_H_
#define STRONGROOM_CUSTODY_SIGNING_H_

#include <span>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "crypto/ed25519.h"
#include "custody/event.h"
#include "store/store.h"

namespace strongroom {

// The event pending request `request` ("R-n") waits for, with its basis set:
// NotFound if there is no such request.
Result<Event> RequestedEvent(Store* store, const std::string& request);

// `person`'s acknowledgement of distributed copy `holding`, bound to the
// copy's latest entry so that it cannot be replayed: NotFound if no such
// holding.
Result<Event> Acknowledgement(Store* store, const std::string& holding, const std::string& person);

// A person's own credential for the person a person.enrol, person.rekey
// or founding person.add names: an argon2id hash of `secret`, and a new
// personal key sealed under it, its public key put into the event; the
// credential's row, to be written with the event only if the event is
// accepted (replacing any earlier one). InvalidArgument if the event is of
// another type, names no valid person or already carries a key.
// `key`, if given, receives the new private key (to sign the event with).
Result<RowWrite> Enrol(Event* event, const std::string& secret, Random* random,
                       Ed25519PrivateKey* key = nullptr);

// For a person.add by an administrator: a fresh one-time enrolment code
// (32 hex digits), its commitment put into the event. The code goes to the
// new person, out of band; the log holds only its commitment until they
// enrol with it.
std::string IssueEnrolmentCode(Event* person_add, Random* random);

// Signs `e` as its actor, with their personal key: a fresh nonce (which
// the sequencer keeps), the signature of SignedEvent(origin, *e) and the key
// used (Event::signer_key). Call it on the event as it is finally
// submitted (after Enrol, say); an event completing a request or
// acknowledging a copy carries `signatures` instead.
void SignEvent(std::string_view origin, const Ed25519PrivateKey& key, Random* random, Event* e);

// Signs several events of one actor with one signature (a client sending a
// batch): the signature covers the RFC 6962 root of their SignedEvent()
// leaves, and each event carries its path to it. At most kMaxSignedBatch.
void SignEvents(std::string_view origin, const Ed25519PrivateKey& key, Random* random,
                std::span<Event* const> events);

// Draws `e`'s seal key (Event::seal_key) unless it has one: whoever signs
// an event seals its sensitive fields, so the signature covers only their
// commitments. SignEvent(s) and SignAs(With) call it.
void EnsureSealKey(Event* e);

// Adds `person`'s signature of SignedRequest(origin, *e) to `e`. NotFound /
// PermissionDenied if the person or their credential is not accepted.
Status SignAs(Store* store, const std::string& origin, const std::string& person,
              const std::string& secret, Event* e);
// The same with `person`'s key, unsealed already.
void SignAsWith(const std::string& origin, const std::string& person,
                const Ed25519PrivateKey& key, Event* e);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_SIGNING_H_
