#include "custody/rules.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/clock.h"
#include "base/encoding.h"
#include "crypto/ed25519.h"
#include "policy/policy.h"

namespace strongroom {
namespace {

using policy::Action;
using Strings = std::vector<std::string>;

// ---- Field access (fields were validated against the type's schema).

Strings StringList(const Json& fields, const char* name) {
  auto it = fields.find(name);
  if (it == fields.end()) return {};
  return it->get<Strings>();
}

int64_t Integer(const Json& fields, const char* name) {
  auto it = fields.find(name);
  return it == fields.end() ? 0 : it->get<int64_t>();
}

int64_t Micros(const std::string& rfc3339) { return ParseRfc3339(rfc3339).value(); }

Strings Sorted(Strings v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// ---- Policy inputs from custody records.

// A person as a policy subject, kept where the decisions can point at it.
class Party {
 public:
  Party(const Projection& s, const Person& p) : s_(s), subject_(SubjectOf(p)) {}
  Party(const Party&) = delete;
  Party& operator=(const Party&) = delete;
  // Without grants: for decisions that need no need-to-know.
  const policy::Subject& subject() const { return subject_; }
  // For deciding `a` on `r`: with the person's grants that cover `r` if the
  // decision reads grants (need-to-know), else none. Valid until the next
  // call. If the grants it needs were not loaded (LoadReferences did not
  // declare them: a bug), missing_grants() says so and the check fails.
  const policy::Subject& For(Action a, const policy::Resource& r) {
    covering_.clear();
    if (policy::NeedsNeedToKnow(subject_, a, r) && !s_.CoveringGrants(subject_.id, r, &covering_)) {
      missing_grants_ = true;
    }
    subject_.grants = covering_;
    return subject_;
  }
  bool missing_grants() const { return missing_grants_; }

 private:
  const Projection& s_;
  policy::Subject subject_;
  std::vector<policy::Grant> covering_;
  bool missing_grants_ = false;
};

bool Heightened(const Projection& s, const std::string& facility) {
  const Facility* f = facility.empty() ? nullptr : s.facility(facility);
  return f && f->heightened_control;
}

policy::Resource ResourceOf(const Projection& s, const Holding& h) {
  policy::Resource r;
  r.kind = policy::Kind::kHolding;
  r.id = h.id;
  r.evidence = h.kind == "evidence";
  r.classification = policy::LevelRank(h.classification);
  r.compartments = Sorted(h.compartments);
  r.caveats = Sorted(h.caveats);
  r.releasable_to = h.releasable_to;
  r.series = h.copy_of;
  r.case_number = h.case_number;
  r.facility = h.facility;
  r.heightened = Heightened(s, h.facility);
  r.holder = h.holder;
  r.registered_by = h.registered_by;
  return r;
}

policy::Resource Named(policy::Kind kind, const std::string& id) {
  policy::Resource r;
  r.kind = kind;
  r.id = id;
  return r;
}

policy::Resource FacilityResource(const Projection& s, const std::string& facility) {
  policy::Resource r = Named(policy::Kind::kFacility, facility);
  r.facility = facility;
  r.heightened = Heightened(s, facility);
  return r;
}

// Collects the decisions an event needs and turns them into one verdict.
class Judge {
 public:
  Judge(const Event& e, bool explain) : now_(Micros(e.time)), actor_(e.actor), explain_(explain) {}

  void Ask(const policy::Subject& subject, Action action, const policy::Resource& resource,
           std::string_view beneficiary = {}, std::span<const policy::Subject> approvals = {}) {
    policy::Context ctx;
    ctx.now = now_;
    ctx.actor = actor_;
    ctx.beneficiary = beneficiary;
    ctx.approvals = approvals;
    const policy::Decision d = policy::Decide(subject, action, resource, ctx);
    if (d.effect == policy::Effect::kAllow && !explain_) return;  // words only when asked
    auto& into = d.effect == policy::Effect::kDeny    ? denied_
                 : d.effect == policy::Effect::kAllow ? grounds_
                                                      : needs_;
    for (auto& r : policy::Reasons({subject, action, resource, ctx}, d)) {
      if (std::find(into.begin(), into.end(), r) == into.end()) into.push_back(std::move(r));
    }
  }
  void Deny(std::string reason) { denied_.push_back(std::move(reason)); }
  bool denied() const { return !denied_.empty(); }

  Verdict verdict() const {
    if (!denied_.empty()) return {Verdict::Kind::kDenied, denied_, {}};
    if (!needs_.empty()) return {Verdict::Kind::kNeedsApproval, needs_, {}};
    return {Verdict::Kind::kAccept, {}, grounds_};
  }

 private:
  int64_t now_;
  std::string actor_;
  bool explain_;
  Strings denied_, needs_, grounds_;
};

// ---- State preconditions.

Result<const Person*> NeedPerson(const Projection& s, const std::string& id) {
  const Person* p = s.person(id);
  if (!p) return NotFound("person " + id + " does not exist");
  return p;
}

Result<const Holding*> NeedHolding(const Projection& s, const std::string& id) {
  const Holding* h = s.holding(id);
  if (!h) return NotFound("holding " + id + " does not exist");
  if (h->status == kDestroyed) return FailedPrecondition("holding " + id + " is destroyed");
  if (h->status == kReleased) {
    return FailedPrecondition("holding " + id + " was released to " + h->released_to);
  }
  return h;
}

Status InStore(const Holding& h, const std::string& doing) {
  if (h.status == kInStore && h.container.empty()) return OkStatus();
  if (h.status == kCheckedOut) {
    return FailedPrecondition("holding " + h.id + " is checked out to " + h.holder +
                              (doing.empty() ? "" : "; check it in before " + doing));
  }
  if (h.status == kInTransit) {
    return FailedPrecondition("holding " + h.id + " is in transit under " + h.dispatch);
  }
  if (!h.container.empty()) {
    return FailedPrecondition("holding " + h.id + " is sealed in container " + h.container);
  }
  return FailedPrecondition("holding " + h.id + " is " + h.status);
}

Result<const Location*> NeedLocation(const Projection& s, const std::string& id,
                                     const std::string& facility = "") {
  const Location* l = s.location(id);
  if (!l) return NotFound("location " + id + " does not exist");
  if (!facility.empty() && l->facility != facility) {
    return FailedPrecondition("location " + id + " is not in facility " + facility);
  }
  return l;
}

std::string SeriesRoot(const Holding& h) { return h.copy_of.empty() ? h.id : h.copy_of; }

std::string CopyId(const std::string& root, int64_t number) {
  return root + "-C" + std::to_string(number);
}

// The ids of the copies a reproduce / distribute event creates.
Strings NewCopies(const Event& e, const Projection& s) {
  const Holding* h = s.holding(e.holdings[0]);
  if (!h) return {};
  const Holding* root = s.holding(SeriesRoot(*h));
  if (!root) return {};
  const int64_t n = e.type == EventType::kReproduce
                        ? Integer(e.fields, "copies")
                        : static_cast<int64_t>(StringList(e.fields, "units").size());
  Strings out;
  const int64_t first = std::max(root->copies_total, root->copy_number) + 1;
  for (int64_t i = 0; i < n && i < 100; ++i) out.push_back(CopyId(root->id, first + i));
  return out;
}

// ---- Approvals and acknowledgements: personal signatures.

// Verifies every signature; the signers other than the actor become
// approvals. A signature that does not verify is a denial, logged.
Status Signers(const Event& e, const Projection& s, const CheckEnv& env, Judge* judge,
               std::vector<std::unique_ptr<Party>>* approvals, bool* actor_signed) {
  *actor_signed = false;
  if (e.signatures.empty()) return OkStatus();
  const std::string message = SignedRequest(env.origin, e);
  for (const Signature& sig : e.signatures) {
    SR_ASSIGN_OR_RETURN(const Person* p, NeedPerson(s, sig.person));
    if (p->public_key.empty()) {
      judge->Deny(p->id + " has no personal key and cannot sign");
      continue;
    }
    if (!Ed25519Verify(Base64Decode(p->public_key).value(), message,
                       Base64Decode(sig.signature).value())) {
      judge->Deny("the signature of " + p->id + " does not verify");
      continue;
    }
    if (p->id == e.actor && e.type != EventType::kAcknowledge) {
      judge->Deny("approval by " + p->id + " is not valid: they are the actor");
    } else if (p->id == e.actor) {
      *actor_signed = true;
    } else {
      approvals->push_back(std::make_unique<Party>(s, *p));
    }
  }
  return OkStatus();
}

// The request an approval answers, open, unexpired and identical to `e`.
Result<const Request*> AnsweredRequest(const Event& e, const Projection& s) {
  const Request* r = s.request(RecordId('R', static_cast<uint64_t>(e.basis)));
  if (!r) return nullptr;
  if (r->status != "open") return FailedPrecondition("request " + r->id + " is " + r->status);
  if (Micros(e.time) >= Micros(r->expires)) {
    return FailedPrecondition("request " + r->id + " expired at " + r->expires);
  }
  if (r->type != EventTypeName(e.type) || r->actor != e.actor || r->holdings != e.holdings ||
      r->fields != e.fields) {
    return FailedPrecondition("the approval does not match request " + r->id +
                              " (type, actor, holdings and fields must be the same)");
  }
  return r;
}

// ---- Per-type checks. Each returns the verdict or a state error.

Status CheckRegisterFields(const Event& e) {
  static const std::vector<const char*> kDocumentOnly = {
      "classification", "compartments", "originator",   "copy_number",
      "copies_total",   "caveats",      "releasable_to"};
  static const std::vector<const char*> kEvidenceOnly = {
      "case_number",  "item_type",   "identifiers",    "seized_at",
      "seized_place", "disposition", "disposition_due"};
  const std::string kind = e.Field("kind");
  const bool document = kind == "document", evidence = kind == "evidence";
  for (const char* f : kDocumentOnly) {
    if (!document && e.fields.contains(f)) {
      return InvalidArgument(std::string("field '") + f + "' does not apply to " +
                             (evidence ? "an evidence item" : "a container"));
    }
  }
  for (const char* f : kEvidenceOnly) {
    if (!evidence && e.fields.contains(f)) {
      return InvalidArgument(std::string("field '") + f + "' does not apply to " +
                             (document ? "a document" : "a container"));
    }
  }
  if (document) {
    const int64_t copy = Integer(e.fields, "copy_number"),
                  total = Integer(e.fields, "copies_total");
    if (copy > 0 && total > 0 && copy > total) {
      return InvalidArgument("copy " + std::to_string(copy) + " of " + std::to_string(total) +
                             " does not exist");
    }
  }
  if (evidence) {
    for (const char* f : {"case_number", "item_type", "disposition"}) {
      if (!e.fields.contains(f)) {
        return InvalidArgument(std::string("an evidence item needs the field '") + f + "'");
      }
    }
  }
  return OkStatus();
}

Holding RegisteredHolding(const Event& e, const Projection& s, int64_t index) {
  Holding h;
  h.id = e.holdings[0];
  h.kind = e.Field("kind");
  h.title = e.Field("title");
  h.location = e.Field("location");
  if (const Location* l = s.location(h.location)) h.facility = l->facility;
  if (e.fields.contains("classification")) h.classification = e.Field("classification");
  h.compartments = StringList(e.fields, "compartments");
  h.caveats = StringList(e.fields, "caveats");
  h.releasable_to = StringList(e.fields, "releasable_to");
  h.originator = e.Field("originator");
  h.copy_number = Integer(e.fields, "copy_number");
  h.copies_total = Integer(e.fields, "copies_total");
  h.case_number = e.Field("case_number");
  h.item_type = e.Field("item_type");
  if (auto it = e.fields.find("identifiers"); it != e.fields.end()) {
    h.identifiers = it->get<std::map<std::string, std::string>>();
  }
  h.seized_at = e.Field("seized_at");
  h.seized_place = e.Field("seized_place");
  h.disposition = e.Field("disposition");
  h.disposition_due = e.Field("disposition_due");
  h.registered_by = e.actor;
  h.registered_index = index;
  h.last_index = index;
  return h;
}

Status CheckPersonFields(const Event& e) {
  for (const auto& role : StringList(e.fields, "roles")) {
    if (policy::RoleBit(role) == 0) return InvalidArgument("unknown role '" + role + "'");
  }
  if (e.type == EventType::kPersonUpdate && e.fields.size() < 2) {
    return InvalidArgument("person.update changes nothing: name at least one field");
  }
  return OkStatus();
}

// Checks one event whose references are loaded. `approvals` are the second
// persons who signed it.
Result<Verdict> CheckEvent(const Event& e, const Projection& s, const CheckEnv& env,
                           const Person& actor_record, Judge& judge,
                           std::span<const policy::Subject> approvals, bool actor_signed) {
  Party actor(s, actor_record);
  const policy::Subject& me = actor.subject();
  const int64_t now = Micros(e.time);
  bool missing_grants = false;
  auto holding_decision = [&](Action a, const Holding& h, std::string_view beneficiary = {}) {
    const policy::Resource r = ResourceOf(s, h);
    judge.Ask(actor.For(a, r), a, r, beneficiary, approvals);
    missing_grants |= actor.missing_grants();
  };
  auto recipient_decision = [&](const Person& to, const Holding& h) {
    Party party(s, to);
    const policy::Resource r = ResourceOf(s, h);
    judge.Ask(party.For(Action::kHold, r), Action::kHold, r);
    missing_grants |= party.missing_grants();
  };

  switch (e.type) {
    case EventType::kFacilityAdd: {
      if (s.facility(e.Field("facility"))) {
        return AlreadyExists("facility " + e.Field("facility") + " already exists");
      }
      judge.Ask(me, Action::kAdminister, Named(policy::Kind::kFacility, e.Field("facility")), {},
                approvals);
      break;
    }
    case EventType::kFacilityControl: {
      const Facility* f = s.facility(e.Field("facility"));
      if (!f) return NotFound("facility " + e.Field("facility") + " does not exist");
      const bool on = e.fields["heightened"].get<bool>();
      if (f->heightened_control == on) {
        return FailedPrecondition("facility " + f->id + " is already " + (on ? "under" : "out of") +
                                  " heightened control");
      }
      judge.Ask(me, Action::kControl, FacilityResource(s, f->id), {}, approvals);
      break;
    }
    case EventType::kLocationAdd: {
      if (s.location(e.Field("location"))) {
        return AlreadyExists("location " + e.Field("location") + " already exists");
      }
      if (!s.facility(e.Field("facility"))) {
        return NotFound("facility " + e.Field("facility") + " does not exist");
      }
      judge.Ask(me, Action::kAdminister, FacilityResource(s, e.Field("facility")), {}, approvals);
      break;
    }
    case EventType::kPersonAdd:
    case EventType::kPersonUpdate: {
      SR_RETURN_IF_ERROR(CheckPersonFields(e));
      const std::string id = e.Field("person");
      const bool exists = s.person(id) != nullptr;
      if (e.type == EventType::kPersonAdd && exists) {
        return AlreadyExists("person " + id + " already exists");
      }
      if (e.type == EventType::kPersonUpdate && !exists) {
        return NotFound("person " + id + " does not exist");
      }
      if (std::string f = e.Field("facility"); !f.empty() && !s.facility(f)) {
        return NotFound("facility " + f + " does not exist");
      }
      judge.Ask(me, Action::kAdminister, Named(policy::Kind::kPerson, id), {}, approvals);
      break;
    }
    case EventType::kPersonSuspend:
    case EventType::kPersonReinstate:
    case EventType::kPersonDismiss: {
      SR_ASSIGN_OR_RETURN(const Person* p, NeedPerson(s, e.Field("person")));
      if (p->status == "dismissed") return FailedPrecondition(p->id + " is dismissed");
      if (e.type == EventType::kPersonSuspend && p->status == "suspended") {
        return FailedPrecondition(p->id + " is already suspended");
      }
      if (e.type == EventType::kPersonReinstate && p->status == "active") {
        return FailedPrecondition(p->id + " is not suspended");
      }
      judge.Ask(me, Action::kPersonStatus, Named(policy::Kind::kPerson, p->id), {}, approvals);
      break;
    }
    case EventType::kGrantAdd: {
      SR_ASSIGN_OR_RETURN(const Person* p, NeedPerson(s, e.Field("person")));
      if (p->status != "active") {
        return FailedPrecondition(p->id + " is " + p->status + "; grants go to active people");
      }
      const int64_t expires = Micros(e.Field("expires"));
      if (expires <= now) {
        return InvalidArgument("expires " + e.Field("expires") + " is not after " + e.time);
      }
      if (expires > now + 5 * 366LL * 86400 * 1000000) {
        return InvalidArgument("a grant lasts at most five years");
      }
      const std::string scope = e.Field("scope"), target = e.Field("target");
      policy::Resource r;
      if (scope == "holding") {
        SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, target));
        r = ResourceOf(s, *h);
      } else if (scope == "case") {
        r = Named(policy::Kind::kCase, target);
        r.case_number = target;
      } else {
        r = Named(policy::Kind::kCompartment, target);
        r.compartments = {target};
      }
      judge.Ask(me, Action::kGrant, r, p->id, approvals);
      break;
    }
    case EventType::kGrantRevoke: {
      const Grant* g = s.grant(e.Field("grant"));
      if (!g) return NotFound("grant " + e.Field("grant") + " does not exist");
      if (g->status != "live") return FailedPrecondition("grant " + g->id + " is " + g->status);
      judge.Ask(me, Action::kGrant, Named(policy::Kind::kNone, g->target), g->person, approvals);
      break;
    }
    case EventType::kHoldingRegister: {
      SR_RETURN_IF_ERROR(CheckRegisterFields(e));
      const std::string& id = e.holdings[0];
      if (s.holding(id)) return AlreadyExists("holding " + id + " already exists");
      SR_ASSIGN_OR_RETURN(const Location* l, NeedLocation(s, e.Field("location")));
      (void)l;
      Holding h = RegisteredHolding(e, s, static_cast<int64_t>(env.index));
      holding_decision(Action::kRegister, h);
      break;
    }
    case EventType::kCheckOut: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      SR_RETURN_IF_ERROR(InStore(*h, ""));
      SR_ASSIGN_OR_RETURN(const Person* to, NeedPerson(s, e.Field("to")));
      if (Micros(e.Field("due_back")) <= now) {
        return InvalidArgument("due_back " + e.Field("due_back") + " is not after " + e.time);
      }
      holding_decision(Action::kCheckOut, *h, to->id);
      recipient_decision(*to, *h);
      break;
    }
    case EventType::kCheckIn: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      if (h->status != kCheckedOut) {
        return FailedPrecondition("holding " + h->id + " is not checked out");
      }
      if (std::string loc = e.Field("location"); !loc.empty()) {
        SR_RETURN_IF_ERROR(NeedLocation(s, loc, h->facility).status());
      }
      holding_decision(Action::kCheckIn, *h);
      break;
    }
    case EventType::kTransfer: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      if (h->status != kCheckedOut) {
        return FailedPrecondition("holding " + h->id + " is not checked out; issue it instead");
      }
      SR_ASSIGN_OR_RETURN(const Person* to, NeedPerson(s, e.Field("to")));
      if (to->id == h->holder) return FailedPrecondition(to->id + " already holds " + h->id);
      holding_decision(Action::kTransfer, *h, to->id);
      recipient_decision(*to, *h);
      break;
    }
    case EventType::kMove: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      SR_RETURN_IF_ERROR(InStore(*h, ""));
      SR_ASSIGN_OR_RETURN(const Location* l, NeedLocation(s, e.Field("location")));
      if (l->facility != h->facility) {
        return FailedPrecondition("location " + l->id +
                                  " is in another facility; moves between facilities are "
                                  "dispatches");
      }
      if (l->id == h->location) return FailedPrecondition(h->id + " is already at " + l->id);
      holding_decision(Action::kMove, *h);
      break;
    }
    case EventType::kDestroy: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      SR_RETURN_IF_ERROR(InStore(*h, "destruction"));
      if (h->kind == "evidence" && h->disposition != "destroy") {
        return FailedPrecondition("evidence " + h->id + " has disposition '" + h->disposition +
                                  "', not 'destroy'");
      }
      if (!h->contents.empty()) {
        return FailedPrecondition("container " + h->id + " is sealed with contents; unseal it");
      }
      holding_decision(Action::kDestroy, *h);
      break;
    }
    case EventType::kSeal: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      SR_RETURN_IF_ERROR(InStore(*h, ""));
      if (!h->seal.empty())
        return FailedPrecondition(h->id + " is already sealed (" + h->seal + ")");
      const Strings contents = StringList(e.fields, "contents");
      if (!contents.empty() && h->kind != "container") {
        return InvalidArgument(h->id + " is not a container; only containers have contents");
      }
      for (const auto& c : contents) {
        if (c == h->id) return InvalidArgument("a container cannot contain itself");
        SR_ASSIGN_OR_RETURN(const Holding* item, NeedHolding(s, c));
        SR_RETURN_IF_ERROR(InStore(*item, ""));
        if (item->facility != h->facility) {
          return FailedPrecondition(c + " is in facility " + item->facility + ", not " +
                                    h->facility);
        }
        holding_decision(Action::kSeal, *item);
      }
      holding_decision(Action::kSeal, *h);
      break;
    }
    case EventType::kUnseal: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      SR_RETURN_IF_ERROR(InStore(*h, ""));
      if (h->seal.empty()) return FailedPrecondition(h->id + " is not sealed");
      holding_decision(Action::kUnseal, *h);
      break;
    }
    case EventType::kDispatch: {
      const Facility* to = s.facility(e.Field("to_facility"));
      if (!to) return NotFound("facility " + e.Field("to_facility") + " does not exist");
      std::string from;
      for (const auto& id : e.holdings) {
        SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, id));
        SR_RETURN_IF_ERROR(InStore(*h, "dispatch"));
        if (!from.empty() && h->facility != from) {
          return InvalidArgument("a dispatch leaves one facility; " + id + " is in " + h->facility);
        }
        from = h->facility;
        if (from == to->id) return InvalidArgument(id + " is already in facility " + to->id);
        holding_decision(Action::kDispatch, *h);
      }
      break;
    }
    case EventType::kReceive: {
      const Dispatch* d = s.dispatch(e.Field("dispatch"));
      if (!d) return NotFound("dispatch " + e.Field("dispatch") + " does not exist");
      if (d->status != "in_transit")
        return FailedPrecondition("dispatch " + d->id + " was received");
      SR_RETURN_IF_ERROR(NeedLocation(s, e.Field("location"), d->to_facility).status());
      for (const auto& id : e.holdings) {
        if (std::find(d->items.begin(), d->items.end(), id) == d->items.end()) {
          return InvalidArgument(id + " is not on the manifest of " + d->id +
                                 "; register or dispatch it separately");
        }
        SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, id));
        holding_decision(Action::kReceive, *h);
      }
      if (auto it = e.fields.find("seals"); it != e.fields.end()) {
        for (auto seal = it->begin(); seal != it->end(); ++seal) {
          if (std::find(e.holdings.begin(), e.holdings.end(), seal.key()) == e.holdings.end()) {
            return InvalidArgument("seal reported for " + seal.key() + ", which is not received");
          }
        }
      }
      break;
    }
    case EventType::kReproduce:
    case EventType::kDistribute: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      SR_RETURN_IF_ERROR(InStore(*h, ""));
      if (h->kind != "document") return InvalidArgument("only documents are copied");
      if (e.type == EventType::kReproduce) {
        const int64_t n = Integer(e.fields, "copies");
        if (n < 1 || n > 100) return InvalidArgument("copies must be from 1 to 100");
        if (std::string loc = e.Field("location"); !loc.empty()) {
          SR_RETURN_IF_ERROR(NeedLocation(s, loc, h->facility).status());
        }
      } else if (Micros(e.Field("return_by")) <= now) {
        return InvalidArgument("return_by " + e.Field("return_by") + " is not after " + e.time);
      }
      for (const auto& id : NewCopies(e, s)) {
        if (s.holding(id)) return AlreadyExists("holding " + id + " already exists");
      }
      holding_decision(e.type == EventType::kReproduce ? Action::kReproduce : Action::kDistribute,
                       *h);
      break;
    }
    case EventType::kAcknowledge: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      if (h->status != kDistributed)
        return FailedPrecondition(h->id + " is not a distributed copy");
      if (!h->acknowledged_by.empty()) {
        return FailedPrecondition(h->id + " was acknowledged by " + h->acknowledged_by);
      }
      if (actor_record.unit != h->unit) {
        return FailedPrecondition(h->id + " was issued to unit " + h->unit + ", not to " +
                                  actor_record.unit);
      }
      if (!actor_signed && !judge.denied()) {  // (a forged signature is a logged denial)
        return InvalidArgument(
            "an acknowledgement carries the signature of the acknowledging person");
      }
      holding_decision(Action::kHold, *h);
      break;
    }
    case EventType::kRecall: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      if (h->status != kDistributed)
        return FailedPrecondition(h->id + " is not a distributed copy");
      if (std::string loc = e.Field("location"); !loc.empty()) {
        SR_RETURN_IF_ERROR(NeedLocation(s, loc, h->facility).status());
      }
      holding_decision(Action::kRecall, *h);
      break;
    }
    case EventType::kRelease: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      SR_RETURN_IF_ERROR(InStore(*h, "release"));
      if (h->kind != "evidence") return InvalidArgument("only evidence items are released");
      const bool court = e.Field("to") == "court";
      if (court && e.Field("court_order").empty()) {
        return InvalidArgument("a release by court order needs the field 'court_order'");
      }
      if (!court && h->disposition != "return") {
        return FailedPrecondition("evidence " + h->id + " has disposition '" + h->disposition +
                                  "'; release to the owner needs 'return' (or a court order)");
      }
      holding_decision(Action::kRelease, *h);
      break;
    }
    case EventType::kInspect: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
      holding_decision(Action::kInspect, *h);
      break;
    }
    case EventType::kRequestCancel: {
      const Request* r = s.request(e.Field("request"));
      if (!r) return NotFound("request " + e.Field("request") + " does not exist");
      if (r->status != "open") return FailedPrecondition("request " + r->id + " is " + r->status);
      if (r->actor != e.actor && !actor_record.HasRole(kRoleSecurityManager)) {
        judge.Deny(e.actor + " may not cancel request " + r->id +
                   " (only its requester or a security manager)");
      }
      break;
    }
    case EventType::kCorrect: {
      const int64_t corrected = Integer(e.fields, "corrects");
      if (static_cast<uint64_t>(corrected) >= env.index) {
        return InvalidArgument("entry " + std::to_string(corrected) + " does not exist yet");
      }
      judge.Ask(me, Action::kCorrect, Named(policy::Kind::kNone, ""), {}, approvals);
      break;
    }
    case EventType::kAccessRead: {
      const bool log = e.Field("what") == "log";
      if (e.holdings.size() != (log ? 0u : 1u)) {
        return InvalidArgument(log ? "a read of the log names no holding"
                                   : "a read of a holding names one holding");
      }
      if (log) {
        judge.Ask(me, Action::kReadLog, Named(policy::Kind::kNone, ""), {}, approvals);
        break;
      }
      // Records of destroyed and released holdings stay readable.
      const Holding* h = s.holding(e.holdings[0]);
      if (!h) return NotFound("holding " + e.holdings[0] + " does not exist");
      holding_decision(Action::kReadHolding, *h);
      break;
    }
    case EventType::kRequestOpen:
    case EventType::kDenied:
      return Internal("wrappers are checked by Check()");
  }
  if (missing_grants) {
    return Internal(std::string(EventTypeName(e.type)) +
                    ": a need-to-know decision without its grants loaded (LoadReferences)");
  }
  return judge.verdict();
}

