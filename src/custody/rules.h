// The custody rules: what each event requires of the current state, and what
// it changes. Check() is a pure function of the event and the projection and
// asks the policy engine every "who may" question; Apply() is infallible and
// is only called after Check() accepted the event. Replaying the log (verify)
// runs the same two functions, so the live projection and a rebuilt one
// cannot diverge.
//
// A policy denial is not an error: Check() returns a Verdict saying so, and
// the sequencer logs a `denied` entry (DeniedEvent) instead of the event.
// Likewise an action that needs a second person becomes a `request.open`
// entry (RequestEvent) that a later, signed approval completes. Both wrappers
// are checked on replay by re-deciding the event they wrap.
#ifndef STRONGROOM_CUSTODY_RULES_H_
#define STRONGROOM_CUSTODY_RULES_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "crypto/sha256.h"
#include "custody/event.h"
#include "custody/projection.h"
#include "ledger/merkle.h"
#include "policy/policy.h"

namespace strongroom {

// What a rule may read of the log itself, beyond the projection (an
// inspection's draw reads the root its sample is seeded with).
class LogView {
 public:
  virtual ~LogView() = default;
  // The RFC 6962 root of the tree of the log's first `size` entries, for a
  // size this view can give (NotFound otherwise).
  virtual Result<Hash> RootAt(uint64_t size) = 0;
  // The size of the largest tree a signed checkpoint covers; when replaying
  // (which cannot know when each checkpoint was signed), the whole log so
  // far: the rule is the admitting sequencer's.
  virtual uint64_t signed_size() = 0;
};

// The log as a replay (verify, an upgrade) has rebuilt it so far: it keeps
// the root after each entry whose kind keeps_root, and counts as signed
// every entry before the one being checked.
class ReplayedLog : public LogView {
 public:
  // Call for each entry once the tree holds it (before checking it).
  void Next(uint64_t index, EventType type, const TreeBuilder& tree);
  Result<Hash> RootAt(uint64_t size) override;
  uint64_t signed_size() override { return current_; }

 private:
  uint64_t current_ = 0;
  std::unordered_map<uint64_t, Hash> roots_;
};

struct CheckEnv {
  bool bootstrap = false;  // the store has no person yet
  std::string origin;      // the log's origin, signed into approvals
  uint64_t index = 0;      // the index the event will have
  bool explain = false;    // also render why accepted decisions allowed (Verdict::grounds)
  // The sequencer admitting a new event (not verify or an upgrade replaying
  // the log): rules added after entries were written apply to new ones only.
  bool admitting = false;
  // The log the event joins; null where nothing reads it (a rule that needs
  // it refuses the event).
  LogView* log = nullptr;
};

struct Verdict {
  enum class Kind { kAccept, kNeedsApproval, kDenied };
  Kind kind = Kind::kAccept;
  std::vector<std::string> reasons;  // why denied, or why a second person is needed
  std::vector<std::string> grounds;  // when accepted: why each decision allowed it
};

// Pending requests expire this long after they are opened.
inline constexpr int64_t kRequestLifetimeMicros = 24LL * 3600 * 1000000;

// The actor's own signature of a schema-3 entry: present exactly when the
// event carries no `signatures` (approvals and acknowledgements sign those
// instead), made by the key the log holds for the actor (for the founding
// person.add, the key it enrols) over SignedEvent() of the event as its
// actor submitted it (a wrapper's wrapped event; a numbered registration
// without its given id). A person without a logged key cannot act.
// `cryptographic`: verify the signature (verify); otherwise only check that
// the key the submitter signed with (Event::signer_key, whose signature the
// sequencer verified when it was submitted) is that key. Unauthenticated
// says what is wrong. Schema-2 entries carry none and pass.
Status CheckActorSignature(const Event& event, const Projection& state, const CheckEnv& env,
                           bool cryptographic);
// The same split in two, for verifying many signatures in parallel: what
// to verify (raw key, signed bytes, raw signature; an empty key when the
// entry carries no actor signature by rule), or why there is nothing that
// could verify.
struct ActorSignature {
  std::string key, message, signature;
};
Result<ActorSignature> ActorSignatureOf(const Event& event, const Projection& state,
                                        const CheckEnv& env, bool with_message = true);

// Loads every record `event` names into `state`.
Status LoadReferences(const Event& event, Projection* state);

// The verdict, or why the event cannot even be judged: InvalidArgument,
// NotFound, AlreadyExists or FailedPrecondition (the state forbids it).
Result<Verdict> Check(const Event& event, const Projection& state, const CheckEnv& env);

// Applies an event that Check() accepted; `index` is its log index.
void Apply(const Event& event, uint64_t index, Projection* state);

// The entries logged instead of a denied event / one that needs approval.
Event DeniedEvent(const Event& attempted, const std::vector<std::string>& reasons);
Event RequestEvent(const Event& attempted, const std::vector<std::string>& needs);
// (Wrapped(), the event such an entry wraps, is in custody/event.h.)

// A person as the policy engine sees them, without grants: a decision that
// needs need-to-know is given the grants that cover its resource
// (Projection::CoveringGrants).
policy::Subject SubjectOf(const Person& person);

// The id of the record an event at `index` creates: "R-12", "G-40", "D-7".
std::string RecordId(char prefix, uint64_t index);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_RULES_H_
