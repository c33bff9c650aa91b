// The decision point: a pure function from (subject, action, resource,
// context) to a decision with its reasons. Deny by default; no I/O.
//
// This is the first slice of the policy engine: person status, roles,
// clearance dominance, compartments and the distinct-witness rule. The full
// rule set (need-to-know, two-person integrity, heightened control) extends
// this function; every command path already goes through it.
#ifndef STRONGROOM_POLICY_POLICY_H_
#define STRONGROOM_POLICY_POLICY_H_

#include <string>
#include <vector>

namespace strongroom::policy {

enum class Action {
  kAdminister,  // add facilities, locations, people
  kRegister,
  kIssue,    // check a holding out to someone
  kReceive,  // check a holding back in
  kMove,
  kTransfer,  // hand a held holding to another person
  kHold,      // be the person who holds a holding
  kDestroy,
  kWitness,
};
const char* ActionName(Action a);

struct Subject {
  std::string id;
  std::vector<std::string> roles;
  int clearance = 0;  // rank of the level
  std::vector<std::string> compartments;
  std::string status = "active";
};

struct Resource {
  bool is_holding = false;
  int classification = 0;
  std::vector<std::string> compartments;
  std::string holder;  // current holder, if any
};

struct Context {
  std::string actor;  // who performs the action (for kWitness, kHold)
};

struct Decision {
  bool allowed = false;
  std::vector<std::string> reasons;  // every rule that decided, in words
  std::string Explain() const;       // "denied: ...; ..." or "allowed: ..."
};

Decision Decide(const Subject& subject, Action action, const Resource& resource,
                const Context& context);

}  // namespace strongroom::policy

#endif  // STRONGROOM_POLICY_POLICY_H_