Result<Verdict> CheckUnwrapped(const Event& e, const Projection& s, const CheckEnv& env) {
  SR_RETURN_IF_ERROR(ValidateFields(e));
  if (e.type == EventType::kPersonAdd && env.bootstrap) {
    // The founding administrator registers themself; nobody else can act yet.
    if (e.Field("person") != e.actor) {
      return FailedPrecondition(
          "the store has no people yet: the first person added must be the actor themself");
    }
    auto roles = StringList(e.fields, "roles");
    if (std::find(roles.begin(), roles.end(), kRoleAdministrator) == roles.end()) {
      return FailedPrecondition("the first person added must have the role administrator");
    }
    SR_RETURN_IF_ERROR(CheckPersonFields(e));
    return Verdict{
        Verdict::Kind::kAccept, {}, {e.actor + " founds the store as its administrator"}};
  }
  SR_ASSIGN_OR_RETURN(const Person* actor, NeedPerson(s, e.actor));
  if (!e.signatures.empty() && e.type != EventType::kAcknowledge) {
    SR_ASSIGN_OR_RETURN(const Request* r, AnsweredRequest(e, s));
    if (!r) {
      return FailedPrecondition("signatures approve a pending request, and entry " +
                                std::to_string(e.basis) + " is not one");
    }
  }
  if (e.type == EventType::kAcknowledge && !e.signatures.empty()) {
    const Holding* h = s.holding(e.holdings[0]);
    if (h && e.basis != h->last_index) {
      SR_ASSIGN_OR_RETURN(const Request* r, AnsweredRequest(e, s));
      if (!r) {
        return FailedPrecondition("the acknowledgement was signed for entry " +
                                  std::to_string(e.basis) + ", but the latest event of " + h->id +
                                  " is entry " + std::to_string(h->last_index));
      }
    }
  }
  Judge judge(e, env.explain);
  std::vector<std::unique_ptr<Party>> signers;
  bool actor_signed = false;
  SR_RETURN_IF_ERROR(Signers(e, s, env, &judge, &signers, &actor_signed));
  std::vector<policy::Subject> approvals;
  for (const auto& p : signers) approvals.push_back(p->subject());
  return CheckEvent(e, s, env, *actor, judge, approvals, actor_signed);
}

