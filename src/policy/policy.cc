#include "policy/policy.h"

#include <algorithm>

#include "policy/wording.h"

namespace strongroom::policy {
namespace {

constexpr uint32_t kAnyRole = (1u << kRoleNames.size()) - 1;

constexpr std::array<uint32_t, kActionCount> kRolesFor = {
    kAdministrator,                     // administer
    kCustodian,                         // register
    kCustodian,                         // check out
    kCustodian,                         // check in
    kCustodian,                         // move
    kAnyRole,                           // transfer: the holder or a custodian (a duty rule)
    kHolder | kCustodian,               // hold
    kCustodian,                         // seal
    kCustodian,                         // unseal
    kCustodian,                         // dispatch
    kCustodian,                         // receive
    kCustodian,                         // reproduce
    kCustodian,                         // distribute
    kCustodian,                         // recall
    kCustodian,                         // destroy
    kCustodian,                         // release
    kInspector,                         // inspect
    kSecurityManager,                   // grant
    kAdministrator | kSecurityManager,  // person status
    kSecurityManager,                   // control
    kCustodian | kSecurityManager,      // correct
    kAdministrator | kSecurityManager | kInspector,        // read the log's entries
    kCustodian | kHolder | kInspector | kSecurityManager,  // read a holding's record
    kInspector | kSecurityManager,                         // dismiss a detection
    kSecurityManager,                                      // write off a missing holding
};

constexpr std::array<std::string_view, kActionCount> kActionNames = {
    "administer",
    "register",
    "check out",
    "check in",
    "move",
    "transfer",
    "hold",
    "seal",
    "unseal",
    "dispatch",
    "receive",
    "reproduce",
    "distribute",
    "recall",
    "destroy",
    "release",
    "inspect",
    "grant need-to-know",
    "change the status of people",
    "set heightened control",
    "correct the record",
    "read the log's entries",
    "read a holding's record",
    "dismiss a detection",
    "write off a missing holding",
};

constexpr unsigned Bit(Rule r) { return 1u << static_cast<unsigned>(r); }

// Bit i is set for each need[i] absent from `have`; both sorted.
uint64_t Missing(const std::vector<std::string>& have, const std::vector<std::string>& need) {
  uint64_t missing = 0;
  size_t j = 0;
  for (size_t i = 0; i < need.size() && i < 64; ++i) {
    while (j < have.size() && have[j] < need[i]) ++j;
    if (j == have.size() || have[j] != need[i]) missing |= uint64_t{1} << i;
  }
  return missing;
}

bool Releasable(const Subject& s, const Resource& r) {
  return r.releasable_to.empty() ||
         (!s.nationality.empty() && std::find(r.releasable_to.begin(), r.releasable_to.end(),
                                              s.nationality) != r.releasable_to.end());
}

bool Cleared(const Subject& s, const Resource& r) {
  return s.clearance >= r.classification && Missing(s.compartments, r.compartments) == 0 &&
         Missing(s.caveats, r.caveats) == 0 && Releasable(s, r);
}

// Who reads a sensitive holding's record by clearance alone.
constexpr uint32_t kReadsByClearance = kCustodian | kInspector | kSecurityManager;


bool Covers(const Grant& g, const Resource& r) {
  switch (g.scope) {
    case Scope::kHolding:
      return g.target == r.id || (!r.series.empty() && g.target == r.series);
    case Scope::kCase:
      return !r.case_number.empty() && g.target == r.case_number;
    case Scope::kCompartment:
      return std::binary_search(r.compartments.begin(), r.compartments.end(), g.target);
  }
  return false;
}

uint8_t TwoPersonRules(Action a, const Resource& r, const Context& ctx) {
  uint8_t bits = 0;
  if (a == Action::kDestroy) bits |= kTwoPersonDestruction;
  if (a == Action::kReproduce && (r.classification > 0 || !r.compartments.empty())) {
    bits |= kTwoPersonReproduction;
  }
  if (a == Action::kRelease && r.evidence) bits |= kTwoPersonRelease;
  if (a == Action::kCheckOut && r.classification == kTopLevel) bits |= kTwoPersonTopLevel;
  const bool read = a == Action::kReadLog || a == Action::kReadHolding;
  if (r.heightened && !read) bits |= kTwoPersonHeightened;
  if (a == Action::kDismiss && r.grave) bits |= kTwoPersonDismissal;
  if (a == Action::kWriteOff) bits |= kTwoPersonWriteOff;
  if (a == Action::kAdminister && r.kind == Kind::kPerson && !ctx.founding &&
      (r.new_person || (r.roles_given & kTwoPersonRoles))) {
    bits |= kTwoPersonPeople;
  }
  return bits;
}

}  // namespace

bool NeedsNeedToKnow(const Subject& s, Action a, const Resource& r) {
  const bool content = a == Action::kHold || a == Action::kReproduce ||
                       (a == Action::kReadHolding && (s.roles & kReadsByClearance) == 0);
  return content && r.kind == Kind::kHolding &&
         (r.evidence || r.classification > 0 || !r.compartments.empty());
}

int LevelRank(std::string_view name) {
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) return static_cast<int>(i);
  }
  return -1;
}

