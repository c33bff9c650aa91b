#include "verify/public_rules.h"

#include <algorithm>
#include <cstdlib>

#include "base/clock.h"
#include "base/encoding.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

// The raw bytes of a checked base64 field ("" if it is absent).
std::string Raw(const std::string& base64) {
  auto raw = Base64Decode(base64);
  return raw.ok() ? std::move(raw).value() : std::string();
}

}  // namespace

const PublicRules::Person* PublicRules::person(const std::string& id) const {
  auto it = people_.find(id);
  return it == people_.end() ? nullptr : &it->second;
}

void PublicRules::Check(uint64_t index, const Event& e, std::vector<std::string>* problems,
                        std::vector<ActorSignature>* signatures) const {
  if (e.version < 3) return;  // schema 2: no personal signatures
  const std::string what = std::string(EventTypeName(e.type)) + " by " + e.actor;
  if (!e.signatures.empty()) {
    // A denied completion may be denied for a signature that does not
    // verify, which only its sealed reasons say: not checked here.
    if (e.type == EventType::kDenied) return;
    return CheckCompletion(e, problems, signatures);
  }
  Event submitted = e;
  if (KindOf(e.type).wrapper) {
    auto inner = Wrapped(e);
    if (!inner.ok()) return problems->push_back(inner.status().message());
    submitted = std::move(inner).value();
  } else {
    CheckPeople(e, problems);
  }
  if (KindOf(submitted.type).numbered && submitted.holdings.size() == 1 &&
      submitted.holdings[0] == NumberedHoldingId(index)) {
    submitted.holdings.clear();
  }
  std::string key;
  const Person* actor = person(e.actor);
  const bool own = submitted.Field("person") == e.actor;
  if (actor && !actor->key.empty()) {
    key = actor->key;
  } else if (own && ((submitted.type == EventType::kPersonEnrol && actor) ||
                     (submitted.type == EventType::kPersonAdd && people_.empty()))) {
    key = Raw(submitted.Field("public_key"));  // the key being enrolled signs its enrolment
  }
  if (key.empty()) {
    return problems->push_back(what + ": " + e.actor + " has no personal key in the log");
  }
  auto bytes = ActorSignedBytes(origin_, submitted);
  if (!bytes.ok()) return problems->push_back(bytes.status().message());
  signatures->push_back({key, *bytes, Raw(e.actor_signature)});
}

void PublicRules::CheckPeople(const Event& e, std::vector<std::string>* problems) const {
  const std::string& id = e.Field("person");
  const Person* p = person(id);
  const int64_t time = Micros(e.time);
  auto problem = [&](const std::string& why) {
    problems->push_back(std::string(EventTypeName(e.type)) + " by " + e.actor + ": " + why);
  };
  switch (e.type) {
    case EventType::kPersonAdd:
      if (p) problem(id + " is in the log already");
      if (people_.empty() && (id != e.actor || e.Field("public_key").empty())) {
        problem("the first person.add adds the founder, the actor, with their key");
      }
      if (!people_.empty() && !e.Field("public_key").empty()) {
        problem("only the founder's person.add carries a key (everyone else enrols theirs)");
      }
      break;
    case EventType::kPersonUpdate:
      if (!p) problem(id + " is not in the log");
      if (p && !e.Field("enrolment").empty() && !p->key.empty()) {
        problem("a new enrolment code for " + id + ", who is enrolled");
      }
      break;
    case EventType::kPersonEnrol:
      if (id != e.actor) return problem("a person enrols only themself");
      if (!p) return problem(id + " is not in the log");
      if (!p->key.empty()) problem(id + " is enrolled already");
      if (p->suspended || p->dismissed) problem(id + " is not active");
      if (p->enrolment.empty() || EnrolmentCommitment(e.Field("code")) != p->enrolment) {
        problem("not the enrolment code committed to for " + id);
      } else if (time >= p->enrolment_expires) {
        problem("the enrolment code of " + id + " had expired");
      }
      break;
    case EventType::kPersonRekey:
      if (id != e.actor) return problem("a person replaces only their own key");
      if (!p || p->key.empty()) return problem(id + " has no key to replace");
      if (p->dismissed) problem(id + " is dismissed");
      if (Raw(e.Field("public_key")) == p->key) problem("the new key is the old one");
      break;
    case EventType::kPersonSuspend:
    case EventType::kPersonReinstate:
    case EventType::kPersonDismiss:
      if (!p) problem(id + " is not in the log");
      break;
    default:
      break;
  }
}

