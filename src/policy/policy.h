// The decision point: a pure function from (subject, action, resource,
// context) to a decision. Deny by default; no I/O, no allocation on the
// decision path.
//
// A Decision records which rules decided (as bits), so that deciding is cheap
// and explaining is exact: Reasons() renders every rule that decided in words
// a security officer reads ("compartment ORCHID not held by O-7"), and
// `approvals_required` says how many second persons are still needed.
//
// The rules, in the order their reasons are listed:
//   status        a suspended or dismissed person can do nothing;
//   role          each action has the roles that may perform it (kRolesFor);
//   mandatory     clearance dominates classification; every compartment and
//                 handling caveat held; nationality in the releasability list;
//   need-to-know  holding (kHold) or copying (kReproduce) classified material
//                 or any evidence needs a live grant for the holding (or its
//                 original), its case or one of its compartments; so does
//                 reading its record (kReadHolding), except for custodians,
//                 inspectors and security managers, who read by clearance;
//   duties        separation of duties: whoever registered evidence does not
//                 destroy or release it; a custodian does not inspect their
//                 own facility; nobody changes their own record or grants
//                 themself need-to-know; only the holder or a custodian
//                 transfers a holding;
//   quarantine    a newly enrolled person neither acts in nor approves a
//                 two-person action until their quarantine has ended;
//   approvals     every approval comes from a distinct, active, cleared person
//                 entitled to the action (or a security manager) who is
//                 neither the actor nor the beneficiary, and whose quarantine
//                 after enrolment has ended;
//   two-person    destruction, reproduction of classified material, release of
//                 evidence, check-out at the highest level, every action at
//                 a facility under heightened control (reading excepted),
//                 adding a person (or issuing them a new enrolment code)
//                 and giving anyone a role that acts in,
//                 approves or witnesses two-person actions (administrator,
//                 custodian, inspector, security manager), dismissing a
//                 high-severity detection and writing off a missing holding
//                 need one valid approval — bar the store's founder setting
//                 it up alone.
// policy/reference.h holds a deliberately naive evaluator of the same rules;
// randomised tests compare the two, decision and reasons.
#ifndef STRONGROOM_POLICY_POLICY_H_
#define STRONGROOM_POLICY_POLICY_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strongroom::policy {

// The lattice: classification and clearance levels, lowest first.
inline constexpr std::array<std::string_view, 5> kLevelNames = {
    "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"};
inline constexpr int kTopLevel = static_cast<int>(kLevelNames.size()) - 1;
// The rank of a level name, or -1.
int LevelRank(std::string_view name);

// Roles, as bits of Subject::roles.
enum Role : uint32_t {
  kAdministrator = 1u << 0,
  kCustodian = 1u << 1,
  kHolder = 1u << 2,
  kInspector = 1u << 3,
  kSecurityManager = 1u << 4,
};
inline constexpr std::array<std::string_view, 5> kRoleNames = {
    "administrator", "custodian", "holder", "inspector", "security_manager"};
// The bit of a role name, or 0.
uint32_t RoleBit(std::string_view name);

enum class Action : uint8_t {
  kAdminister,  // facilities, locations, people
  kRegister,
  kCheckOut,  // issue a holding to someone (the custodian's side)
  kCheckIn,
  kMove,
  kTransfer,  // hand a checked-out holding to another person
  kHold,      // be the person who holds or receives a holding
  kSeal,
  kUnseal,
  kDispatch,
  kReceive,
  kReproduce,
  kDistribute,
  kRecall,
  kDestroy,
  kRelease,
  kInspect,
  kGrant,         // grant or revoke need-to-know
  kPersonStatus,  // suspend, reinstate, dismiss
  kControl,       // heightened control on or off
  kCorrect,       // annotate an erroneous event
  kReadLog,       // read entries (every entry, whatever it concerns) from the service
  kReadHolding,   // read a holding's record and custody chain from the service
  kDismiss,       // dismiss a detection (oversight)
  kWriteOff,      // write off a holding an inspection found missing (oversight)
};
inline constexpr size_t kActionCount = 25;
std::string_view ActionName(Action a);
// The roles that may perform each action (any one of them).
uint32_t RolesFor(Action a);

enum class Status : uint8_t { kActive, kSuspended, kDismissed };
std::string_view StatusName(Status s);

enum class Scope : uint8_t { kHolding, kCase, kCompartment };
std::string_view ScopeName(Scope s);

// Need-to-know for one person, on a holding (and its copies), a case or a
// compartment, until `expires` (exclusive). Revoked grants are not passed in.
struct Grant {
  std::string id;
  Scope scope = Scope::kHolding;
  std::string target;
  int64_t expires = 0;  // Unix microseconds
  std::string grantor;
};

struct Subject {
  std::string id;
  Status status = Status::kActive;
  uint32_t roles = 0;
  int clearance = 0;
  std::vector<std::string> compartments;  // sorted
  std::vector<std::string> caveats;       // handling caveats held, sorted
  std::string nationality;
  std::string facility;           // home facility (custodians)
  std::span<const Grant> grants;  // this person's unrevoked grants
  // A newly enrolled person approves and witnesses only from then on (Unix
  // microseconds; the quarantine after enrolment).
  int64_t approves_from = 0;
};

