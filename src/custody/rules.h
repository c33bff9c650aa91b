// The custody rules: what each event requires of the current state, and what
// it changes. Check() is a pure function of the event and the projection and
// asks the policy engine every "who may" question; Apply() is infallible and
// is only called after Check() allowed the event. Replaying the log (verify)
// runs the same two functions, so the live projection and a rebuilt one
// cannot diverge.
#ifndef STRONGROOM_CUSTODY_RULES_H_
#define STRONGROOM_CUSTODY_RULES_H_

#include <cstdint>

#include "custody/event.h"
#include "custody/projection.h"

namespace strongroom {

// Loads every record `event` names into `state`.
Status LoadReferences(const Event& event, Projection* state);

// OK, or why the event is refused: NotFound, AlreadyExists,
// FailedPrecondition (state forbids it) or PermissionDenied (policy).
// `bootstrap` is true while the store has no person yet.
Status Check(const Event& event, const Projection& state, bool bootstrap);

// Applies an event that passed Check(); `index` is its log index.
void Apply(const Event& event, uint64_t index, Projection* state);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_RULES_H_
