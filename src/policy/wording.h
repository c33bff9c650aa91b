// The words of every reason, shared by the fast evaluator (policy.cc) and the
// reference one (reference.cc), so that their differential tests compare
// decisions rather than spelling.
#ifndef STRONGROOM_POLICY_WORDING_H_
#define STRONGROOM_POLICY_WORDING_H_

#include <string>

#include "policy/policy.h"

namespace strongroom::policy::wording {

std::string Status(const Subject& s);
std::string Role(const Subject& s, Action a);
std::string Clearance(const Subject& s, const Resource& r);
std::string Compartment(const Subject& s, const std::string& compartment);
std::string Caveat(const Subject& s, const std::string& caveat);
std::string Releasability(const Subject& s, const Resource& r);
std::string NeedToKnow(const Subject& s, const Resource& r, const Grant* expired);
std::string HolderOrCustodian(const Subject& s, const Resource& r);
std::string OwnRegistration(const Subject& s, Action a, const Resource& r);
std::string OwnStore(const Subject& s, const Resource& r);
std::string OwnRecord(const Subject& s);
std::string SelfGrant(const Subject& s);
std::string Quarantine(const Subject& s);
std::string Approval(const Subject& approver, uint8_t faults, Action a, const Resource& r);
std::string TooManyApprovals();
std::string TwoPersonNeed(uint8_t bit, const Resource& r);

// Grounds of an allowed action.
std::string RoleGround(const Subject& s, Action a, const Resource& r);
std::string Cleared(const Subject& s, const Resource& r);
std::string NeedToKnowGround(const Grant& g);
std::string SecondPerson(const Subject& approver);

// Whether the resource carries any marking worth a "cleared" ground.
bool Marked(const Resource& r);

}  // namespace strongroom::policy::wording

#endif  // STRONGROOM_POLICY_WORDING_H_