// ---- Apply.

// Changes holding `id` as the event at `idx` does, and adds the event to its chain.
template <typename Change>
void Update(Projection* s, const std::string& id, int64_t idx, Change change) {
  Holding h = *s->holding(id);
  change(h);
  h.last_index = idx;
  s->Put(std::move(h));
  s->AddHoldingEvent(id, static_cast<uint64_t>(idx));
}

void ApplyHolding(const Event& e, int64_t idx, Projection* s) {
  const std::string& id = e.holdings[0];
  Holding h = *s->holding(id);
  h.last_index = idx;
  const std::string at = " (entry " + std::to_string(idx) + ")";
  switch (e.type) {
    case EventType::kCheckOut:
      h.status = kCheckedOut;
      h.holder = e.Field("to");
      h.purpose = e.Field("purpose");
      h.due_back = e.Field("due_back");
      break;
    case EventType::kCheckIn:
      h.status = kInStore;
      h.holder.clear();
      h.purpose.clear();
      h.due_back.clear();
      if (std::string loc = e.Field("location"); !loc.empty()) h.location = loc;
      break;
    case EventType::kTransfer:
      h.holder = e.Field("to");
      break;
    case EventType::kMove:
      h.location = e.Field("location");
      break;
    case EventType::kDestroy:
      h.status = kDestroyed;
      h.destroyed_method = e.Field("method");
      for (const auto& sig : e.signatures) {
        if (sig.person != e.actor) {
          h.destroyed_witness = sig.person;
          break;
        }
      }
      break;
    case EventType::kSeal:
      h.seal = e.Field("seal");
      h.contents = StringList(e.fields, "contents");
      for (const auto& c : h.contents) {
        Update(s, c, idx, [&](Holding& item) { item.container = h.id; });
      }
      break;
    case EventType::kUnseal: {
      const std::string read = e.Field("seal");
      if (read != h.seal) {
        h.flags.push_back("seal read as " + read + " at unsealing, registered as " + h.seal + at);
      }
      if (e.Field("condition") == "broken")
        h.flags.push_back("seal " + h.seal + " found broken" + at);
      for (const auto& c : h.contents) {
        Update(s, c, idx, [](Holding& item) { item.container.clear(); });
      }
      h.seal.clear();
      h.contents.clear();
      break;
    }
    case EventType::kAcknowledge:
      h.acknowledged_by = e.actor;
      h.holder = e.actor;
      break;
    case EventType::kRecall:
      h.status = kInStore;
      h.holder.clear();
      if (std::string loc = e.Field("location"); !loc.empty()) h.location = loc;
      break;
    case EventType::kRelease:
      h.status = kReleased;
      h.released_to = e.Field("recipient");
      h.court_order = e.Field("court_order");
      break;
    case EventType::kInspect:
      if (e.Field("result") == "missing") h.flags.push_back("reported missing at inspection" + at);
      if (e.Field("result") == "seal_broken") {
        h.flags.push_back("seal found broken at inspection" + at);
      }
      break;
    default:
      break;
  }
  s->Put(std::move(h));
  s->AddHoldingEvent(id, static_cast<uint64_t>(idx));
}

