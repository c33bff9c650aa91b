#include "policy/policy.h"

#include <algorithm>

namespace strongroom::policy {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The roles that may perform each action (any one suffices).
std::vector<std::string> RolesFor(Action a) {
  switch (a) {
    case Action::kAdminister:
      return {"administrator"};
    case Action::kRegister:
    case Action::kIssue:
    case Action::kReceive:
    case Action::kMove:
    case Action::kDestroy:
      return {"custodian"};
    case Action::kTransfer:
    case Action::kHold:
    case Action::kWitness:
      return {};  // any active person; other rules apply
  }
  return {};
}

}  // namespace

const char* ActionName(Action a) {
  switch (a) {
    case Action::kAdminister:
      return "administer";
    case Action::kRegister:
      return "register";
    case Action::kIssue:
      return "issue";
    case Action::kReceive:
      return "receive";
    case Action::kMove:
      return "move";
    case Action::kTransfer:
      return "transfer";
    case Action::kHold:
      return "hold";
    case Action::kDestroy:
      return "destroy";
    case Action::kWitness:
      return "witness";
  }
  return "unknown";
}

std::string Decision::Explain() const {
  std::string out = allowed ? "allowed" : "denied";
  for (size_t i = 0; i < reasons.size(); ++i) out += (i ? "; " : ": ") + reasons[i];
  return out;
}

Decision Decide(const Subject& s, Action action, const Resource& r, const Context& ctx) {
  Decision d;
  std::vector<std::string> denials;
  if (s.status != "active") denials.push_back(s.id + " is " + s.status);
  const auto roles = RolesFor(action);
  if (!roles.empty() &&
      std::none_of(roles.begin(), roles.end(), [&](const auto& r) { return Has(s.roles, r); })) {
    denials.push_back(s.id + " does not have the role " + roles[0] + " needed to " +
                      ActionName(action));
  }
  if (action == Action::kWitness && s.id == ctx.actor) {
    denials.push_back("a witness must be a different person from the actor");
  }
  if (action == Action::kTransfer && r.holder != s.id && !Has(s.roles, "custodian")) {
    denials.push_back(s.id + " neither holds the holding nor is a custodian");
  }
  if (action == Action::kHold && r.is_holding) {
    if (s.clearance < r.classification) {
      denials.push_back("clearance of " + s.id + " is below the holding's classification");
    }
    for (const auto& c : r.compartments) {
      if (!Has(s.compartments, c)) denials.push_back("compartment " + c + " not held by " + s.id);
    }
  }
  if (!denials.empty()) {
    d.reasons = std::move(denials);
    return d;
  }
  d.allowed = true;
  d.reasons.push_back(s.id + " may " + ActionName(action));
  return d;
}

}  // namespace strongroom::policy
