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
  auto body = ObjectBody(request, {"type", "holdings", "fields", "credential"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  // Enrolment first: what a person.add must carry, and must not.
  const auto type = body->find("type");
  const bool enrols = type != body->end() && type->is_string() &&
                      type->get<std::string>() == EventTypeName(EventType::kPersonAdd);
  if (enrols != body->contains("credential")) {
    return respond(ErrorResponse(400, enrols ? "person.add needs the new person's 'credential'"
                                             : "'credential' applies to person.add only"));
  }
  if (const auto fields = body->find("fields");
      enrols && fields != body->end() && fields->is_object() && fields->contains("public_key")) {
    return respond(ErrorResponse(400, "'public_key' is made from the new person's credential"));
  }
  auto event = EventFromBody(*body, person);
  if (!event.ok()) return respond(ErrorResponse(event.status()));
  Event e = std::move(*event);
  // The person's own key, unsealed at login and held by their session,
  // signs the event as they submit it.
  SessionKey key = SigningKey(request, respond);
  if (!key) return;
  if (!enrols) {
    SignEvent(sequencer_->origin(), *key, random_, &e);
    return Sequence(std::move(e), {}, std::move(respond));
  }
  // The new person's credential: an argon2id hash and a new personal key
  // sealed under it, written with the person.add only if it is accepted.
  auto secret = StringMember(*body, "credential");
  if (!secret.ok()) return respond(ErrorResponse(secret.status()));
  Blocking(respond, [this, e = std::move(e), key, secret = *secret, respond]() mutable {
    auto credential = Enrol(&e, secret, random_);
    if (!credential.ok()) return respond(ErrorResponse(credential.status()));
    SignEvent(sequencer_->origin(), *key, random_, &e);
    Sequence(std::move(e), {std::move(*credential)}, respond);
  });
}

void Service::Sequence(Event e, std::vector<RowWrite> attachments, Respond respond) {
  // A suspension or dismissal ends the person's sessions at once.
  const bool ends_sessions =
      e.type == EventType::kPersonSuspend || e.type == EventType::kPersonDismiss;
  const std::string subject = e.Field("person");
  sequencer_->Submit(
      std::move(e), std::move(attachments),
      [this, ends_sessions, subject, respond = std::move(respond)](Result<Receipt> r) {
        try {
          Answer(std::move(r), ends_sessions, subject, respond);
        } catch (const std::exception& e) {
          AnswerInternalError(respond, "answering an event", e.what());
        }
      });
}

void Service::Answer(Result<Receipt> r, bool ends_sessions, const std::string& subject,
                     const Respond& respond) {
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
  respond(JsonResponse(status, ReceiptJson(*r)));
}

void Service::SignAndSubmit(const std::string& person, const HttpRequest& request, bool approve,
                            const std::string& record, Respond respond) {
  auto body = ObjectBody(request, {"credential"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  auto secret = StringMember(*body, "credential");
  if (!secret.ok()) return respond(ErrorResponse(secret.status()));
  if (auto locked = LockedOut(person, request.peer)) return respond(std::move(*locked));
  WithReader(respond, [this, person, record, approve, secret = *secret, peer = request.peer,
                       respond](DataDir* reader) mutable {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    Store* store = reader->store();
    // The event to sign: the pending request as it was opened, or the
    // acknowledgement of a copy bound to the copy's latest entry.
    auto e = approve ? RequestedEvent(store, record) : Acknowledgement(store, record, person);
    if (!e.ok()) return respond(ErrorResponse(e.status()));
    // The signer's own key, unsealed with their credential for this one
    // signature and then dropped.
    if (Status st = SignAs(store, sequencer_->origin(), person, secret, &*e); !st.ok()) {
      if (st.code() != StatusCode::kUnauthenticated && st.code() != StatusCode::kNotFound) {
        return respond(ErrorResponse(st));
      }
      sessions_->RecordFailure(person, peer);
      metrics_.LoginFailure();
      return respond(ErrorResponse(401, "credential not accepted for " + person));
    }
    Sequence(std::move(*e), {}, std::move(respond));
  });
}

}  // namespace strongroom