void ApplyCopies(const Event& e, int64_t idx, Projection* s) {
  const Holding original = *s->holding(e.holdings[0]);
  Holding root = *s->holding(SeriesRoot(original));
  const Strings ids = NewCopies(e, *s);
  const Strings units = StringList(e.fields, "units");
  int64_t number = std::max(root.copies_total, root.copy_number);
  for (size_t i = 0; i < ids.size(); ++i) {
    Holding c = original;
    c.id = ids[i];
    c.copy_of = root.id;
    c.copy_number = ++number;
    c.copies_total = 0;
    c.status = kInStore;
    c.holder.clear();
    c.flags.clear();
    c.seal.clear();
    c.registered_by = e.actor;
    c.registered_index = idx;
    c.last_index = idx;
    if (e.type == EventType::kReproduce) {
      if (std::string loc = e.Field("location"); !loc.empty()) c.location = loc;
    } else {
      c.status = kDistributed;
      c.unit = units[i];
      c.return_by = e.Field("return_by");
    }
    s->Put(std::move(c));
    s->AddHoldingEvent(ids[i], static_cast<uint64_t>(idx));
  }
  root.copies_total = number;
  root.last_index = idx;
  s->Put(root);
  if (root.id != original.id) {
    Holding o = *s->holding(original.id);
    o.last_index = idx;
    s->Put(std::move(o));
    s->AddHoldingEvent(original.id, static_cast<uint64_t>(idx));
  }
  s->AddHoldingEvent(root.id, static_cast<uint64_t>(idx));
}

