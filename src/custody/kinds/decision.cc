#include "custody/kinds/decision.h"

#include <algorithm>

#include "custody/kinds/state.h"

namespace strongroom {

using policy::Action;

namespace {

bool Heightened(const Projection& s, const std::string& facility) {
  const Facility* f = facility.empty() ? nullptr : s.facility(facility);
  return f && f->heightened_control;
}

}  // namespace

policy::Resource ResourceOf(const Projection& s, const Holding& h) {
  policy::Resource r;
  r.kind = policy::Kind::kHolding;
  r.id = h.id;
  r.evidence = h.kind == "evidence";
  r.classification = policy::LevelRank(h.classification);
  r.compartments = Sorted(h.compartments);
  r.caveats = Sorted(h.caveats);
  r.releasable_to = h.releasable_to;
  r.series = h.copy_of;
  r.case_number = h.case_number;
  r.facility = h.facility;
  r.heightened = Heightened(s, h.facility);
  r.holder = h.holder;
  r.registered_by = h.registered_by;
  return r;
}

policy::Resource Named(policy::Kind kind, const std::string& id) {
  policy::Resource r;
  r.kind = kind;
  r.id = id;
  return r;
}

policy::Resource FacilityResource(const Projection& s, const std::string& facility) {
  policy::Resource r = Named(policy::Kind::kFacility, facility);
  r.facility = facility;
  r.heightened = Heightened(s, facility);
  return r;
}

Decision::Decision(const Event& e, const Projection& s, const CheckEnv& env)
    : e_(e), s_(s), env_(env), now_(Micros(e.time)) {}

void Decision::SetActor(const Person* actor, bool actor_signed) {
  actor_ = actor;
  actor_signed_ = actor_signed;
  me_ = SubjectOf(*actor);
}

void Decision::AddApproval(const Person& signer) { approvals_.push_back(SubjectOf(signer)); }

const policy::Subject& Decision::WithGrants(policy::Subject& subject, Action a,
                                            const policy::Resource& r) {
  covering_.clear();
  if (policy::NeedsNeedToKnow(subject, a, r) && !s_.CoveringGrants(subject.id, r, &covering_)) {
    missing_grants_ = true;
  }
  subject.grants = covering_;
  return subject;
}

void Decision::Ask(Action a, const policy::Resource& r, std::string_view beneficiary) {
  me_.grants = {};
  Decide(me_, a, r, beneficiary, approvals_);
}

void Decision::AskOnHolding(Action a, const Holding& h, std::string_view beneficiary) {
  const policy::Resource r = ResourceOf(s_, h);
  Decide(WithGrants(me_, a, r), a, r, beneficiary, approvals_);
}

void Decision::AskRecipient(const Person& to, const Holding& h) {
  policy::Subject party = SubjectOf(to);
  const policy::Resource r = ResourceOf(s_, h);
  Decide(WithGrants(party, Action::kHold, r), Action::kHold, r, {}, {});
}

void Decision::Decide(const policy::Subject& subject, Action a, const policy::Resource& r,
                      std::string_view beneficiary,
                      std::span<const policy::Subject> approvals) {
  policy::Context ctx;
  ctx.now = now_;
  ctx.actor = e_.actor;
  ctx.beneficiary = beneficiary;
  ctx.approvals = approvals;
  ctx.founding = actor_ && SetsUpAlone(*actor_, now_);
  const policy::Decision d = policy::Decide(subject, a, r, ctx);
  if (d.effect == policy::Effect::kAllow && !env_.explain) return;  // words only when asked
  auto& into = d.effect == policy::Effect::kDeny    ? denied_
               : d.effect == policy::Effect::kAllow ? grounds_
                                                    : needs_;
  for (auto& reason : policy::Reasons({subject, a, r, ctx}, d)) {
    if (std::find(into.begin(), into.end(), reason) == into.end()) into.push_back(std::move(reason));
  }
}

void Decision::Deny(std::string reason) { denied_.push_back(std::move(reason)); }

void Decision::Ground(std::string reason) { grounds_.push_back(std::move(reason)); }

Result<Verdict> Decision::Finish() const {
  if (missing_grants_) {
    return Internal(std::string(EventTypeName(e_.type)) +
                    ": a need-to-know decision without its grants loaded (LoadReferences)");
  }
  if (!denied_.empty()) return Verdict{Verdict::Kind::kDenied, denied_, {}};
  if (!needs_.empty()) return Verdict{Verdict::Kind::kNeedsApproval, needs_, {}};
  return Verdict{Verdict::Kind::kAccept, {}, grounds_};
}

}  // namespace strongroom
