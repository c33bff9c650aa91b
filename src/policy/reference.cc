#include "policy/reference.h"

#include <algorithm>
#include <functional>
#include <map>

#include "policy/wording.h"

namespace strongroom::policy::reference {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

bool HasAnyRole(const Subject& s, uint32_t roles) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if ((roles >> i & 1) && (s.roles >> i & 1)) return true;
  }
  return false;
}

bool IsCleared(const Subject& s, const Resource& r) {
  if (s.clearance < r.classification) return false;
  for (const auto& c : r.compartments) {
    if (!Contains(s.compartments, c)) return false;
  }
  for (const auto& c : r.caveats) {
    if (!Contains(s.caveats, c)) return false;
  }
  return r.releasable_to.empty() || Contains(r.releasable_to, s.nationality);
}

bool GrantCovers(const Grant& g, const Resource& r) {
  if (g.scope == Scope::kHolding)
    return g.target == r.id || (r.series != "" && g.target == r.series);
  if (g.scope == Scope::kCase) return r.case_number != "" && g.target == r.case_number;
  return Contains(r.compartments, g.target);
}

bool NeedToKnowApplies(const Request& q) {
  const Resource& r = q.resource;
  bool staff = HasAnyRole(q.subject, kCustodian) || HasAnyRole(q.subject, kInspector) ||
               HasAnyRole(q.subject, kSecurityManager);
  bool content = q.action == Action::kHold || q.action == Action::kReproduce ||
                 (q.action == Action::kReadHolding && !staff);
  bool sensitive = r.evidence || r.classification > 0 || !r.compartments.empty();
  return content && r.kind == Kind::kHolding && sensitive;
}

