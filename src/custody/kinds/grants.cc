// Need-to-know: grant.add, grant.revoke.
#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

using policy::Action;

inline constexpr int64_t kLongestGrantMicros = 5 * 366LL * 86400 * 1000000;

Status CheckGrantAdd(Decision& d) {
  const Event& e = d.event();
  const Projection& s = d.state();
  SR_ASSIGN_OR_RETURN(const Person* p, NeedPerson(s, e.Field("person")));
  if (p->status != PersonStatus::kActive) {
    return FailedPrecondition(p->id + " is " + Name(p->status) + "; grants go to active people");
  }
  SR_RETURN_IF_ERROR(AfterEventTime(e, "expires"));
  if (Micros(e.Field("expires")) > d.now() + kLongestGrantMicros) {
    return InvalidArgument("a grant lasts at most five years");
  }
  const std::string scope = e.Field("scope"), target = e.Field("target");
  policy::Resource r;
  if (scope == "holding") {
    SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, target));
    r = ResourceOf(s, *h);
  } else if (scope == "case") {
    r = Named(policy::Kind::kCase, target);
    r.case_number = target;
  } else {
    r = Named(policy::Kind::kCompartment, target);
    r.compartments = {target};
  }
  d.Ask(Action::kGrant, r, p->id);
  return OkStatus();
}

// A grant on a holding is decided on the holding.
Status LoadTarget(const Event& e, Projection* s) {
  if (e.Field("scope") != "holding") return OkStatus();
  return LoadHoldingAndContext(s, e.Field("target"));
}

void ApplyGrantAdd(const Event& e, int64_t index, Projection* s) {
  Grant g;
  g.id = RecordId('G', static_cast<uint64_t>(index));
  g.person = e.Field("person");
  g.scope = e.Field("scope");
  g.target = e.Field("target");
  g.expires = e.Field("expires");
  g.grantor = e.actor;
  s->Put(std::move(g));
}

Status CheckGrantRevoke(Decision& d) {
  const Event& e = d.event();
  const Grant* g = d.state().grant(e.Field("grant"));
  if (!g) return NotFound("grant " + e.Field("grant") + " does not exist");
  if (g->status != GrantStatus::kLive) return FailedPrecondition("grant " + g->id + " is " + Name(g->status));
  d.Ask(Action::kGrant, Named(policy::Kind::kNone, g->target), g->person);
  return OkStatus();
}

void ApplyGrantRevoke(const Event& e, int64_t index, Projection* s) {
  Grant g = *s->grant(e.Field("grant"));
  g.status = GrantStatus::kRevoked;
  g.ended_by = e.Field("reason") + AtEntry(index);
  s->Put(std::move(g));
}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kGrantAdd,
     .name = "grant.add",
     .command = "grant need-to-know",
     .fields = {{"person", FieldType::kId, true, Ref::kPerson},
                {"scope", FieldType::kChoice, true, Ref::kNone, {"holding", "case", "compartment"}},
                Sealed({"target", FieldType::kId, true, Ref::kNone, {}, "a holding, case or compartment"}),
                {"expires", FieldType::kTime, true, Ref::kNone, {}, "at most five years ahead"}},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckGrantAdd,
     .load = LoadTarget,
     .apply = ApplyGrantAdd,
     .note = "the grant's id is `G-<index>`"},
    {.type = EventType::kGrantRevoke,
     .name = "grant.revoke",
     .command = "revoke a grant",
     .fields = {{"grant", FieldType::kId, true, Ref::kGrant}, Sealed({"reason", FieldType::kText, true})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckGrantRevoke,
     .apply = ApplyGrantRevoke},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> GrantKinds() { return Kinds(); }

}  // namespace strongroom