uint32_t RoleBit(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return 1u << i;
  }
  return 0;
}

std::string_view ActionName(Action a) { return kActionNames[static_cast<size_t>(a)]; }
uint32_t RolesFor(Action a) { return kRolesFor[static_cast<size_t>(a)]; }

std::string_view StatusName(Status s) {
  switch (s) {
    case Status::kActive:
      return "active";
    case Status::kSuspended:
      return "suspended";
    case Status::kDismissed:
      return "dismissed";
  }
  return "unknown";
}

std::string_view ScopeName(Scope s) {
  switch (s) {
    case Scope::kHolding:
      return "holding";
    case Scope::kCase:
      return "case";
    case Scope::kCompartment:
      return "compartment";
  }
  return "unknown";
}

Decision Decide(const Subject& s, Action a, const Resource& r, const Context& ctx) {
  Decision d;
  auto deny = [&](Rule rule) { d.denied |= Bit(rule); };

  if (s.status != Status::kActive) deny(Rule::kStatus);
  if ((s.roles & RolesFor(a)) == 0) deny(Rule::kRole);

  // Mandatory access.
  if (s.clearance < r.classification) deny(Rule::kClearance);
  d.missing_compartments = Missing(s.compartments, r.compartments);
  if (d.missing_compartments) deny(Rule::kCompartment);
  d.missing_caveats = Missing(s.caveats, r.caveats);
  if (d.missing_caveats) deny(Rule::kCaveat);
  if (!Releasable(s, r)) deny(Rule::kReleasability);

  // Need-to-know: the live covering grant that lasts longest, else the
  // covering grant that expired last.
  if (NeedsNeedToKnow(s, a, r)) {
    for (size_t i = 0; i < s.grants.size(); ++i) {
      const Grant& g = s.grants[i];
      if (!Covers(g, r)) continue;
      int& best = ctx.now < g.expires ? d.ntk_grant : d.expired_grant;
      if (best < 0 || g.expires > s.grants[static_cast<size_t>(best)].expires) {
        best = static_cast<int>(i);
      }
    }
    if (d.ntk_grant < 0)
      deny(Rule::kNeedToKnow);
    else
      d.expired_grant = -1;
  }

  // Separation of duties.
  if (a == Action::kTransfer && r.holder != s.id && !(s.roles & kCustodian)) {
    deny(Rule::kHolderOrCustodian);
  }
  if ((a == Action::kDestroy || a == Action::kRelease) && r.evidence && r.registered_by == s.id) {
    deny(Rule::kOwnRegistration);
  }
  if (a == Action::kInspect && (s.roles & kCustodian) && !s.facility.empty() &&
      s.facility == r.facility) {
    deny(Rule::kOwnStore);
  }
  if ((a == Action::kAdminister || a == Action::kPersonStatus) && r.kind == Kind::kPerson &&
      r.id == s.id) {
    deny(Rule::kOwnRecord);
  }
  if (a == Action::kGrant && ctx.beneficiary == s.id) deny(Rule::kSelfGrant);
  d.two_person = TwoPersonRules(a, r, ctx);
  if (d.two_person && ctx.now < s.approves_from) deny(Rule::kQuarantine);

  // Approvals: each one valid, the first valid one is the second person.
  if (ctx.approvals.size() > kMaxApprovals) deny(Rule::kTooManyApprovals);
  const size_t n = std::min(ctx.approvals.size(), kMaxApprovals);
  for (size_t i = 0; i < n; ++i) {
    const Subject& w = ctx.approvals[i];
    uint8_t faults = 0;
    if (w.id == s.id || w.id == ctx.actor) faults |= kApproverIsActor;
    if (!ctx.beneficiary.empty() && w.id == ctx.beneficiary) faults |= kApproverIsBeneficiary;
    for (size_t j = 0; j < i; ++j) {
      if (ctx.approvals[j].id == w.id) faults |= kApproverRepeated;
    }
    if (w.status != Status::kActive) faults |= kApproverInactive;
    if (!Cleared(w, r)) faults |= kApproverNotCleared;
    if ((w.roles & (RolesFor(a) | kSecurityManager)) == 0) faults |= kApproverNoRole;
    if (ctx.now < w.approves_from) faults |= kApproverInQuarantine;
    d.approval_faults[i] = faults;
    if (faults)
      deny(Rule::kApproval);
    else if (d.approved_by < 0)
      d.approved_by = static_cast<int>(i);
  }

  if (d.denied) {
    d.effect = Effect::kDeny;
  } else if (d.two_person && d.approved_by < 0) {
    d.effect = Effect::kNeedsApproval;
    d.approvals_required = 1;
  } else {
    d.effect = Effect::kAllow;
  }
  return d;
}

