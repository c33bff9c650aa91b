// Two-person actions waiting for their second person: request.open (written
// by the sequencer, wrapping the requested event), request.cancel.
#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

void ApplyRequestOpen(const Event& e, int64_t index, Projection* s) {
  Request r;
  r.id = RecordId('R', static_cast<uint64_t>(index));
  r.index = index;
  r.type = e.Field("type");
  r.actor = e.actor;
  r.holdings = e.holdings;
  r.fields = ParseJson(e.fields.Object("fields")).value();  // canonical, checked
  r.needs = e.fields.List("needs");
  r.expires = e.Field("expires");
  // Activity on an item while its destruction or release awaits the second
  // person is noted on it (NoteLateCustody).
  if (r.type == "holding.destroy" || r.type == "holding.release") {
    for (const std::string& id : r.holdings) {
      if (const Holding* held = s->holding(id)) {
        Holding h = *held;
        h.disposal_request = r.id;
        h.disposal_request_expires = r.expires;
        s->Put(std::move(h));
      }
    }
  }
  s->Put(std::move(r));
}

Status LoadRequestCancel(const Event& e, Projection* s) {
  if (const Request* r = s->request(e.Field("request"))) {
    for (const std::string& id : r->holdings) SR_RETURN_IF_ERROR(s->LoadHolding(id));
  }
  return OkStatus();
}

Status CheckRequestCancel(Decision& d) {
  const Event& e = d.event();
  const Request* r = d.state().request(e.Field("request"));
  if (!r) return NotFound("request " + e.Field("request") + " does not exist");
  if (r->status != RequestStatus::kOpen) {
    return FailedPrecondition("request " + r->id + " is " + Name(r->status));
  }
  if (r->actor != e.actor && !d.actor().HasRole(kRoleSecurityManager)) {
    d.Deny(e.actor + " may not cancel request " + r->id +
           " (only its requester or a security manager)");
  }
  return OkStatus();
}

void ApplyRequestCancel(const Event& e, int64_t index, Projection* s) {
  Request r = *s->request(e.Field("request"));
  r.status = RequestStatus::kCancelled;
  r.closed_index = index;
  for (const std::string& id : r.holdings) {
    if (const Holding* held = s->holding(id); held && held->disposal_request == r.id) {
      Holding h = *held;
      h.disposal_request.clear();
      h.disposal_request_expires.clear();
      s->Put(std::move(h));
    }
  }
  s->Put(std::move(r));
}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kRequestOpen,
     .name = "request.open",
     .fields = {{"type", FieldType::kText, true, Ref::kNone, {}, "of the requested event"},
                {"fields", FieldType::kObject, true, Ref::kNone, {}, "of the requested event"},
                Sealed({"needs", FieldType::kTextList, true, Ref::kNone, {}, "why a second person"}),
                {"expires", FieldType::kTime, true, Ref::kNone, {}, "24 hours after"}},
     .min_holdings = 0,
     .max_holdings = 256,
     .wrapper = true,
     .apply = ApplyRequestOpen,
     .note = "written by the sequencer only; id `R-<index>`; its approval is the requested event "
             "itself with `basis` and the second person's signature"},
    {.type = EventType::kRequestCancel,
     .name = "request.cancel",
     .command = "cancel a pending request",
     .fields = {{"request", FieldType::kId, true, Ref::kRequest},
                Sealed({"reason", FieldType::kText, true})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckRequestCancel,
     .load = LoadRequestCancel,
     .apply = ApplyRequestCancel,
     .note = "by its requester or a security manager"},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> RequestKinds() { return Kinds(); }

}  // namespace strongroom
