// What an event kind's `check` works with: the event, the state, and the
// policy decisions it asks for, gathered into one verdict.
#ifndef STRONGROOM_CUSTODY_KINDS_DECISION_H_
#define STRONGROOM_CUSTODY_KINDS_DECISION_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "custody/event.h"
#include "custody/model.h"
#include "custody/projection.h"
#include "custody/rules.h"
#include "policy/policy.h"

namespace strongroom {

// The policy's view of a holding (with its facility's control state).
policy::Resource ResourceOf(const Projection& s, const Holding& h);
// A resource known only by kind and id.
policy::Resource Named(policy::Kind kind, const std::string& id);
policy::Resource FacilityResource(const Projection& s, const std::string& facility);

class Decision {
 public:
  Decision(const Event& e, const Projection& s, const CheckEnv& env);
  Decision(const Decision&) = delete;
  Decision& operator=(const Decision&) = delete;

  const Event& event() const { return e_; }
  const Projection& state() const { return s_; }
  const CheckEnv& env() const { return env_; }
  // The event's time, in microseconds since the epoch.
  int64_t now() const { return now_; }
  // The acting person (set by the pipeline before `check`; none for the
  // founding entry).
  const Person& actor() const { return *actor_; }
  // Whether the actor signed the event themself (acknowledgements).
  bool actor_signed() const { return actor_signed_; }

  // The actor does `a` to `r`, a resource no need-to-know applies to.
  void Ask(policy::Action a, const policy::Resource& r, std::string_view beneficiary = {});
  // The actor does `a` to holding `h` (with the grants covering it).
  void AskOnHolding(policy::Action a, const Holding& h, std::string_view beneficiary = {});
  // `to` is to hold `h` (with their grants covering it).
  void AskRecipient(const Person& to, const Holding& h);
  // A refusal that is no policy decision ("may not cancel ...").
  void Deny(std::string reason);
  // Why an event no policy decision covers is allowed (the founding entry).
  void Ground(std::string reason);
  bool denied() const { return !denied_.empty(); }

  // The pipeline's part.
  void SetActor(const Person* actor, bool actor_signed);
  void AddApproval(const Person& signer);
  // The verdict, or Internal if a need-to-know decision ran without the
  // grants it reads (a kind that did not declare them: a bug).
  Result<Verdict> Finish() const;

 private:
  void Decide(const policy::Subject& subject, policy::Action a, const policy::Resource& r,
              std::string_view beneficiary, std::span<const policy::Subject> approvals);
  // `subject` with the grants of its person that cover `r`, when deciding
  // `a` on `r` reads need-to-know.
  const policy::Subject& WithGrants(policy::Subject& subject, policy::Action a,
                                    const policy::Resource& r);

  const Event& e_;
  const Projection& s_;
  const CheckEnv& env_;
  int64_t now_;
  const Person* actor_ = nullptr;
  bool actor_signed_ = false;
  policy::Subject me_;
  std::vector<policy::Subject> approvals_;
  std::vector<policy::Grant> covering_;
  bool missing_grants_ = false;
  std::vector<std::string> denied_, needs_, grounds_;
};

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_KINDS_DECISION_H_
