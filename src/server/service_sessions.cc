// POST /api/v1/login: a person proves who they are with their own credential.
#include "custody/data_dir.h"
#include "custody/projection.h"
#include "server/requests.h"
#include "server/responses.h"
#include "server/service.h"

namespace strongroom {

void Service::Login(HttpRequest request, Respond respond) {
  auto body = ObjectBody(request, {"person", "credential"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  auto person = StringMember(*body, "person");
  auto credential = StringMember(*body, "credential");
  if (!person.ok()) return respond(ErrorResponse(person.status()));
  if (!credential.ok()) return respond(ErrorResponse(credential.status()));
  if (!ValidId(*person)) return respond(ErrorResponse(400, "invalid person identifier"));
  if (auto locked = LockedOut(*person, request.peer)) return respond(std::move(*locked));
  // argon2id takes tens of milliseconds: off the network threads.
  WithReader(respond, [this, person = *person, secret = *credential, peer = request.peer,
                       respond](DataDir* reader) {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    auto c = UnlockPerson(reader->store(), person, secret);
    if (!c.ok()) {
      if (c.status().code() == StatusCode::kInternal ||
          c.status().code() == StatusCode::kDataLoss) {
        return respond(ErrorResponse(c.status()));
      }
      sessions_->RecordFailure(person, peer);
      metrics_.LoginFailure();
      // The same words whether the person exists or not.
      return respond(ErrorResponse(401, "person or credential not accepted"));
    }
    // Only active people log in (their credential was right: they may
    // know why not).
    Projection state(reader->store());
    if (Status st = state.LoadPerson(person); !st.ok()) return respond(ErrorResponse(st));
    if (const Person* p = state.person(person); p && p->status != PersonStatus::kActive) {
      return respond(ErrorResponse(403, person + " is " + Name(p->status) + ": no login"));
    }
    auto s = sessions_->Create(person, std::move(c).value());
    if (!s.ok()) return respond(ErrorResponse(503, "the session cannot be kept: " + s.status().message()));
    respond(JsonResponse(200, {{"person", person}, {"token", s->token}, {"expires", s->expires}}));
  });
}

}  // namespace strongroom