void ApplyDispatch(const Event& e, int64_t idx, Projection* s) {
  Dispatch d;
  d.id = RecordId('D', static_cast<uint64_t>(idx));
  d.to_facility = e.Field("to_facility");
  d.courier = e.Field("courier");
  d.items = e.holdings;
  d.dispatched_by = e.actor;
  for (const auto& id : e.holdings) {
    Update(s, id, idx, [&](Holding& h) {
      d.from_facility = h.facility;
      if (!h.seal.empty()) d.seals[id] = h.seal;
      h.status = kInTransit;
      h.dispatch = d.id;
      h.destination = d.to_facility;
    });
  }
  s->Put(std::move(d));
}

void ApplyReceive(const Event& e, int64_t idx, Projection* s) {
  Dispatch d = *s->dispatch(e.Field("dispatch"));
  std::map<std::string, std::string> read;
  if (auto it = e.fields.find("seals"); it != e.fields.end()) {
    read = it->get<std::map<std::string, std::string>>();
  }
  const std::string at = " (entry " + std::to_string(idx) + ")";
  for (const auto& id : d.items) {
    Holding h = *s->holding(id);
    h.last_index = idx;
    const bool received = std::find(e.holdings.begin(), e.holdings.end(), id) != e.holdings.end();
    if (!received) {
      d.discrepancies.push_back(id + " missing from the consignment");
      h.flags.push_back("missing on receipt of " + d.id + at);
    } else {
      h.status = kInStore;
      h.facility = d.to_facility;
      h.location = e.Field("location");
      h.dispatch.clear();
      h.destination.clear();
      auto sent = d.seals.find(id);
      auto got = read.find(id);
      if (sent != d.seals.end() && got == read.end()) {
        d.discrepancies.push_back(id + ": seal " + sent->second + " not reported at receipt");
        h.flags.push_back("seal " + sent->second + " not reported at receipt of " + d.id + at);
      } else if (got != read.end() && (sent == d.seals.end() || got->second != sent->second)) {
        const std::string was = sent == d.seals.end() ? "no seal" : "seal " + sent->second;
        d.discrepancies.push_back(id + ": seal reads " + got->second + ", dispatched with " + was);
        h.flags.push_back("seal reads " + got->second + " at receipt of " + d.id +
                          ", dispatched with " + was + at);
        h.seal = got->second;
      }
    }
    s->Put(std::move(h));
    s->AddHoldingEvent(id, static_cast<uint64_t>(idx));
  }
  d.received_by = e.actor;
  d.status = d.discrepancies.empty() ? "received" : "received_with_discrepancies";
  s->Put(std::move(d));
}

