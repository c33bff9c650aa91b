// The policy engine against literal cases (exact words) and, with RapidCheck,
// against the reference evaluator and the properties the rules promise.
// CI runs with a fixed seed (RC_PARAMS in src/CMakeLists.txt); a larger run:
//   RC_PARAMS="max_success=200000" build/src/policy_test
#include "policy/policy.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <random>

#include "base/clock.h"
#include "policy/reference.h"

namespace strongroom::policy {
namespace {

constexpr int64_t kDay = 86'400'000'000;

Subject Officer(std::string id, int clearance, std::vector<std::string> compartments = {}) {
  Subject s;
  s.id = std::move(id);
  s.roles = kHolder;
  s.clearance = clearance;
  s.compartments = std::move(compartments);
  return s;
}

Resource Document(int classification, std::vector<std::string> compartments = {}) {
  Resource r;
  r.kind = Kind::kHolding;
  r.id = "DOC-1";
  r.classification = classification;
  r.compartments = std::move(compartments);
  r.facility = "F-HQ";
  return r;
}

std::string Explained(const Subject& s, Action a, const Resource& r, const Context& c) {
  Request q{s, a, r, c};
  return Explain(q, Decide(s, a, r, c));
}

TEST(PolicyTest, DeniesByDefault) {
  Subject nobody;
  nobody.id = "X";
  for (size_t a = 0; a < kActionCount; ++a) {
    EXPECT_EQ(Decide(nobody, static_cast<Action>(a), Resource{}, Context{}).effect, Effect::kDeny)
        << ActionName(static_cast<Action>(a));
  }
}

TEST(PolicyTest, NamesEveryMandatoryReason) {
  Subject s = Officer("O-7", 2, {"LILAC"});
  Resource r = Document(3, {"LILAC", "ORCHID"});
  r.caveats = {"ORCON"};
  r.releasable_to = {"GB", "NZ"};
  s.nationality = "FR";
  EXPECT_EQ(Explained(s, Action::kHold, r, {}),
            "denied: clearance CONFIDENTIAL of O-7 is below the classification SECRET of DOC-1; "
            "compartment ORCHID not held by O-7; caveat ORCON not held by O-7; DOC-1 is "
            "releasable to GB, NZ only, not to O-7 (nationality FR); O-7 has no live "
            "need-to-know for DOC-1, its case or its compartments");
}

TEST(PolicyTest, NeedToKnowExpiresOnTime) {
  Subject s = Officer("O-7", 3, {"ORCHID"});
  std::vector<Grant> grants = {{"G-1", Scope::kCompartment, "ORCHID", 10 * kDay, "SM-1"}};
  s.grants = grants;
  Resource r = Document(3, {"ORCHID"});
  Context c;
  c.now = 10 * kDay - 1;
  EXPECT_EQ(Explained(s, Action::kHold, r, c),
            "allowed: O-7 may hold as holder; O-7 is cleared for DOC-1 (SECRET); need-to-know by "
            "grant G-1 on compartment ORCHID until 1970-01-11T00:00:00.000000Z");
  c.now = 10 * kDay;
  EXPECT_EQ(Explained(s, Action::kHold, r, c),
            "denied: O-7 has no live need-to-know for DOC-1, its case or its compartments (grant "
            "G-1 expired at 1970-01-11T00:00:00.000000Z)");
}

TEST(PolicyTest, ReadingARecordNeedsClearanceAndForOfficersNeedToKnow) {
  Subject officer = Officer("O-7", 3, {"ORCHID"});
  Resource r = Document(3, {"ORCHID"});
  r.heightened = true;  // reading is never a two-person action
  EXPECT_EQ(Explained(officer, Action::kReadHolding, r, {}),
            "denied: O-7 has no live need-to-know for DOC-1, its case or its compartments");
  std::vector<Grant> grants = {{"G-1", Scope::kHolding, "DOC-1", 10 * kDay, "SM-1"}};
  officer.grants = grants;
  EXPECT_EQ(Decide(officer, Action::kReadHolding, r, {}).effect, Effect::kAllow);
  Subject custodian = Officer("C-1", 3, {"ORCHID"});
  custodian.roles = kCustodian;
  EXPECT_EQ(Explained(custodian, Action::kReadHolding, r, {}),
            "allowed: C-1 may read a holding's record as custodian; C-1 is cleared for DOC-1 "
            "(SECRET)");
  custodian.compartments.clear();
  EXPECT_EQ(Explained(custodian, Action::kReadHolding, r, {}),
            "denied: compartment ORCHID not held by C-1");
  Subject admin = Officer("A-1", 4, {"ORCHID"});
  admin.roles = kAdministrator;
  EXPECT_EQ(Explained(admin, Action::kReadHolding, r, {}),
            "denied: A-1 has no role that may read a holding's record (needs custodian or holder "
            "or inspector or security_manager); A-1 has no live need-to-know for DOC-1, its case "
            "or its compartments");
}

TEST(PolicyTest, SuspendedPeopleCanDoNothing) {
  Subject s = Officer("O-7", 4);
  s.roles = kAdministrator | kCustodian | kHolder | kInspector | kSecurityManager;
  s.status = Status::kSuspended;
  for (size_t a = 0; a < kActionCount; ++a) {
    auto d = Decide(s, static_cast<Action>(a), Resource{}, Context{});
    EXPECT_TRUE(d.Denied(Rule::kStatus));
    EXPECT_EQ(d.effect, Effect::kDeny);
  }
}

TEST(PolicyTest, DestructionNeedsADistinctEligibleWitness) {
  Subject custodian = Officer("C-1", 4);
  custodian.roles = kCustodian;
  Resource r = Document(1);
  EXPECT_EQ(Explained(custodian, Action::kDestroy, r, {}), "needs a second person: destruction");
  std::vector<Subject> self = {custodian};
  Context c;
  c.actor = "C-1";
  c.approvals = self;
  EXPECT_EQ(Explained(custodian, Action::kDestroy, r, c),
            "denied: approval by C-1 is not valid: they are the actor");
  Subject officer = Officer("O-2", 0);
  std::vector<Subject> low = {officer};
  c.approvals = low;
  EXPECT_EQ(Explained(custodian, Action::kDestroy, r, c),
            "denied: approval by O-2 is not valid: they are not cleared for DOC-1, they have no "
            "role that may destroy (needs custodian or security_manager)");
  Subject manager = Officer("SM-1", 4);
  manager.roles = kSecurityManager;
  std::vector<Subject> ok = {manager};
  c.approvals = ok;
  EXPECT_EQ(Explained(custodian, Action::kDestroy, r, c),
            "allowed: C-1 may destroy as custodian; C-1 is cleared for DOC-1 (RESTRICTED); "
            "second person: SM-1");
  std::vector<Subject> twice = {manager, manager};
  c.approvals = twice;
  EXPECT_EQ(Explained(custodian, Action::kDestroy, r, c),
            "denied: approval by SM-1 is not valid: they already approved");
}

// Issue 12: one administrator does not manufacture the second person.
// Adding a person, and giving a role that acts in or approves two-person
// actions, need a second administrator or security manager — one whose
// quarantine after enrolment has ended; the founder setting up the store
// acts alone.
TEST(PolicyTest, AddingPeopleAndGivingRolesNeedsASecondPerson) {
  Subject admin = Officer("A-1", 4);
  admin.roles = kAdministrator;
  Resource add;
  add.kind = Kind::kPerson;
  add.id = "N-1";
  add.new_person = true;
  EXPECT_EQ(Explained(admin, Action::kAdminister, add, {}), "needs a second person: enrolling a person");
  Context founding;
  founding.founding = true;
  EXPECT_EQ(Decide(admin, Action::kAdminister, add, founding).effect, Effect::kAllow);
  Resource promote = add;
  promote.new_person = false;
  promote.roles_given = kCustodian | kInspector | kHolder;
  EXPECT_EQ(Explained(admin, Action::kAdminister, promote, {}),
            "needs a second person: giving N-1 the roles custodian and inspector");
  Resource holder = promote;
  holder.roles_given = kHolder;  // a holder acts in no two-person action
  EXPECT_EQ(Decide(admin, Action::kAdminister, holder, {}).effect, Effect::kAllow);

  Subject fresh = Officer("SM-2", 4);
  fresh.roles = kSecurityManager;
  fresh.approves_from = 7 * kDay;
  std::vector<Subject> second = {fresh};
  Context c;
  c.actor = "A-1";
  c.approvals = second;
  c.now = 7 * kDay - 1;
  EXPECT_EQ(Explained(admin, Action::kAdminister, add, c),
            "denied: approval by SM-2 is not valid: they enrolled recently and approve from " +
                FormatRfc3339(7 * kDay));
  c.now = 7 * kDay;
  EXPECT_EQ(Decide(admin, Action::kAdminister, add, c).effect, Effect::kAllow);
  // The quarantine holds for every two-person action (witnessing a
  // destruction too), and for acting in one: a person one administrator
  // made does not ask for what that administrator then approves.
  Subject custodian = Officer("C-1", 4);
  custodian.roles = kCustodian;
  c.now = 0;
  EXPECT_EQ(Decide(custodian, Action::kDestroy, Document(1), c).effect, Effect::kDeny);
  Subject newcomer = Officer("C-2", 4);
  newcomer.roles = kCustodian;
  newcomer.approves_from = kDay;
  Context early;
  early.now = kDay - 1;
  EXPECT_EQ(Explained(newcomer, Action::kDestroy, Document(1), early),
            "denied: C-2 enrolled recently and acts in two-person actions from " +
                FormatRfc3339(kDay));
  EXPECT_EQ(Decide(newcomer, Action::kMove, Document(1), early).effect, Effect::kAllow);
  early.now = kDay;
  EXPECT_EQ(Decide(newcomer, Action::kDestroy, Document(1), early).effect,
            Effect::kNeedsApproval);
}

TEST(PolicyTest, SeparationOfDuties) {
  Subject custodian = Officer("C-1", 4);
  custodian.roles = kCustodian | kInspector | kSecurityManager | kAdministrator;
  custodian.facility = "F-HQ";
  Resource evidence = Document(0);
  evidence.evidence = true;
  evidence.registered_by = "C-1";
  EXPECT_EQ(Explained(custodian, Action::kRelease, evidence, {}),
            "denied: C-1 registered evidence DOC-1 and may not also release it");
  EXPECT_EQ(Explained(custodian, Action::kInspect, evidence, {}),
            "denied: custodian C-1 may not inspect their own facility F-HQ");
  Resource self;
  self.kind = Kind::kPerson;
  self.id = "C-1";
  EXPECT_EQ(Explained(custodian, Action::kPersonStatus, self, {}),
            "denied: C-1 may not change their own record");
  Context c;
  c.beneficiary = "C-1";
  EXPECT_EQ(Explained(custodian, Action::kGrant, Document(2), c),
            "denied: C-1 may not grant need-to-know to themself");
}

TEST(PolicyTest, TwoPersonRules) {
  Subject custodian = Officer("C-1", 4, {"ORCHID"});
  custodian.roles = kCustodian;
  std::vector<Grant> grants = {{"G-1", Scope::kHolding, "DOC-1", kDay, "SM-1"}};
  custodian.grants = grants;
  EXPECT_EQ(Explained(custodian, Action::kReproduce, Document(2), {}),
            "needs a second person: reproduction of classified material");
  EXPECT_EQ(Explained(custodian, Action::kCheckOut, Document(4), {}),
            "needs a second person: check-out at TOP SECRET");
  Resource held = Document(0);
  held.heightened = true;
  EXPECT_EQ(Explained(custodian, Action::kMove, held, {}),
            "needs a second person: facility F-HQ is under heightened control");
  EXPECT_EQ(Decide(custodian, Action::kMove, Document(0), {}).effect, Effect::kAllow);
}

TEST(PolicyTest, OversightTwoPersonRules) {
  Subject inspector = Officer("I-1", 4, {});
  inspector.roles = kInspector;
  Subject manager = Officer("SM-1", 4, {});
  manager.roles = kSecurityManager;
  Resource finding;
  finding.id = "DET-1";
  EXPECT_EQ(Decide(inspector, Action::kDismiss, finding, {}).effect, Effect::kAllow);
  finding.grave = true;
  EXPECT_EQ(Explained(inspector, Action::kDismiss, finding, {}),
            "needs a second person: dismissing a high-severity detection");
  // The person a detection concerns (its beneficiary) approves nothing.
  Subject subject = Officer("C-1", 4, {});
  subject.roles = kSecurityManager;
  std::vector<Subject> approvals = {subject};
  Context c;
  c.beneficiary = "C-1";
  c.approvals = approvals;
  EXPECT_EQ(Decide(inspector, Action::kDismiss, finding, c).effect, Effect::kDeny);
  approvals = {manager};
  EXPECT_EQ(Decide(inspector, Action::kDismiss, finding, c).effect, Effect::kAllow);
  // A write-off is always two-person, by a security manager.
  EXPECT_EQ(Explained(manager, Action::kWriteOff, Document(0), {}),
            "needs a second person: writing off DOC-1");
  EXPECT_EQ(Decide(inspector, Action::kWriteOff, Document(0), {}).effect, Effect::kDeny);
}

// ---- Randomised: generated requests over small name pools, so that
// collisions (same person, same compartment, boundary times) are common.

struct Scenario {
  Subject subject;
  std::vector<Grant> grants;
  Action action;
  Resource resource;
  int64_t now;
  std::string actor, beneficiary;
  std::vector<Subject> approvals;
  bool founding = false;
  Context context() const {
    Context c;
    c.founding = founding;
    c.now = now;
    c.actor = actor;
    c.beneficiary = beneficiary;
    c.approvals = approvals;
    return c;
  }
};

const std::vector<std::string> kPeople = {"P1", "P2", "P3", "P4"};
const std::vector<std::string> kCompartments = {"IRIS", "LILAC", "ORCHID"};
const std::vector<std::string> kCaveats = {"NOFORN", "ORCON"};
const std::vector<std::string> kNations = {"FR", "GB", "NZ"};

rc::Gen<std::vector<std::string>> SubsetOf(const std::vector<std::string>& pool, int bias) {
  return rc::gen::map(rc::gen::inRange(0, 1 << pool.size()), [pool, bias](int bits) {
    std::vector<std::string> out;
    for (size_t i = 0; i < pool.size(); ++i) {
      if ((bits >> i & 1) && (bias == 0 || (bits & 1))) out.push_back(pool[i]);
    }
    return out;  // pool is sorted, so is out
  });
}

Subject GenSubject() {
  Subject s;
  s.id = *rc::gen::elementOf(kPeople);
  s.status = *rc::gen::weightedElement<Status>(
      {{8, Status::kActive}, {1, Status::kSuspended}, {1, Status::kDismissed}});
  s.roles = static_cast<uint32_t>(*rc::gen::inRange(0, 32));
  s.clearance = *rc::gen::inRange(0, kTopLevel + 1);
  s.compartments = *SubsetOf(kCompartments, 0);
  s.caveats = *SubsetOf(kCaveats, 0);
  s.nationality = *rc::gen::elementOf(std::vector<std::string>{"", "FR", "GB"});
  s.facility = *rc::gen::elementOf(std::vector<std::string>{"", "F1", "F2"});
  s.approves_from = *rc::gen::weightedElement<int64_t>({{4, 0}, {1, 10}, {1, 25}});
  return s;
}

Scenario GenScenario() {
  Scenario sc;
  sc.subject = GenSubject();
  const int grants = *rc::gen::inRange(0, 4);
  for (int i = 0; i < grants; ++i) {
    Grant g;
    g.id = "G" + std::to_string(i);
    g.scope =
        *rc::gen::elementOf(std::vector<Scope>{Scope::kHolding, Scope::kCase, Scope::kCompartment});
    g.target = *rc::gen::elementOf(
        std::vector<std::string>{"H1", "H2", "C1", "C2", "IRIS", "LILAC", "ORCHID"});
    g.expires = *rc::gen::inRange<int64_t>(0, 20);
    g.grantor = "SM";
    sc.grants.push_back(g);
  }
  sc.action = static_cast<Action>(*rc::gen::inRange<int>(0, kActionCount));
  Resource& r = sc.resource;
  r.kind = *rc::gen::elementOf(std::vector<Kind>{Kind::kNone, Kind::kHolding, Kind::kHolding,
                                                 Kind::kHolding, Kind::kCase, Kind::kCompartment,
                                                 Kind::kPerson, Kind::kFacility});
  r.id = *rc::gen::elementOf(std::vector<std::string>{"H1", "H2", "P1", "P2", "C1"});
  r.evidence = *rc::gen::arbitrary<bool>();
  r.classification = *rc::gen::inRange(0, kTopLevel + 1);
  r.compartments = *SubsetOf(kCompartments, 1);
  r.caveats = *SubsetOf(kCaveats, 1);
  r.releasable_to = *SubsetOf(kNations, 1);
  r.series = *rc::gen::elementOf(std::vector<std::string>{"", "H1", "H2"});
  r.case_number = *rc::gen::elementOf(std::vector<std::string>{"", "C1", "C2"});
  r.facility = *rc::gen::elementOf(std::vector<std::string>{"F1", "F2"});
  r.heightened = *rc::gen::weightedElement<bool>({{4, false}, {1, true}});
  r.holder = *rc::gen::elementOf(std::vector<std::string>{"", "P1", "P2"});
  r.registered_by = *rc::gen::elementOf(std::vector<std::string>{"", "P1", "P2"});
  r.new_person = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
  r.roles_given = static_cast<uint32_t>(*rc::gen::inRange(0, 32));
  r.grave = *rc::gen::arbitrary<bool>();
  sc.founding = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
  sc.now = *rc::gen::inRange<int64_t>(0, 20);
  sc.actor = *rc::gen::weightedElement<std::string>({{4, sc.subject.id}, {1, "P2"}});
  sc.beneficiary = *rc::gen::elementOf(std::vector<std::string>{"", "P1", "P3"});
  const int approvals = *rc::gen::weightedElement<int>({{3, 0}, {4, 1}, {2, 2}, {1, 5}});
  for (int i = 0; i < approvals; ++i) sc.approvals.push_back(GenSubject());
  // Half the time, shape the request so most rules pass: otherwise nearly
  // every random request is denied and the allow paths go untested.
  if (*rc::gen::arbitrary<bool>()) {
    Subject& s = sc.subject;
    s.status = Status::kActive;
    s.roles |= RolesFor(sc.action);
    s.clearance = std::max(s.clearance, *rc::gen::inRange(r.classification, kTopLevel + 1));
    s.compartments = kCompartments;
    if (*rc::gen::arbitrary<bool>()) s.caveats = kCaveats;
    if (*rc::gen::arbitrary<bool>()) s.nationality = "GB";
    if (*rc::gen::arbitrary<bool>()) sc.actor = s.id;
    for (Subject& w : sc.approvals) {
      if (*rc::gen::arbitrary<bool>()) continue;
      w.status = Status::kActive;
      w.roles |= kSecurityManager;
      w.clearance = kTopLevel;
      w.compartments = kCompartments;
      w.caveats = kCaveats;
      w.nationality = "GB";
    }
  }
  sc.subject.grants = sc.grants;
  return sc;
}

void ExpectSameAsReference(const Scenario& sc, const std::vector<size_t>& order = {}) {
  const Context c = sc.context();
  const Request q{sc.subject, sc.action, sc.resource, c};
  const Decision fast = Decide(sc.subject, sc.action, sc.resource, c);
  const reference::Outcome ref = reference::Evaluate(q, order);
  RC_ASSERT(fast.effect == ref.effect);
  RC_ASSERT(fast.approvals_required == ref.approvals_required);
  RC_ASSERT(Reasons(q, fast) == ref.reasons);
  RC_ASSERT(!ref.reasons.empty());
}

RC_GTEST_PROP(PolicyProperty, FastAgreesWithReferenceOnDecisionAndReasons, ()) {
  const Scenario sc = GenScenario();
  RC_CLASSIFY(Decide(sc.subject, sc.action, sc.resource, sc.context()).effect == Effect::kAllow,
              "allowed");
  ExpectSameAsReference(sc);
}

RC_GTEST_PROP(PolicyProperty, RuleOrderDoesNotMatter, ()) {
  const Scenario sc = GenScenario();
  std::vector<size_t> order(reference::kRuleCount);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(*rc::gen::arbitrary<uint32_t>()));
  ExpectSameAsReference(sc, order);
}

RC_GTEST_PROP(PolicyProperty, NoRoleMeansDeny, ()) {
  Scenario sc = GenScenario();
  sc.subject.roles = 0;
  RC_ASSERT(Decide(sc.subject, sc.action, sc.resource, sc.context()).effect == Effect::kDeny);
}

RC_GTEST_PROP(PolicyProperty, StricterMarkingsNeverTurnDenyIntoAllow, ()) {
  const Scenario sc = GenScenario();
  const Context c = sc.context();
  RC_PRE(Decide(sc.subject, sc.action, sc.resource, c).effect == Effect::kDeny);
  Resource stricter = sc.resource;
  stricter.classification = *rc::gen::inRange(stricter.classification, kTopLevel + 1);
  const std::string added = *rc::gen::elementOf(kCompartments);
  // The one route by which a compartment opens material: a live
  // compartment-scope grant for it (that is what such a grant is for).
  for (const Grant& g : sc.grants) {
    RC_PRE(!(g.scope == Scope::kCompartment && g.target == added && c.now < g.expires));
  }
  if (!std::binary_search(stricter.compartments.begin(), stricter.compartments.end(), added)) {
    stricter.compartments.insert(
        std::lower_bound(stricter.compartments.begin(), stricter.compartments.end(), added), added);
  }
  RC_ASSERT(Decide(sc.subject, sc.action, stricter, c).effect == Effect::kDeny);
}

RC_GTEST_PROP(PolicyProperty, AtOrAfterExpiryNeedToKnowIsGone, ()) {
  Scenario sc = GenScenario();
  sc.action = Action::kHold;
  sc.resource.kind = Kind::kHolding;
  sc.resource.evidence = true;
  int64_t last = 0;
  for (const Grant& g : sc.grants) last = std::max(last, g.expires);
  sc.now = last + *rc::gen::inRange<int64_t>(0, 3);
  const Decision d = Decide(sc.subject, sc.action, sc.resource, sc.context());
  RC_ASSERT(d.effect == Effect::kDeny);
  RC_ASSERT(d.Denied(Rule::kNeedToKnow));
}

RC_GTEST_PROP(PolicyProperty, ASecondPersonIsDistinctAndNeverTheRequester, ()) {
  const Scenario sc = GenScenario();
  const Context c = sc.context();
  const Decision d = Decide(sc.subject, sc.action, sc.resource, c);
  RC_CLASSIFY(d.effect == Effect::kAllow && d.two_person != 0, "allowed by two people");
  if (d.effect != Effect::kAllow || d.two_person == 0) return;
  RC_ASSERT(d.approved_by >= 0);
  for (const Subject& w : sc.approvals) {
    RC_ASSERT(w.id != sc.subject.id);
    RC_ASSERT(w.id != sc.actor);
    RC_ASSERT(w.id != sc.beneficiary || sc.beneficiary.empty());
  }
  for (size_t i = 0; i < sc.approvals.size(); ++i) {
    for (size_t j = 0; j < i; ++j) RC_ASSERT(sc.approvals[i].id != sc.approvals[j].id);
  }
}

}  // namespace
}  // namespace strongroom::policy
