// The shared pipeline of every event kind: validate, load the declared
// references, verify signatures, decide (the kind's check), wrap as denied or
// pending request; and apply.
#include "custody/rules.h"

#include <algorithm>

#include "base/clock.h"
#include "base/encoding.h"
#include "crypto/ed25519.h"
#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

// ---- Approvals and acknowledgements: personal signatures.

// Verifies every signature; the signers other than the actor become
// approvals. A signature that does not verify is a denial, logged.
Status Signers(const Event& e, const Projection& s, const CheckEnv& env, Decision* d,
               bool* actor_signed) {
  *actor_signed = false;
  if (e.signatures.empty()) return OkStatus();
  SR_ASSIGN_OR_RETURN(const std::string message, SignedRequest(env.origin, e));
  for (const Signature& sig : e.signatures) {
    SR_ASSIGN_OR_RETURN(const Person* p, NeedPerson(s, sig.person));
    if (p->public_key.empty()) {
      d->Deny(p->id + " has no personal key and cannot sign");
      continue;
    }
    if (!Ed25519Verify(Base64Decode(p->public_key).value(), message,
                       Base64Decode(sig.signature).value())) {
      // The actor's own (an acknowledgement): not theirs, so not logged as
      // theirs either. A second person's: the attempt is logged.
      if (p->id == e.actor) {
        return Unauthenticated("the signature of " + p->id + " does not verify");
      }
      d->Deny("the signature of " + p->id + " does not verify");
      continue;
    }
    if (p->id == e.actor && e.type != EventType::kAcknowledge) {
      d->Deny("approval by " + p->id + " is not valid: they are the actor");
    } else if (p->id == e.actor) {
      *actor_signed = true;
    } else {
      d->AddApproval(*p);
    }
  }
  return OkStatus();
}

// The request an approval answers, open, unexpired and identical to `e`.
Result<const Request*> AnsweredRequest(const Event& e, const Projection& s) {
  const Request* r = s.request(RecordId('R', static_cast<uint64_t>(e.basis)));
  if (!r) return nullptr;
  if (r->status != RequestStatus::kOpen) {
    return FailedPrecondition("request " + r->id + " is " + Name(r->status));
  }
  if (Micros(e.time) >= Micros(r->expires)) {
    return FailedPrecondition("request " + r->id + " expired at " + r->expires);
  }
  if (r->type != EventTypeName(e.type) || r->actor != e.actor || r->holdings != e.holdings ||
      r->fields != e.fields.ToJson()) {
    return FailedPrecondition("the approval does not match request " + r->id +
                              " (type, actor, holdings and fields must be the same)");
  }
  return r;
}

Result<Verdict> CheckUnwrapped(const Event& e, const Projection& s, const CheckEnv& env) {
  SR_RETURN_IF_ERROR(ValidateFields(e));
  const EventKind& kind = KindOf(e.type);
  if (kind.wrapper) return InvalidArgument("a wrapper cannot wrap another wrapper");
  Decision d(e, s, env);
  if (env.bootstrap && kind.founds) {
    SR_RETURN_IF_ERROR(kind.check(d));
    return d.Finish();
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
  bool actor_signed = false;
  SR_RETURN_IF_ERROR(Signers(e, s, env, &d, &actor_signed));
  d.SetActor(actor, actor_signed);
  SR_RETURN_IF_ERROR(kind.check(d));
  return d.Finish();
}

// Loads the records a field of `kind` names.
Status LoadField(const FieldSpec& f, const Fields& fields, Projection* s, Strings* holdings,
                 Strings* recipients) {
  if (f.ref == Ref::kHoldings) {
    const Strings& ids = fields.List(f.name);
    holdings->insert(holdings->end(), ids.begin(), ids.end());
    return OkStatus();
  }
  const std::string& id = fields.Text(f.name);
  if (f.ref == Ref::kNone || id.empty()) return OkStatus();
  switch (f.ref) {
    case Ref::kNone:
    case Ref::kHoldings:
      return OkStatus();
    case Ref::kRecipient:
      recipients->push_back(id);
      return s->LoadPerson(id);
    case Ref::kPerson:
      return s->LoadPerson(id);
    case Ref::kFacility:
      return s->LoadFacility(id);
    case Ref::kLocation:
      SR_RETURN_IF_ERROR(s->LoadLocation(id));
      if (const Location* l = s->location(id)) return s->LoadFacility(l->facility);
      return OkStatus();
    case Ref::kGrant:
      return s->LoadGrant(id);
    case Ref::kRequest:
      return s->LoadRequest(id);
    case Ref::kDispatch:
      SR_RETURN_IF_ERROR(s->LoadDispatch(id));
      if (const Dispatch* d = s->dispatch(id)) {
        holdings->insert(holdings->end(), d->items.begin(), d->items.end());
      }
      return OkStatus();
  }
  return OkStatus();
}

}  // namespace