std::vector<std::string> Reasons(const Request& q, const Decision& d) {
  const Subject& s = q.subject;
  const Resource& r = q.resource;
  std::vector<std::string> out;
  if (d.effect == Effect::kDeny) {
    if (d.Denied(Rule::kStatus)) out.push_back(wording::Status(s));
    if (d.Denied(Rule::kRole)) out.push_back(wording::Role(s, q.action));
    if (d.Denied(Rule::kClearance)) out.push_back(wording::Clearance(s, r));
    for (size_t i = 0; i < r.compartments.size() && i < 64; ++i) {
      if (d.missing_compartments >> i & 1)
        out.push_back(wording::Compartment(s, r.compartments[i]));
    }
    for (size_t i = 0; i < r.caveats.size() && i < 64; ++i) {
      if (d.missing_caveats >> i & 1) out.push_back(wording::Caveat(s, r.caveats[i]));
    }
    if (d.Denied(Rule::kReleasability)) out.push_back(wording::Releasability(s, r));
    if (d.Denied(Rule::kNeedToKnow)) {
      const Grant* expired =
          d.expired_grant >= 0 ? &s.grants[static_cast<size_t>(d.expired_grant)] : nullptr;
      out.push_back(wording::NeedToKnow(s, r, expired));
    }
    if (d.Denied(Rule::kHolderOrCustodian)) out.push_back(wording::HolderOrCustodian(s, r));
    if (d.Denied(Rule::kOwnRegistration)) {
      out.push_back(wording::OwnRegistration(s, q.action, r));
    }
    if (d.Denied(Rule::kOwnStore)) out.push_back(wording::OwnStore(s, r));
    if (d.Denied(Rule::kOwnRecord)) out.push_back(wording::OwnRecord(s));
    if (d.Denied(Rule::kSelfGrant)) out.push_back(wording::SelfGrant(s));
    if (d.Denied(Rule::kQuarantine)) out.push_back(wording::Quarantine(s));
    for (size_t i = 0; i < kMaxApprovals && i < q.context.approvals.size(); ++i) {
      if (d.approval_faults[i]) {
        out.push_back(wording::Approval(q.context.approvals[i], d.approval_faults[i], q.action, r));
      }
    }
    if (d.Denied(Rule::kTooManyApprovals)) out.push_back(wording::TooManyApprovals());
    return out;
  }
  if (d.effect == Effect::kNeedsApproval) {
    for (uint8_t bit = 1; bit != 0 && bit <= kTwoPersonLast; bit <<= 1) {
      if (d.two_person & bit) out.push_back(wording::TwoPersonNeed(bit, r));
    }
    return out;
  }
  out.push_back(wording::RoleGround(s, q.action, r));
  if (wording::Marked(r)) out.push_back(wording::Cleared(s, r));
  if (d.ntk_grant >= 0) {
    out.push_back(wording::NeedToKnowGround(s.grants[static_cast<size_t>(d.ntk_grant)]));
  }
  if (d.approved_by >= 0) {
    out.push_back(wording::SecondPerson(q.context.approvals[static_cast<size_t>(d.approved_by)]));
  }
  return out;
}

std::string Explain(const Request& q, const Decision& d) {
  std::string out = d.effect == Effect::kAllow  ? "allowed"
                    : d.effect == Effect::kDeny ? "denied"
                                                : "needs a second person";
  const auto reasons = Reasons(q, d);
  for (size_t i = 0; i < reasons.size(); ++i) out += (i ? "; " : ": ") + reasons[i];
  return out;
}

}  // namespace strongroom::policy
