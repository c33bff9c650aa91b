#include "policy/wording.h"

#include <bit>

#include "base/clock.h"

namespace strongroom::policy::wording {
namespace {

std::string Level(int rank) {
  if (rank < 0 || rank > kTopLevel) return "level " + std::to_string(rank);
  return std::string(kLevelNames[static_cast<size_t>(rank)]);
}

std::string RoleList(uint32_t roles, const char* joiner) {
  std::string out;
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (roles & (1u << i)) out += (out.empty() ? "" : joiner) + std::string(kRoleNames[i]);
  }
  return out;
}

std::string What(const Resource& r) {
  switch (r.kind) {
    case Kind::kHolding:
      return r.id;
    case Kind::kCase:
      return "case " + r.id;
    case Kind::kCompartment:
      return "compartment " + r.id;
    case Kind::kPerson:
      return "person " + r.id;
    case Kind::kFacility:
      return "facility " + r.id;
    case Kind::kNone:
      break;
  }
  return "it";
}

}  // namespace

std::string Status(const Subject& s) { return s.id + " is " + std::string(StatusName(s.status)); }

std::string Role(const Subject& s, Action a) {
  return s.id + " has no role that may " + std::string(ActionName(a)) + " (needs " +
         RoleList(RolesFor(a), " or ") + ")";
}

std::string Clearance(const Subject& s, const Resource& r) {
  return "clearance " + Level(s.clearance) + " of " + s.id + " is below the classification " +
         Level(r.classification) + " of " + What(r);
}

std::string Compartment(const Subject& s, const std::string& c) {
  return "compartment " + c + " not held by " + s.id;
}

std::string Caveat(const Subject& s, const std::string& c) {
  return "caveat " + c + " not held by " + s.id;
}

std::string Releasability(const Subject& s, const Resource& r) {
  std::string list;
  for (const auto& n : r.releasable_to) list += (list.empty() ? "" : ", ") + n;
  return What(r) + " is releasable to " + list + " only, not to " + s.id + " (nationality " +
         (s.nationality.empty() ? std::string("unrecorded") : s.nationality) + ")";
}

std::string NeedToKnow(const Subject& s, const Resource& r, const Grant* expired) {
  std::string out =
      s.id + " has no live need-to-know for " + What(r) + ", its case or its " + "compartments";
  if (expired) {
    out += " (grant " + expired->id + " expired at " + FormatRfc3339(expired->expires) + ")";
  }
  return out;
}

std::string HolderOrCustodian(const Subject& s, const Resource& r) {
  return s.id + " neither holds " + What(r) + " nor is a custodian";
}

std::string OwnRegistration(const Subject& s, Action a, const Resource& r) {
  return s.id + " registered evidence " + r.id + " and may not also " + std::string(ActionName(a)) +
         " it";
}

std::string OwnStore(const Subject& s, const Resource& r) {
  return "custodian " + s.id + " may not inspect their own facility " + r.facility;
}

std::string OwnRecord(const Subject& s) { return s.id + " may not change their own record"; }

std::string SelfGrant(const Subject& s) { return s.id + " may not grant need-to-know to themself"; }

std::string Quarantine(const Subject& s) {
  return s.id + " enrolled recently and acts in two-person actions from " +
         FormatRfc3339(s.approves_from);
}

std::string Approval(const Subject& w, uint8_t faults, Action a, const Resource& r) {
  std::string out = "approval by " + w.id + " is not valid:";
  const char* sep = " ";
  auto add = [&](const std::string& why) {
    out += sep + why;
    sep = ", ";
  };
  if (faults & kApproverIsActor) add("they are the actor");
  if (faults & kApproverIsBeneficiary) add("they are the beneficiary");
  if (faults & kApproverRepeated) add("they already approved");
  if (faults & kApproverInactive) add("they are " + std::string(StatusName(w.status)));
  if (faults & kApproverNotCleared) add("they are not cleared for " + What(r));
  if (faults & kApproverNoRole) {
    add("they have no role that may " + std::string(ActionName(a)) + " (needs " +
        RoleList(RolesFor(a) | kSecurityManager, " or ") + ")");
  }
  if (faults & kApproverInQuarantine) {
    add("they enrolled recently and approve from " + FormatRfc3339(w.approves_from));
  }
  return out;
}

std::string TooManyApprovals() {
  return "at most " + std::to_string(kMaxApprovals) + " approvals are taken";
}

std::string TwoPersonNeed(uint8_t bit, const Resource& r) {
  switch (bit) {
    case kTwoPersonDestruction:
      return "destruction";
    case kTwoPersonReproduction:
      return "reproduction of classified material";
    case kTwoPersonRelease:
      return "release of evidence";
    case kTwoPersonTopLevel:
      return "check-out at " + Level(kTopLevel);
    case kTwoPersonHeightened:
      return "facility " + r.facility + " is under heightened control";
    case kTwoPersonPeople:
      if (r.new_person) return "enrolling a person";
      return "giving " + r.id +
             (std::popcount(r.roles_given & kTwoPersonRoles) > 1 ? " the roles " : " the role ") +
             RoleList(r.roles_given & kTwoPersonRoles, " and ");
    case kTwoPersonDismissal:
      return "dismissing a high-severity detection";
    case kTwoPersonWriteOff:
      return "writing off " + r.id;
  }
  return "two-person rule";
}

std::string RoleGround(const Subject& s, Action a, const Resource& r) {
  if (a == Action::kTransfer && r.holder == s.id) return s.id + " may transfer as the holder";
  const uint32_t roles = s.roles & RolesFor(a);
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (roles & (1u << i)) {
      return s.id + " may " + std::string(ActionName(a)) + " as " + std::string(kRoleNames[i]);
    }
  }
  return s.id + " may " + std::string(ActionName(a));
}

std::string Cleared(const Subject& s, const Resource& r) {
  return s.id + " is cleared for " + What(r) + " (" + Level(r.classification) + ")";
}

std::string NeedToKnowGround(const Grant& g) {
  return "need-to-know by grant " + g.id + " on " + std::string(ScopeName(g.scope)) + " " +
         g.target + " until " + FormatRfc3339(g.expires);
}

std::string SecondPerson(const Subject& w) { return "second person: " + w.id; }

bool Marked(const Resource& r) {
  return r.classification > 0 || !r.compartments.empty() || !r.caveats.empty() ||
         !r.releasable_to.empty();
}

}  // namespace strongroom::policy::wording