// The covering grant with the latest expiry among those live (or expired) at
// `now`; the earliest listed wins a tie. -1 if none.
int BestGrant(const Request& q, bool live) {
  int best = -1;
  const auto& grants = q.subject.grants;
  for (size_t i = 0; i < grants.size(); ++i) {
    if (!GrantCovers(grants[i], q.resource)) continue;
    if ((q.context.now < grants[i].expires) != live) continue;
    if (best == -1 || grants[i].expires > grants[static_cast<size_t>(best)].expires) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

uint8_t FaultsOf(const Request& q, size_t i) {
  const Subject& w = q.context.approvals[i];
  uint8_t f = 0;
  if (w.id == q.subject.id || w.id == q.context.actor) f |= kApproverIsActor;
  if (q.context.beneficiary != "" && w.id == q.context.beneficiary) f |= kApproverIsBeneficiary;
  for (size_t j = 0; j < i; ++j) {
    if (q.context.approvals[j].id == w.id) f |= kApproverRepeated;
  }
  if (w.status != Status::kActive) f |= kApproverInactive;
  if (!IsCleared(w, q.resource)) f |= kApproverNotCleared;
  if (!HasAnyRole(w, RolesFor(q.action) | kSecurityManager)) f |= kApproverNoRole;
  if (q.context.now < w.approves_from) f |= kApproverInQuarantine;
  return f;
}

size_t CheckedApprovals(const Request& q) {
  return std::min(q.context.approvals.size(), kMaxApprovals);
}

int FirstValidApproval(const Request& q) {
  for (size_t i = 0; i < CheckedApprovals(q); ++i) {
    if (FaultsOf(q, i) == 0) return static_cast<int>(i);
  }
  return -1;
}

std::vector<uint8_t> TwoPersonNeeds(const Request& q) {
  const Resource& r = q.resource;
  std::vector<uint8_t> needs;
  if (q.action == Action::kDestroy) needs.push_back(kTwoPersonDestruction);
  if (q.action == Action::kReproduce && (r.classification > 0 || !r.compartments.empty())) {
    needs.push_back(kTwoPersonReproduction);
  }
  if (q.action == Action::kRelease && r.evidence) needs.push_back(kTwoPersonRelease);
  if (q.action == Action::kCheckOut && r.classification == kTopLevel) {
    needs.push_back(kTwoPersonTopLevel);
  }
  bool read = q.action == Action::kReadLog || q.action == Action::kReadHolding;
  if (r.heightened && !read) needs.push_back(kTwoPersonHeightened);
  if (q.action == Action::kDismiss && r.grave) needs.push_back(kTwoPersonDismissal);
  if (q.action == Action::kWriteOff) needs.push_back(kTwoPersonWriteOff);
  if (q.action == Action::kAdminister && r.kind == Kind::kPerson && !q.context.founding) {
    bool privileged = false;
    for (Role role : {kAdministrator, kCustodian, kInspector, kSecurityManager}) {
      if (r.roles_given & role) privileged = true;
    }
    if (r.new_person || privileged) needs.push_back(kTwoPersonPeople);
  }
  return needs;
}

// Each deny rule: the reasons it gives (none if it does not deny).
using DenyRule = std::function<std::vector<std::string>(const Request&)>;

std::vector<DenyRule> DenyRules() {
  return {
      [](const Request& q) -> std::vector<std::string> {
        if (q.subject.status == Status::kActive) return {};
        return {wording::Status(q.subject)};
      },
      [](const Request& q) -> std::vector<std::string> {
        if (HasAnyRole(q.subject, RolesFor(q.action))) return {};
        return {wording::Role(q.subject, q.action)};
      },
      [](const Request& q) -> std::vector<std::string> {
        if (q.subject.clearance >= q.resource.classification) return {};
        return {wording::Clearance(q.subject, q.resource)};
      },
      [](const Request& q) {
        std::vector<std::string> out;
        for (const auto& c : q.resource.compartments) {
          if (!Contains(q.subject.compartments, c))
            out.push_back(wording::Compartment(q.subject, c));
        }
        return out;
      },
      [](const Request& q) {
        std::vector<std::string> out;
        for (const auto& c : q.resource.caveats) {
          if (!Contains(q.subject.caveats, c)) out.push_back(wording::Caveat(q.subject, c));
        }
        return out;
      },
      [](const Request& q) -> std::vector<std::string> {
        const auto& list = q.resource.releasable_to;
        if (list.empty() || Contains(list, q.subject.nationality)) return {};
        return {wording::Releasability(q.subject, q.resource)};
      },
      [](const Request& q) -> std::vector<std::string> {
        if (!NeedToKnowApplies(q) || BestGrant(q, true) >= 0) return {};
        int expired = BestGrant(q, false);
        return {wording::NeedToKnow(
            q.subject, q.resource,
            expired >= 0 ? &q.subject.grants[static_cast<size_t>(expired)] : nullptr)};
      },
      [](const Request& q) -> std::vector<std::string> {
        if (q.action != Action::kTransfer) return {};
        if (q.resource.holder == q.subject.id || HasAnyRole(q.subject, kCustodian)) return {};
        return {wording::HolderOrCustodian(q.subject, q.resource)};
      },
      [](const Request& q) -> std::vector<std::string> {
        bool disposal = q.action == Action::kDestroy || q.action == Action::kRelease;
        if (!disposal || !q.resource.evidence || q.resource.registered_by != q.subject.id)
          return {};
        return {wording::OwnRegistration(q.subject, q.action, q.resource)};
      },
      [](const Request& q) -> std::vector<std::string> {
        if (q.action != Action::kInspect || !HasAnyRole(q.subject, kCustodian)) return {};
        if (q.subject.facility == "" || q.subject.facility != q.resource.facility) return {};
        return {wording::OwnStore(q.subject, q.resource)};
      },
      [](const Request& q) -> std::vector<std::string> {
        bool people = q.action == Action::kAdminister || q.action == Action::kPersonStatus;
        if (!people || q.resource.kind != Kind::kPerson || q.resource.id != q.subject.id) return {};
        return {wording::OwnRecord(q.subject)};
      },
      [](const Request& q) -> std::vector<std::string> {
        if (q.action != Action::kGrant || q.context.beneficiary != q.subject.id) return {};
        return {wording::SelfGrant(q.subject)};
      },
      [](const Request& q) -> std::vector<std::string> {
        if (TwoPersonNeeds(q).empty() || q.context.now >= q.subject.approves_from) return {};
        return {wording::Quarantine(q.subject)};
      },
      [](const Request& q) {
        std::vector<std::string> out;
        for (size_t i = 0; i < CheckedApprovals(q); ++i) {
          uint8_t f = FaultsOf(q, i);
          if (f) out.push_back(wording::Approval(q.context.approvals[i], f, q.action, q.resource));
        }
        return out;
      },
      [](const Request& q) -> std::vector<std::string> {
        if (q.context.approvals.size() <= kMaxApprovals) return {};
        return {wording::TooManyApprovals()};
      },
  };
}

}  // namespace

Outcome Evaluate(const Request& q, const std::vector<size_t>& order) {
  const auto rules = DenyRules();  // kRuleCount - 1 deny rules, then two-person
  std::vector<size_t> sequence = order;
  if (sequence.empty()) {
    for (size_t i = 0; i < kRuleCount; ++i) sequence.push_back(i);
  }
  // Evaluate in the given order; list reasons in the rules' own order.
  std::map<size_t, std::vector<std::string>> denials;
  std::vector<uint8_t> needs;
  for (size_t rule : sequence) {
    if (rule < rules.size()) {
      auto reasons = rules[rule](q);
      if (!reasons.empty()) denials[rule] = std::move(reasons);
    } else {
      needs = TwoPersonNeeds(q);
    }
  }
  Outcome out;
  if (!denials.empty()) {
    out.effect = Effect::kDeny;
    for (auto& [rule, reasons] : denials) {
      out.reasons.insert(out.reasons.end(), reasons.begin(), reasons.end());
    }
    return out;
  }
  const int second = FirstValidApproval(q);
  if (!needs.empty() && second < 0) {
    out.effect = Effect::kNeedsApproval;
    out.approvals_required = 1;
    for (uint8_t need : needs) out.reasons.push_back(wording::TwoPersonNeed(need, q.resource));
    return out;
  }
  out.effect = Effect::kAllow;
  out.reasons.push_back(wording::RoleGround(q.subject, q.action, q.resource));
  if (wording::Marked(q.resource)) out.reasons.push_back(wording::Cleared(q.subject, q.resource));
  if (NeedToKnowApplies(q)) {
    out.reasons.push_back(
        wording::NeedToKnowGround(q.subject.grants[static_cast<size_t>(BestGrant(q, true))]));
  }
  if (second >= 0) {
    out.reasons.push_back(wording::SecondPerson(q.context.approvals[static_cast<size_t>(second)]));
  }
  return out;
}

}  // namespace strongroom::policy::reference