void ApplyPerson(const Event& e, int64_t idx, Projection* s) {
  const std::string id = e.Field("person");
  Person p = s->person(id) ? *s->person(id) : Person{};
  p.last_index = idx;
  auto set_list = [&](const char* f, Strings* v) {
    if (e.fields.contains(f)) *v = StringList(e.fields, f);
  };
  auto set_text = [&](const char* f, std::string* v) {
    if (e.fields.contains(f)) *v = e.Field(f);
  };
  const std::string at = " (entry " + std::to_string(idx) + ")";
  switch (e.type) {
    case EventType::kPersonAdd:
      p.id = id;
      p.added_index = idx;
      set_text("public_key", &p.public_key);
      [[fallthrough]];
    case EventType::kPersonUpdate:
      set_text("name", &p.name);
      set_text("unit", &p.unit);
      set_list("roles", &p.roles);
      set_text("clearance", &p.clearance);
      set_list("compartments", &p.compartments);
      set_list("caveats", &p.caveats);
      set_text("nationality", &p.nationality);
      set_text("facility", &p.facility);
      break;
    case EventType::kPersonReinstate:
      p.status = "active";
      p.status_reason = e.Field("reason");
      break;
    case EventType::kPersonSuspend:
    case EventType::kPersonDismiss: {
      const bool dismiss = e.type == EventType::kPersonDismiss;
      p.status = dismiss ? "dismissed" : "suspended";
      p.status_reason = e.Field("reason");
      for (const auto& hid : Strings(s->held_by(id).begin(), s->held_by(id).end())) {
        Update(s, hid, idx,
               [&](Holding& h) { h.flags.push_back("held by " + id + " when " + p.status + at); });
      }
      if (dismiss) {
        // (Put() takes an ended grant out of grants_of: iterate a copy.)
        for (const auto& gid : Strings(s->grants_of(id).begin(), s->grants_of(id).end())) {
          Grant g = *s->grant(gid);
          g.status = "ended";
          g.ended_by = "dismissal of " + id + at;
          s->Put(std::move(g));
        }
      }
      break;
    }
    default:
      break;
  }
  s->Put(std::move(p));
}

}  // namespace