void PublicRules::CheckCompletion(const Event& e, std::vector<std::string>* problems,
                                  std::vector<ActorSignature>* signatures) const {
  const std::string what = std::string(EventTypeName(e.type)) + " by " + e.actor;
  const std::string request = "R-" + std::to_string(e.basis);
  const bool acknowledgement = e.type == EventType::kAcknowledge;
  if (!acknowledgement) {
    auto it = open_requests_.find(e.basis);
    if (it == open_requests_.end()) {
      problems->push_back(what + " answers no open request " + request);
    } else {
      const Request& r = it->second;
      auto fields = e.SealedFields();
      const bool same_fields = r.clear || (fields.ok() && *fields == r.fields);
      if (r.type != e.type || r.actor != e.actor || r.holdings != e.holdings || !same_fields) {
        problems->push_back(what + " is not request " + request + " as it was made");
      }
      if (Micros(e.time) >= r.expires) problems->push_back(what + ": request " + request + " had expired");
    }
    CheckPeople(e, problems);
  }
  auto message = SignedRequest(origin_, e);
  if (!message.ok()) return problems->push_back(message.status().message());
  std::vector<std::string> seen;
  for (const Signature& sig : e.signatures) {
    const Person* p = person(sig.person);
    if (!p || p->key.empty()) {
      problems->push_back(what + ": " + sig.person + " signs and has no key in the log");
      continue;
    }
    if (std::find(seen.begin(), seen.end(), sig.person) != seen.end()) {
      problems->push_back(what + ": " + sig.person + " signs twice");
    }
    seen.push_back(sig.person);
    if (acknowledgement != (sig.person == e.actor)) {
      problems->push_back(what + ": " + sig.person +
                          (acknowledgement ? " signs another's acknowledgement"
                                           : " approves their own request"));
    }
    if (!acknowledgement && (p->suspended || p->dismissed)) {
      problems->push_back(what + ": " + sig.person + " approves and is not active");
    }
    signatures->push_back({p->key, *message, Raw(sig.signature)});
  }
}

void PublicRules::Apply(uint64_t index, const Event& e) {
  const int64_t time = Micros(e.time);
  if (e.type == EventType::kRequestOpen) {
    auto inner = Wrapped(e);
    if (!inner.ok()) return;
    auto fields = inner->SealedFields();
    open_requests_[static_cast<int64_t>(index)] =
        Request{inner->type, inner->actor, inner->holdings, fields.ok() ? *fields : std::string(),
                Micros(e.Field("expires")), e.version < kSealedEntrySchema};
    return;
  }
  if (KindOf(e.type).wrapper) return;  // a denial changes nothing
  if (e.basis > 0 && e.type != EventType::kAcknowledge) open_requests_.erase(e.basis);
  // Requests past their time answer nothing more: forgotten (a long log's
  // expired ones would pile up), a few at a time, oldest first.
  for (int n = 0; n < 4 && !open_requests_.empty() &&
                  open_requests_.begin()->second.expires <= time;
       ++n) {
    open_requests_.erase(open_requests_.begin());
  }
  if (e.type == EventType::kRequestCancel) {
    const std::string& id = e.Field("request");
    if (id.size() > 2 && id.starts_with("R-")) {
      open_requests_.erase(std::strtoll(id.c_str() + 2, nullptr, 10));
    }
  }
  const std::string& id = e.Field("person");
  switch (e.type) {
    case EventType::kPersonAdd: {
      Person& p = people_[id];
      p.key = Raw(e.Field("public_key"));
      p.enrolment = e.Field("enrolment");
      p.enrolment_expires = time + kEnrolmentLifetimeMicros;
      break;
    }
    case EventType::kPersonUpdate:
      if (!e.Field("enrolment").empty()) {
        people_[id].enrolment = e.Field("enrolment");
        people_[id].enrolment_expires = time + kEnrolmentLifetimeMicros;
      }
      break;
    case EventType::kPersonEnrol:
    case EventType::kPersonRekey:
      people_[e.actor].key = Raw(e.Field("public_key"));
      people_[e.actor].enrolment.clear();
      break;
    case EventType::kPersonSuspend: people_[id].suspended = true; break;
    case EventType::kPersonReinstate: people_[id].suspended = false; break;
    case EventType::kPersonDismiss: people_[id].dismissed = true; break;
    default: break;
  }
}

}  // namespace strongroom