enum class Kind : uint8_t { kNone, kHolding, kCase, kCompartment, kPerson, kFacility };

struct Resource {
  Kind kind = Kind::kNone;
  std::string id;  // holding, case, compartment, person or facility
  bool evidence = false;
  int classification = 0;
  std::vector<std::string> compartments;   // sorted
  std::vector<std::string> caveats;        // sorted
  std::vector<std::string> releasable_to;  // nationalities; empty = anyone
  std::string series;                      // the original, for copies
  std::string case_number;
  std::string facility;
  bool heightened = false;  // the facility is under heightened control
  std::string holder;
  std::string registered_by;
  // kAdminister on a person: whether they are being added, and the roles
  // the change gives them that they did not have (bits of Role).
  bool new_person = false;
  uint32_t roles_given = 0;
  // kDismiss: the detection is of high severity.
  bool grave = false;
};

// The roles that act in, approve or witness two-person actions: giving one
// is itself a two-person action.
inline constexpr uint32_t kTwoPersonRoles =
    kAdministrator | kCustodian | kInspector | kSecurityManager;

inline constexpr size_t kMaxApprovals = 4;

struct Context {
  int64_t now = 0;                     // Unix microseconds
  std::string_view actor;              // who requests the action
  std::string_view beneficiary;        // who gains by it (the recipient, the grantee)
  std::span<const Subject> approvals;  // second persons, already authenticated
  // The store's founder, setting it up before anyone else may approve
  // administration: adds people and gives roles alone.
  bool founding = false;
};

enum class Effect : uint8_t { kDeny, kAllow, kNeedsApproval };

// Rules whose outcome is recorded in Decision::denied.
enum class Rule : uint8_t {
  kStatus,
  kRole,
  kClearance,
  kCompartment,
  kCaveat,
  kReleasability,
  kNeedToKnow,
  kHolderOrCustodian,
  kOwnRegistration,
  kOwnStore,
  kOwnRecord,
  kSelfGrant,
  kQuarantine,  // a newly enrolled person acting in a two-person action
  kApproval,
  kTooManyApprovals,
};

// Why one approval is not valid (bits of Decision::approval_faults[i]).
enum ApprovalFault : uint8_t {
  kApproverIsActor = 1u << 0,
  kApproverIsBeneficiary = 1u << 1,
  kApproverRepeated = 1u << 2,
  kApproverInactive = 1u << 3,
  kApproverNotCleared = 1u << 4,
  kApproverNoRole = 1u << 5,
  kApproverInQuarantine = 1u << 6,
};

// Why a second person is needed (bits of Decision::two_person).
enum TwoPerson : uint8_t {
  kTwoPersonDestruction = 1u << 0,
  kTwoPersonReproduction = 1u << 1,
  kTwoPersonRelease = 1u << 2,
  kTwoPersonTopLevel = 1u << 3,
  kTwoPersonHeightened = 1u << 4,
  kTwoPersonPeople = 1u << 5,
  kTwoPersonDismissal = 1u << 6,
  kTwoPersonWriteOff = 1u << 7,
  kTwoPersonLast = kTwoPersonWriteOff,
};

struct Decision {
  Effect effect = Effect::kDeny;
  uint32_t denied = 0;                // bit (1 << Rule) per rule that denied
  uint64_t missing_compartments = 0;  // bit i: resource.compartments[i] not held
  uint64_t missing_caveats = 0;       // bit i: resource.caveats[i] not held
  int ntk_grant = -1;                 // the grant that gave need-to-know, if one did
  int expired_grant = -1;             // else a matching grant that has expired, if any
  uint8_t two_person = 0;
  int approvals_required = 0;  // still needed for the action to go ahead
  int approved_by = -1;        // the approval that satisfied the two-person rule
  std::array<uint8_t, kMaxApprovals> approval_faults{};

  bool allowed() const { return effect == Effect::kAllow; }
  bool Denied(Rule r) const { return denied & (1u << static_cast<unsigned>(r)); }
};

struct Request {
  const Subject& subject;
  Action action;
  const Resource& resource;
  const Context& context;
};

Decision Decide(const Subject& subject, Action action, const Resource& resource,
                const Context& context);

// Whether deciding `action` on `resource` reads the subject's grants (the
// need-to-know rule applies). When it does not, Decide() ignores
// Subject::grants, so a caller need not load them.
bool NeedsNeedToKnow(const Subject& subject, Action action, const Resource& resource);

// Every rule that decided, in words, in the order of the rules above.
std::vector<std::string> Reasons(const Request& request, const Decision& decision);
// "allowed: ...", "denied: ...; ..." or "needs a second person: ...".
std::string Explain(const Request& request, const Decision& decision);

}  // namespace strongroom::policy

#endif  // STRONGROOM_POLICY_POLICY_H_