policy::Subject SubjectOf(const Person& p) {
  policy::Subject subject;
  subject.id = p.id;
  subject.status = p.status == "suspended"   ? policy::Status::kSuspended
                   : p.status == "dismissed" ? policy::Status::kDismissed
                                             : policy::Status::kActive;
  for (const auto& r : p.roles) subject.roles |= policy::RoleBit(r);
  subject.clearance = policy::LevelRank(p.clearance);
  subject.compartments = Sorted(p.compartments);
  subject.caveats = Sorted(p.caveats);
  subject.nationality = p.nationality;
  subject.facility = p.facility;
  return subject;
}

std::string RecordId(char prefix, uint64_t index) {
  return std::string(1, prefix) + "-" + std::to_string(index);
}

Event DeniedEvent(const Event& attempted, const std::vector<std::string>& reasons) {
  Event d = attempted;
  d.type = EventType::kDenied;
  d.fields = {{"attempted", EventTypeName(attempted.type)},
              {"fields", attempted.fields},
              {"reasons", reasons}};
  return d;
}

Event RequestEvent(const Event& attempted, const std::vector<std::string>& needs) {
  Event r = attempted;
  r.type = EventType::kRequestOpen;
  r.fields = {{"type", EventTypeName(attempted.type)},
              {"fields", attempted.fields},
              {"needs", needs},
              {"expires", FormatRfc3339(Micros(attempted.time) + kRequestLifetimeMicros)}};
  r.basis = 0;
  r.signatures.clear();
  return r;
}

Result<Event> Wrapped(const Event& w) {
  if (!w.fields.is_object()) return InvalidArgument("fields must be a JSON object");
  Event e = w;
  const char* type_field = w.type == EventType::kDenied ? "attempted" : "type";
  SR_ASSIGN_OR_RETURN(e.type, ParseEventType(w.Field(type_field)));
  if (e.type == EventType::kDenied || e.type == EventType::kRequestOpen) {
    return InvalidArgument("a wrapper cannot wrap another wrapper");
  }
  auto inner = w.fields.find("fields");
  if (inner == w.fields.end() || !inner->is_object()) {
    return InvalidArgument(std::string(EventTypeName(w.type)) + " has no 'fields' object");
  }
  e.fields = *inner;
  return e;
}

Status LoadReferences(const Event& outer, Projection* s) {
  Event e = outer;
  if (outer.type == EventType::kDenied || outer.type == EventType::kRequestOpen) {
    auto inner = Wrapped(outer);
    if (!inner.ok()) return OkStatus();  // Check() reports it
    e = std::move(inner).value();
  }
  SR_RETURN_IF_ERROR(s->LoadPerson(e.actor));
  // Whose grants a need-to-know decision on the event's holdings reads: the
  // actor's when they take, copy or read the material themselves, the
  // recipient's when it is issued or handed to them (CheckEvent's
  // holding_decision with kHold / kReproduce / kReadHolding, and
  // recipient_decision).
  Strings parties;
  if (e.type == EventType::kReproduce || e.type == EventType::kAcknowledge ||
      e.type == EventType::kAccessRead) {
    parties.push_back(e.actor);
  }
  if (e.type == EventType::kCheckOut || e.type == EventType::kTransfer) {
    if (std::string v = e.Field("to"); ValidId(v)) parties.push_back(v);
  }
  for (const auto& sig : e.signatures) SR_RETURN_IF_ERROR(s->LoadPerson(sig.person));
  if (e.basis > 0)
    SR_RETURN_IF_ERROR(s->LoadRequest(RecordId('R', static_cast<uint64_t>(e.basis))));
  if (!e.fields.is_object()) return OkStatus();
  for (const char* f : {"to", "person"}) {
    if (std::string v = e.Field(f); ValidId(v)) SR_RETURN_IF_ERROR(s->LoadPerson(v));
  }
  if (e.type == EventType::kPersonSuspend || e.type == EventType::kPersonDismiss) {
    if (std::string v = e.Field("person"); ValidId(v)) SR_RETURN_IF_ERROR(s->LoadHeldBy(v));
  }
  if (e.type == EventType::kPersonDismiss) {  // a dismissal ends every grant
    if (std::string v = e.Field("person"); ValidId(v)) SR_RETURN_IF_ERROR(s->LoadGrantsOf(v));
  }
  for (const char* f : {"facility", "to_facility"}) {
    if (std::string v = e.Field(f); ValidId(v)) SR_RETURN_IF_ERROR(s->LoadFacility(v));
  }
  if (std::string v = e.Field("location"); ValidId(v)) {
    SR_RETURN_IF_ERROR(s->LoadLocation(v));
    if (const Location* l = s->location(v)) SR_RETURN_IF_ERROR(s->LoadFacility(l->facility));
  }
  if (std::string v = e.Field("grant"); ValidId(v)) SR_RETURN_IF_ERROR(s->LoadGrant(v));
  if (std::string v = e.Field("request"); ValidId(v)) SR_RETURN_IF_ERROR(s->LoadRequest(v));
  if (std::string v = e.Field("dispatch"); ValidId(v)) {
    SR_RETURN_IF_ERROR(s->LoadDispatch(v));
    if (const Dispatch* d = s->dispatch(v)) {
      for (const auto& item : d->items) SR_RETURN_IF_ERROR(s->LoadHolding(item));
    }
  }
  Strings holdings = e.holdings;
  if (e.type == EventType::kGrantAdd && e.Field("scope") == "holding") {
    holdings.push_back(e.Field("target"));
  }
  if (auto it = e.fields.find("contents"); it != e.fields.end() && it->is_array()) {
    for (const Json& c : *it) {
      if (c.is_string() && ValidId(c.get<std::string>())) holdings.push_back(c.get<std::string>());
    }
  }
  if (const Dispatch* d =
          ValidId(e.Field("dispatch")) ? s->dispatch(e.Field("dispatch")) : nullptr) {
    holdings.insert(holdings.end(), d->items.begin(), d->items.end());
  }
  std::vector<const Holding*> decided;  // the holdings a decision may be about
  for (const auto& h : holdings) {
    if (!ValidId(h)) continue;
    SR_RETURN_IF_ERROR(s->LoadHolding(h));
    const Holding* held = s->holding(h);
    if (!held) continue;
    decided.push_back(held);
    SR_RETURN_IF_ERROR(s->LoadFacility(held->facility));
    SR_RETURN_IF_ERROR(s->LoadLocation(held->location));
    for (const auto& c : held->contents) SR_RETURN_IF_ERROR(s->LoadHolding(c));
    if (!held->copy_of.empty()) SR_RETURN_IF_ERROR(s->LoadHolding(held->copy_of));
  }
  for (const auto& person : parties) {
    for (const Holding* h : decided) SR_RETURN_IF_ERROR(s->LoadGrantsCovering(person, *h));
  }
  if ((e.type == EventType::kReproduce || e.type == EventType::kDistribute) &&
      e.holdings.size() == 1 && e.fields.is_object()) {
    try {
      for (const auto& id : NewCopies(e, *s)) SR_RETURN_IF_ERROR(s->LoadHolding(id));
    } catch (const Json::exception&) {
      // Malformed fields: Check() reports them.
    }
  }
  return OkStatus();
}