policy::Subject SubjectOf(const Person& p) {
  policy::Subject subject;
  subject.id = p.id;
  subject.status = p.status == PersonStatus::kSuspended   ? policy::Status::kSuspended
                   : p.status == PersonStatus::kDismissed ? policy::Status::kDismissed
                                             : policy::Status::kActive;
  for (const auto& r : p.roles) subject.roles |= policy::RoleBit(r);
  subject.clearance = policy::LevelRank(p.clearance);
  subject.compartments = Sorted(p.compartments);
  subject.caveats = Sorted(p.caveats);
  subject.nationality = p.nationality;
  subject.facility = p.facility;
  if (!p.approves_from.empty()) subject.approves_from = Micros(p.approves_from);
  return subject;
}

void ReplayedLog::Next(uint64_t index, EventType type, const TreeBuilder& tree) {
  current_ = index;
  if (KnownKind(type) && KindOf(type).keeps_root) roots_[tree.size()] = tree.Root();
}

Result<Hash> ReplayedLog::RootAt(uint64_t size) {
  auto it = roots_.find(size);
  if (it == roots_.end()) {
    return NotFound("the replay kept no root of the tree of " + std::to_string(size) + " entries");
  }
  return it->second;
}

std::string RecordId(char prefix, uint64_t index) {
  return std::string(1, prefix) + "-" + std::to_string(index);
}

namespace {

// What a wrapper records of a decision's reasons: a text list holds at most
// 64, and a dispatch of 256 holdings can have more (one per holding).
Strings Recorded(const Strings& reasons) {
  if (reasons.size() <= 64) return reasons;
  Strings out(reasons.begin(), reasons.begin() + 63);
  out.push_back("and " + std::to_string(reasons.size() - 63) + " more reasons");
  return out;
}

}  // namespace

Event DeniedEvent(const Event& attempted, const std::vector<std::string>& reasons) {
  Event d = attempted;
  d.type = EventType::kDenied;
  d.fields = Fields(KindOf(EventType::kDenied));
  // Reasons are never empty (a denial has one); if they were, the entry
  // would fail validation when read.
  (void)d.fields.SetValue("attempted", std::string(EventTypeName(attempted.type)));
  (void)d.fields.SetValue("fields", ObjectText{attempted.fields.Canonical()});
  (void)d.fields.SetValue("reasons", Recorded(reasons));
  return d;
}

Event RequestEvent(const Event& attempted, const std::vector<std::string>& needs) {
  Event r = attempted;
  r.type = EventType::kRequestOpen;
  r.fields = Fields(KindOf(EventType::kRequestOpen));
  (void)r.fields.SetValue("type", std::string(EventTypeName(attempted.type)));
  (void)r.fields.SetValue("fields", ObjectText{attempted.fields.Canonical()});
  (void)r.fields.SetValue("needs", Recorded(needs));
  (void)r.fields.SetValue("expires", FormatRfc3339(Micros(attempted.time) + kRequestLifetimeMicros));
  r.basis = 0;
  r.signatures.clear();
  return r;
}

Status LoadReferences(const Event& outer, Projection* s) {
  Event e = outer;
  if (KindOf(outer.type).wrapper) {
    auto inner = Wrapped(outer);
    if (!inner.ok()) return OkStatus();  // Check() reports it
    e = std::move(inner).value();
  }
  SR_RETURN_IF_ERROR(s->LoadPerson(e.actor));
  // Malformed events load nothing more: Check() refuses them first.
  if (!ValidateFields(e).ok()) return OkStatus();
  const EventKind& kind = KindOf(e.type);
  for (const auto& sig : e.signatures) SR_RETURN_IF_ERROR(s->LoadPerson(sig.person));
  if (e.basis > 0) {
    SR_RETURN_IF_ERROR(s->LoadRequest(RecordId('R', static_cast<uint64_t>(e.basis))));
  }
  Strings holdings = e.holdings, recipients;
  for (const FieldSpec& f : kind.fields) {
    SR_RETURN_IF_ERROR(LoadField(f, e.fields, s, &holdings, &recipients));
  }
  for (const auto& id : holdings) SR_RETURN_IF_ERROR(LoadHoldingAndContext(s, id));
  // Need-to-know: the grants of whoever takes or reads the material that
  // cover it (see Decision::AskOnHolding and AskRecipient).
  if (kind.actor_reads) recipients.push_back(e.actor);
  for (const auto& person : recipients) {
    for (const auto& id : holdings) {
      if (const Holding* h = s->holding(id)) SR_RETURN_IF_ERROR(s->LoadGrantsCovering(person, *h));
    }
  }
  if (kind.load) SR_RETURN_IF_ERROR(kind.load(e, s));
  return OkStatus();
}

