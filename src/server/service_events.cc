// Custody events: POST /api/v1/events, approvals of two-person requests and
// acknowledgements of copies, each signed by the person's own key.
#include <boost/asio/post.hpp>
#include <cstdio>

#include "auth/credentials.h"
#include "custody/receipt.h"
#include "custody/rules.h"
#include "custody/signing.h"
#include "server/requests.h"
#include "server/responses.h"
#include "server/service.h"

namespace strongroom {

void Service::SubmitEvent(const std::string& person, const HttpRequest& request, Respond respond) {
  auto body = ObjectBody(request, {"type", "holdings", "fields", "credential", "new_enrolment_code"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  // Nobody chooses another person's credential or key: a new person
  // enrols their own (POST /api/v1/enrol) with the code this answers with.
  if (body->contains("credential")) {
    return respond(ErrorResponse(
        400, "nobody sets another person's credential: person.add answers with an enrolment "
             "code for the new person, who sets their own (POST /api/v1/enrol)"));
  }
  if (const auto fields = body->find("fields");
      fields != body->end() && fields->is_object() &&
      (fields->contains("public_key") || fields->contains("enrolment"))) {
    return respond(ErrorResponse(400, "'public_key' and 'enrolment' are made by the server"));
  }
  auto event = EventFromBody(*body, person);
  if (!event.ok()) return respond(ErrorResponse(event.status()));
  Event e = std::move(*event);
  if (e.type == EventType::kPersonEnrol || e.type == EventType::kPersonRekey) {
    return respond(ErrorResponse(400, std::string(EventTypeName(e.type)) +
                                          " goes through POST /api/v1/" +
                                          (e.type == EventType::kPersonEnrol ? "enrol" : "credential")));
  }
  // The person's own key, unsealed at login and held by their session,
  // signs the event as they submit it.
  SessionKey key = SigningKey(request, respond);
  if (!key) return;
  // A new code for a person who did not enrol in time: made here, like
  // person.add's, and shown once in the answer.
  const auto fresh_code = body->find("new_enrolment_code");
  const bool new_code = fresh_code != body->end() && *fresh_code == true;
  if (fresh_code != body->end() && (!fresh_code->is_boolean() || e.type != EventType::kPersonUpdate)) {
    return respond(ErrorResponse(
        400, "'new_enrolment_code' is true or false, and only for a person.update"));
  }
  Json extra = Json::object();
  if (e.type == EventType::kPersonAdd || new_code) {
    extra["enrolment_code"] = IssueEnrolmentCode(&e, random_);
    extra["enrolment_expires_in_hours"] = kEnrolmentLifetimeMicros / 3600000000;
  }
  if (CompletedHere(e)) {
    // An inspection's population or sample, computed on a reader; the
    // sequencer checks them again against its own state and log.
    return WithReader(respond, [this, key, e = std::move(e), respond](DataDir* reader) mutable {
      if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
      if (Status st = Complete(reader->store(), &e); !st.ok()) return respond(ErrorResponse(st));
      SignEvent(sequencer_->origin(), *key, random_, &e);
      Sequence(std::move(e), {}, std::move(respond));
    });
  }
  SignEvent(sequencer_->origin(), *key, random_, &e);
  // Nothing is said of a holding the person may not read, not even why they
  // may not act on it: that is decided first.
  NamedHoldings named = EventNames(e);
  if (named.holdings.empty() || (named.holdings.size() == 1 && !named.registers.empty())) {
    return Sequence(std::move(e), {}, std::move(respond), std::move(extra));
  }
  WithReader(respond, [this, person, named = std::move(named), token = BearerToken(request),
                       e = std::move(e), extra = std::move(extra),
                       respond](DataDir* reader) mutable {
    WhenReadable(person, named, token, reader, respond, [&] {
      Sequence(std::move(e), {}, std::move(respond), std::move(extra));
    });
  });
}

void Service::EnrolPerson(const HttpRequest& request, Respond respond) {
  auto body = ObjectBody(request, {"person", "code", "credential"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  auto person = StringMember(*body, "person");
  auto code = StringMember(*body, "code");
  auto secret = StringMember(*body, "credential");
  for (const auto* member : {&person, &code, &secret}) {
    if (!member->ok()) return respond(ErrorResponse(member->status()));
  }
  if (!ValidId(*person)) return respond(ErrorResponse(400, "invalid person identifier"));
  if (!ValidId(*code)) return respond(ErrorResponse(400, "an enrolment code is 32 hex digits"));
  if (auto locked = LockedOut(*person, request.peer)) return respond(std::move(*locked));
  // Nobody logged in asks: every refusal gets the same words, whether the
  // person exists, is enrolled, suspended, or their code expired (as login).
  respond = [respond = std::move(respond)](HttpResponse r) {
    if (r.status >= 400 && r.status < 500 && r.status != 429) {
      r = ErrorResponse(401, "person or enrolment code not accepted");
    }
    respond(std::move(r));
  };
  // argon2id and a new key: off the network threads.
  Blocking(respond, [this, person = *person, code = *code, secret = *secret,
                     peer = request.peer, respond]() mutable {
    Event e;
    e.type = EventType::kPersonEnrol;
    e.actor = person;
    if (Status st = SetFields(&e, {{"person", person}, {"code", code}}); !st.ok()) {
      return respond(ErrorResponse(st));
    }
    Ed25519PrivateKey key;
    auto credential = Enrol(&e, secret, random_, &key);
    if (!credential.ok()) return respond(ErrorResponse(credential.status()));
    // Signed with the key it enrols: from here on, only they have it.
    SignEvent(sequencer_->origin(), key, random_, &e);
    // A wrong or expired code counts as a failed credential check.
    Sequence(std::move(e), {std::move(*credential)}, respond, Json::object(),
             [this, person, peer] {
               sessions_->RecordFailure(person, peer);
               metrics_.LoginFailure();
             });
  });
}

void Service::ChangeCredential(const std::string& person, const HttpRequest& request,
                               Respond respond) {
  auto body = ObjectBody(request, {"credential", "new_credential"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  auto secret = StringMember(*body, "credential");
  auto new_secret = StringMember(*body, "new_credential");
  if (!secret.ok()) return respond(ErrorResponse(secret.status()));
  if (!new_secret.ok()) return respond(ErrorResponse(new_secret.status()));
  if (auto locked = LockedOut(person, request.peer)) return respond(std::move(*locked));
  WithReader(respond, [this, person, secret = *secret, new_secret = *new_secret,
                       peer = request.peer, respond](DataDir* reader) mutable {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    // The current credential, again (a session alone does not change it),
    // opens the key the new one replaces, which signs the change.
    auto old_key = UnlockPerson(reader->store(), person, secret);
    if (!old_key.ok()) {
      if (old_key.status().code() != StatusCode::kUnauthenticated &&
          old_key.status().code() != StatusCode::kNotFound) {
        return respond(ErrorResponse(old_key.status()));
      }
      sessions_->RecordFailure(person, peer);
      metrics_.LoginFailure();
      return respond(ErrorResponse(401, "credential not accepted for " + person));
    }
    Event e;
    e.type = EventType::kPersonRekey;
    e.actor = person;
    if (Status st = SetFields(&e, {{"person", person}}); !st.ok()) return respond(ErrorResponse(st));
    auto credential = Enrol(&e, new_secret, random_);
    if (!credential.ok()) return respond(ErrorResponse(credential.status()));
    SignEvent(sequencer_->origin(), *old_key, random_, &e);
    Sequence(std::move(e), {std::move(*credential)}, respond);
  });
}

void Service::Sequence(Event e, std::vector<RowWrite> attachments, Respond respond, Json extra,
                       std::function<void()> on_refused) {
  // A suspension or dismissal ends the person's sessions at once; so does a
  // new key (the sessions hold the old one).
  const bool ends_sessions = e.type == EventType::kPersonSuspend ||
                             e.type == EventType::kPersonDismiss ||
                             e.type == EventType::kPersonRekey;
  const std::string subject = e.Field("person");
  sequencer_->Submit(
      std::move(e), std::move(attachments),
      [this, ends_sessions, subject, extra = std::move(extra), on_refused = std::move(on_refused),
       respond = std::move(respond)](Result<Receipt> r) {
        try {
          if (on_refused && (!r.ok() || r->outcome == Outcome::kDenied)) on_refused();
          Answer(std::move(r), ends_sessions, subject, extra, respond);
        } catch (const std::exception& e) {
          AnswerInternalError(respond, "answering an event", e.what());
        }
      });
}

void Service::Answer(Result<Receipt> r, bool ends_sessions, const std::string& subject,
                     const Json& extra, const Respond& respond) {
  if (!r.ok()) {
    metrics_.Decision(Metrics::kRefused);
    return respond(ErrorResponse(r.status()));
  }
  metrics_.Decision(r->outcome == Outcome::kAccepted  ? Metrics::kAccepted
                    : r->outcome == Outcome::kPending ? Metrics::kPending
                                                      : Metrics::kDenied);
  if (r->outcome == Outcome::kAccepted && ends_sessions) {
    // Logged and committed already: say so, but loudly if their sessions
    // could not be ended.
    if (Status st = sessions_->RevokeAll(subject); !st.ok()) {
      std::fprintf(stderr, "strongroomd: the sessions of %s were not ended: %s\n",
                   subject.c_str(), st.message().c_str());
    }
  }
  const int status = r->outcome == Outcome::kAccepted  ? 200
                     : r->outcome == Outcome::kPending ? 202
                                                       : 403;
  Json answer = ReceiptJson(*r);
  if (r->outcome != Outcome::kDenied) answer.update(extra);
  respond(JsonResponse(status, answer));
}

void Service::SignAndSubmit(const std::string& person, const HttpRequest& request, bool approve,
                            const std::string& record, Respond respond) {
  auto body = ObjectBody(request, {"credential"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  auto secret = StringMember(*body, "credential");
  if (!secret.ok()) return respond(ErrorResponse(secret.status()));
  if (auto locked = LockedOut(person, request.peer)) return respond(std::move(*locked));
  WithReader(respond, [this, person, record, approve, secret = *secret, peer = request.peer,
                       token = BearerToken(request), respond](DataDir* reader) mutable {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    Store* store = reader->store();
    // The signer's own key, unsealed with their credential for this one
    // signature and then dropped — first, so that a wrong credential gets
    // the same answer whether or not the record exists.
    auto key = UnlockPerson(store, person, secret);
    if (!key.ok()) {
      if (key.status().code() != StatusCode::kUnauthenticated &&
          key.status().code() != StatusCode::kNotFound) {
        return respond(ErrorResponse(key.status()));
      }
      sessions_->RecordFailure(person, peer);
      metrics_.LoginFailure();
      return respond(ErrorResponse(401, "credential not accepted for " + person));
    }
    // The event to sign: the pending request as it was opened, or the
    // acknowledgement of a copy bound to the copy's latest entry.
    auto e = approve ? RequestedEvent(store, record) : Acknowledgement(store, record, person);
    // A request that does not exist and one naming a holding the person may
    // not read get the same answer.
    const HttpResponse none = ErrorResponse(
        404, std::string(approve ? "no request " : "no holding ") + record + " that you may read");
    if (!e.ok() && e.status().code() == StatusCode::kNotFound) return respond(none);
    if (!e.ok()) return respond(ErrorResponse(e.status()));
    SignAsWith(sequencer_->origin(), person, *key, &*e);
    NamedHoldings named = EventNames(*e);
    WhenReadable(person, named, token, reader, respond, [&] {
      if (approve && named.holdings.empty()) {
        auto sees = SeesUnnamedRequests(reader->store(), person);
        if (!sees.ok()) return respond(ErrorResponse(sees.status()));
        if (!*sees) return respond(none);
      }
      Sequence(std::move(*e), {}, std::move(respond));
    });
  });
}

}  // namespace strongroom