Result<Verdict> Check(const Event& e, const Projection& s, const CheckEnv& env) {
  if (e.type != EventType::kDenied && e.type != EventType::kRequestOpen) {
    return CheckUnwrapped(e, s, env);
  }
  // A wrapper is right only if re-deciding what it wraps gives its verdict.
  SR_RETURN_IF_ERROR(ValidateFields(e));
  SR_ASSIGN_OR_RETURN(Event inner, Wrapped(e));
  SR_ASSIGN_OR_RETURN(Verdict v, CheckUnwrapped(inner, s, env));
  const bool denied = e.type == EventType::kDenied;
  const Strings recorded = StringList(e.fields, denied ? "reasons" : "needs");
  const auto want = denied ? Verdict::Kind::kDenied : Verdict::Kind::kNeedsApproval;
  if (v.kind != want || v.reasons != recorded) {
    return FailedPrecondition(std::string("the ") + EventTypeName(e.type) +
                              " entry does not match the decision its event gets");
  }
  if (!denied && e.Field("expires") != FormatRfc3339(Micros(e.time) + kRequestLifetimeMicros)) {
    return FailedPrecondition("a request expires " +
                              std::to_string(kRequestLifetimeMicros / 3600000000) +
                              " hours after it is opened");
  }
  return Verdict{};
}

void Apply(const Event& e, uint64_t index, Projection* s) {
  const auto idx = static_cast<int64_t>(index);
  // An approved request is done.
  if (e.basis > 0 && e.type != EventType::kDenied) {
    if (const Request* r = s->request(RecordId('R', static_cast<uint64_t>(e.basis)))) {
      Request done = *r;
      done.status = "done";
      done.closed_index = idx;
      s->Put(std::move(done));
    }
  }
  switch (e.type) {
    case EventType::kFacilityAdd:
      s->Put(Facility{e.Field("facility"), e.Field("name"), false, 0});
      return;
    case EventType::kFacilityControl: {
      Facility f = *s->facility(e.Field("facility"));
      f.heightened_control = e.fields["heightened"].get<bool>();
      f.control_index = idx;
      s->Put(std::move(f));
      return;
    }
    case EventType::kLocationAdd:
      s->Put(Location{e.Field("location"), e.Field("facility"), e.Field("name"), e.Field("kind")});
      return;
    case EventType::kPersonAdd:
    case EventType::kPersonUpdate:
    case EventType::kPersonSuspend:
    case EventType::kPersonReinstate:
    case EventType::kPersonDismiss:
      ApplyPerson(e, idx, s);
      return;
    case EventType::kGrantAdd: {
      Grant g;
      g.id = RecordId('G', index);
      g.person = e.Field("person");
      g.scope = e.Field("scope");
      g.target = e.Field("target");
      g.expires = e.Field("expires");
      g.grantor = e.actor;
      s->Put(std::move(g));
      return;
    }
    case EventType::kGrantRevoke: {
      Grant g = *s->grant(e.Field("grant"));
      g.status = "revoked";
      g.ended_by = e.Field("reason") + " (entry " + std::to_string(index) + ")";
      s->Put(std::move(g));
      return;
    }
    case EventType::kHoldingRegister:
      s->Put(RegisteredHolding(e, *s, idx));
      s->AddHoldingEvent(e.holdings[0], index);
      return;
    case EventType::kDispatch:
      ApplyDispatch(e, idx, s);
      return;
    case EventType::kReceive:
      ApplyReceive(e, idx, s);
      return;
    case EventType::kReproduce:
    case EventType::kDistribute:
      ApplyCopies(e, idx, s);
      return;
    case EventType::kRequestOpen: {
      Request r;
      r.id = RecordId('R', index);
      r.index = idx;
      r.type = e.Field("type");
      r.actor = e.actor;
      r.holdings = e.holdings;
      r.fields = e.fields.at("fields");
      r.needs = StringList(e.fields, "needs");
      r.expires = e.Field("expires");
      s->Put(std::move(r));
      return;
    }
    case EventType::kRequestCancel: {
      Request r = *s->request(e.Field("request"));
      r.status = "cancelled";
      r.closed_index = idx;
      s->Put(std::move(r));
      return;
    }
    case EventType::kCorrect:
      s->AddCorrection(static_cast<uint64_t>(Integer(e.fields, "corrects")), index,
                       e.Field("reason"));
      return;
    case EventType::kDenied:
      s->AddDenial(index, e.actor, e.Field("attempted"));
      return;
    case EventType::kAccessRead:  // never accepted: the sequencer logs only refused reads
      return;
    default:
      ApplyHolding(e, idx, s);
      return;
  }
}

}  // namespace strongroom
