// A deliberately plain evaluator of the same rules as Decide(): one small
// function per rule, no bit sets, no early exits, lists searched linearly.
// It exists to be read and trusted; randomised tests check that Decide()
// agrees with it on the effect, the approvals still required and every
// reason, word for word.
#ifndef STRONGROOM_POLICY_REFERENCE_H_
#define STRONGROOM_POLICY_REFERENCE_H_

#include <string>
#include <vector>

#include "policy/policy.h"

namespace strongroom::policy::reference {

struct Outcome {
  Effect effect = Effect::kDeny;
  int approvals_required = 0;
  std::vector<std::string> reasons;
};

// The number of rules; `order` (a permutation of 0..kRuleCount-1, or empty
// for the natural order) is the order in which they are evaluated, which
// must not matter.
inline constexpr size_t kRuleCount = 16;
Outcome Evaluate(const Request& request, const std::vector<size_t>& order = {});

}  // namespace strongroom::policy::reference

#endif  // STRONGROOM_POLICY_REFERENCE_H_