Result<ActorSignature> ActorSignatureOf(const Event& e, const Projection& s, const CheckEnv& env,
                                        bool with_message) {
  if (e.version < 3) return ActorSignature{};
  if (!e.signatures.empty()) {
    if (e.actor_signature.empty()) return ActorSignature{};  // Check() verifies the signatures
    return Unauthenticated("an event with approval signatures carries no actor signature");
  }
  const std::string what = std::string(EventTypeName(e.type)) + " by " + e.actor;
  if (e.actor_signature.empty()) return Unauthenticated(what + " is not signed by its actor");
  // The event as its actor submitted it.
  Event submitted;
  const Event* as_submitted = &e;
  if (KindOf(e.type).wrapper) {
    auto inner = Wrapped(e);
    if (!inner.ok()) return Unauthenticated(what + ": " + inner.status().message());
    submitted = std::move(inner).value();
    as_submitted = &submitted;
  }
  const bool numbered = KindOf(as_submitted->type).numbered &&
                        as_submitted->holdings.size() == 1 &&
                        as_submitted->holdings[0] == NumberedHoldingId(env.index);
  std::string key;
  const Person* p = s.person(e.actor);
  const bool own_key_event = as_submitted->Field("person") == e.actor &&
                             (as_submitted->type == EventType::kPersonEnrol ||
                              (env.bootstrap && as_submitted->type == EventType::kPersonAdd));
  if (p && !p->public_key.empty()) {
    key = p->public_key;
  } else if (own_key_event) {
    // The founder, and a person enrolling, sign with the key they enrol.
    key = as_submitted->Field("public_key");
  }
  if (key.empty()) {
    return Unauthenticated(what + ": " + e.actor +
                           " has no personal key in the log, and only an enrolled person acts");
  }
  ActorSignature out;
  auto raw_key = Base64Decode(key);
  auto signature = Base64Decode(e.actor_signature);
  if (!raw_key.ok() || raw_key->size() != 32) {
    return Unauthenticated(what + ": the logged key of " + e.actor + " is not an Ed25519 key");
  }
  if (!signature.ok()) return Unauthenticated("the actor signature of " + what + " is not base64");
  out.key = std::move(raw_key).value();
  out.signature = std::move(signature).value();
  if (with_message) {
    Result<std::string> bytes = std::string();
    if (numbered) {
      Event unnumbered = *as_submitted;
      unnumbered.holdings.clear();
      bytes = ActorSignedBytes(env.origin, unnumbered);
    } else {
      bytes = ActorSignedBytes(env.origin, *as_submitted);
    }
    if (!bytes.ok()) return Unauthenticated("the actor signature of " + what + ": " + bytes.status().message());
    out.message = std::move(bytes).value();
  }
  return out;
}

Status CheckActorSignature(const Event& e, const Projection& s, const CheckEnv& env,
                           bool cryptographic) {
  SR_ASSIGN_OR_RETURN(ActorSignature sig, ActorSignatureOf(e, s, env, cryptographic));
  if (sig.key.empty()) return OkStatus();
  const std::string what = std::string(EventTypeName(e.type)) + " by " + e.actor;
  if (!cryptographic) {
    if (e.signer_key != sig.key) {
      return Unauthenticated(what + " is signed with a key that is not the one the log holds for " +
                             e.actor);
    }
    return OkStatus();
  }
  if (!Ed25519Verify(sig.key, sig.message, sig.signature)) {
    return Unauthenticated("the actor signature of " + what + " does not verify");
  }
  return OkStatus();
}

Result<Verdict> Check(const Event& e, const Projection& s, const CheckEnv& env) {
  if (!KindOf(e.type).wrapper) return CheckUnwrapped(e, s, env);
  // A wrapper is right only if re-deciding what it wraps gives its verdict.
  SR_RETURN_IF_ERROR(ValidateFields(e));
  SR_ASSIGN_OR_RETURN(Event inner, Wrapped(e));
  SR_ASSIGN_OR_RETURN(Verdict v, CheckUnwrapped(inner, s, env));
  const bool denied = e.type == EventType::kDenied;
  const Strings recorded = e.fields.List(denied ? "reasons" : "needs");
  const auto want = denied ? Verdict::Kind::kDenied : Verdict::Kind::kNeedsApproval;
  if (v.kind != want || Recorded(v.reasons) != recorded) {
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
      done.status = RequestStatus::kDone;
      done.closed_index = idx;
      const Person* requester = s->person(done.actor);
      for (const Signature& sig : e.signatures) {
        if (sig.person == done.actor) continue;  // the actor's own (an acknowledgement)
        done.approved_by.push_back(sig.person);
        const Person* approver = s->person(sig.person);
        if (!requester || !approver || !done.same_enroller.empty()) continue;
        const bool outside_team = !requester->founding_team && !requester->founding;
        if (outside_team && requester->added_by == approver->id) {
          done.same_enroller = approver->id;  // the enroller approving their own person
        } else if (outside_team && approver->added_by == requester->id && !approver->founding_team) {
          done.same_enroller = requester->id;  // the requester approved by their own person
        } else if (outside_team && !requester->added_by.empty() &&
                   requester->added_by == approver->added_by && !approver->founding_team &&
                   !approver->founding) {
          done.same_enroller = requester->added_by;
        }
      }
      s->Put(std::move(done));
    }
  }
  KindOf(e.type).apply(e, idx, s);
}

}  // namespace strongroom
