// Oversight through strongroomd: inspections and detections listed and
// shown to inspectors and security managers (anyone else's attempt is a
// logged refusal), detect (raise what is due, or what was due at a past
// time), and the inspection events the service completes for a client
// that keeps its reveal: the population of an open, the sample of a draw.
#include <mutex>

#include "base/clock.h"
#include "base/encoding.h"
#include "custody/receipt.h"
#include "custody/signing.h"
#include "oversight/detection.h"
#include "oversight/inspection_client.h"
#include "oversight/views.h"
#include "server/requests.h"
#include "server/responses.h"
#include "server/service.h"
#include "verify/as_of.h"

namespace strongroom {
namespace {

bool OneOf(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (value == a) return true;
  }
  return false;
}

}  // namespace

bool Service::CompletedHere(const Event& e) {
  return (e.type == EventType::kInspectionOpen && !e.fields.contains("population")) ||
         (e.type == EventType::kInspectionDraw && !e.fields.contains("sample_hash"));
}

Status Service::Complete(Store* store, Event* e) {
  // Only for the inspector themself: for anyone else the event goes to the
  // sequencer as sent, which denies it (logged) before it says anything of
  // the scope's population or of the inspection.
  Projection state(store);
  SR_RETURN_IF_ERROR(state.LoadPerson(e->actor));
  const Person* actor = state.person(e->actor);
  if (!actor || !actor->HasRole(kRoleInspector)) return OkStatus();
  if (e->type == EventType::kInspectionOpen) {
    if (!e->fields.contains("commitment")) {
      return InvalidArgument(
          "an inspection.open carries 'commitment': the lowercase hex SHA-256 of 32 random bytes "
          "(the reveal) that the inspector's client keeps until the draw");
    }
    return oversight::CompletePopulation(&state, e);
  }
  auto reveal = Base64Decode(e->Field("reveal"));
  if (!reveal.ok() || reveal->size() != oversight::kRevealSize) {
    return InvalidArgument("an inspection.draw carries 'reveal': the 32 bytes committed to at the "
                           "open, in standard base64");
  }
  auto v = oversight::ReadInspection(&state, e->Field("inspection"));
  if (!v.ok() || v->inspector != e->actor) return OkStatus();
  return oversight::CompleteDrawFrom(store, *reveal, e);
}

void Service::ListOversight(const std::string& person, bool inspections, const HttpRequest& request,
                            Respond respond) {
  auto params = QueryParams(request.query, {"status", "facility"});
  if (!params.ok()) return respond(ErrorResponse(params.status()));
  const std::string status = params->count("status") ? params->at("status") : "";
  const std::string facility = params->count("facility") ? params->at("facility") : "";
  if (!status.empty() &&
      !(inspections ? OneOf(status, {"open", "drawn", "closed", "cancelled"})
                    : OneOf(status, {"raised", "acknowledged", "dismissed", "escalated"}))) {
    return respond(ErrorResponse(400, std::string("query parameter 'status' must be ") +
                                          (inspections ? "open, drawn, closed or cancelled"
                                                       : "raised, acknowledged, dismissed or escalated")));
  }
  AuthorisedRead(
      OversightRead(person), request,
      [inspections, status, facility](DataDir* reader) {
        return JsonOrError(inspections
                               ? oversight::InspectionListData(reader->store(), status, facility)
                               : oversight::DetectionListData(reader->store(), status, facility));
      },
      std::move(respond));
}

void Service::ShowInspection(const std::string& person, const std::string& id,
                             const HttpRequest& request, Respond respond) {
  AuthorisedRead(
      OversightRead(person), request,
      [id, person](DataDir* reader) {
        auto shown = oversight::InspectionData(reader->store(), id);
        if (!shown.ok()) return ErrorResponse(shown.status());
        // While it is being counted, what remains to count is for its own
        // inspector and for security managers from elsewhere: a custodian
        // who also inspects must not learn which items to put back.
        Projection state(reader->store());
        if (Status st = state.LoadPerson(person); !st.ok()) return ErrorResponse(st);
        const Person* p = state.person(person);
        const std::string facility = (*shown)["scope"].value("facility", "");
        const bool counting = (*shown)["status"] == "drawn";
        const bool may_see = p && ((*shown)["inspector"] == person ||
                                   (p->HasRole(kRoleSecurityManager) && p->facility != facility));
        if (counting && !may_see) {
          shown->erase("sample");
          shown->erase("not_yet_recorded");
        }
        return JsonResponse(200, *shown);
      },
      std::move(respond));
}

void Service::Detect(const std::string& person, const HttpRequest& request, Respond respond) {
  auto body = ObjectBody(request, {"as_of"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  std::optional<int64_t> as_of;
  if (body->contains("as_of")) {
    auto text = StringMember(*body, "as_of");
    if (!text.ok()) return respond(ErrorResponse(text.status()));
    auto at = ParseRfc3339(*text);
    if (!at.ok()) return respond(ErrorResponse(400, "'as_of': " + at.status().message()));
    as_of = *at;
  }
  if (as_of) {
    // Computed from the log's entries up to then; nothing is written.
    return AuthorisedRead(
        OversightRead(person), request,
        [this, at = *as_of](DataDir* reader) {
          return JsonOrError(DueAsOf(reader->store(), sequencer_->origin(), at));
        },
        std::move(respond));
  }
  SessionKey key = SigningKey(request, respond);
  if (!key) return;
  // Each finding due and not raised yet, raised by the person, signed with
  // their own key; the rules accept each only while it is true.
  AuthorisedRead(
      OversightRead(person), request, [](DataDir*) { return HttpResponse{}; },
      [this, person, key, respond](HttpResponse allowed) mutable {
        if (allowed.status != 200) return respond(std::move(allowed));
        WithReader(respond, [this, person, key, respond](DataDir* reader) mutable {
          if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
          auto due = oversight::Unraised(reader->store(), clock_->Now());
          if (!due.ok()) return respond(ErrorResponse(due.status()));
          struct Raising {
            std::mutex mu;
            size_t left = 0;
            Json answer = {{"raised", Json::array()}, {"refused", Json::array()}};
            Respond respond;
          };
          auto raising = std::make_shared<Raising>();
          raising->left = due->size();
          raising->respond = std::move(respond);
          if (due->empty()) return raising->respond(JsonResponse(200, raising->answer));
          for (const oversight::Finding& f : *due) {
            Event e = oversight::RaiseEvent(person, f);
            SignEvent(sequencer_->origin(), *key, random_, &e);
            sequencer_->Submit(std::move(e), {}, [this, raising, f](Result<Receipt> r) {
              Json j = oversight::FindingJson(f);
              std::lock_guard<std::mutex> lock(raising->mu);
              if (r.ok() && r->outcome == Outcome::kAccepted) {
                metrics_.Decision(Metrics::kAccepted);
                j["index"] = r->index;
                raising->answer["raised"].push_back(std::move(j));
              } else {
                metrics_.Decision(r.ok() ? Metrics::kDenied : Metrics::kRefused);
                j["error"] = r.ok() ? DeniedSentence(r->reasons, r->index) : r.status().message();
                raising->answer["refused"].push_back(std::move(j));
              }
              if (--raising->left == 0) raising->respond(JsonResponse(200, raising->answer));
            });
          }
        });
      });
}

}  // namespace strongroom
