#include "server/service.h"

#include <boost/asio/post.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "base/encoding.h"
#include "base/file.h"
#include "custody/model.h"
#include "custody/projection.h"
#include "custody/queries.h"
#include "custody/rules.h"
#include "custody/signing.h"
#include "ledger/cosignature.h"
#include "ledger/tiles.h"
#include "policy/policy.h"
#include "server/openapi.h"
#include "server/requests.h"

namespace strongroom {
namespace {

constexpr const char* kCosignedFile = "cosigned-checkpoint";
constexpr uint64_t kCosignatureClockSkew = 300;  // seconds a witness's clock may run ahead

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

HttpResponse ErrorResponse(int status, const std::string& message) {
  return JsonResponse(status, Json{{"error", message}});
}

HttpResponse ErrorResponse(const Status& st) {
  HttpResponse r = ErrorResponse(HttpStatusFor(st.code()), st.message());
  if (st.code() == StatusCode::kUnavailable) r.headers.emplace_back("Retry-After", "1");
  return r;
}

HttpResponse JsonOrError(const Result<Json>& r) {
  return r.ok() ? JsonResponse(200, *r) : ErrorResponse(r.status());
}

Json ReceiptJson(const Receipt& r) {
  Json out = {{"index", r.index},
              {"tree_size", r.tree_size},
              {"entry", Json::parse(r.entry)},
              {"checkpoint", r.checkpoint}};
  if (!r.holding.empty()) out["holding"] = r.holding;
  return out;
}

}  // namespace

Result<std::unique_ptr<Service>> Service::Open(const std::string& dir, ServiceOptions options,
                                               Clock* clock, Random* random) {
  std::unique_ptr<Service> s(new Service());
  s->dir_ = dir;
  s->clock_ = clock;
  s->random_ = random;
  SR_ASSIGN_OR_RETURN(s->data_, DataDir::Open(dir, DataDir::Mode::kWrite));
  SR_ASSIGN_OR_RETURN(NoteSigner signer, s->data_->signer());
  SR_ASSIGN_OR_RETURN(s->sequencer_, Sequencer::Start(s->data_->store(), std::move(signer), clock,
                                                      random, options.sequencer));
  s->sessions_ = std::make_unique<Sessions>(clock, random, options.sessions);
  s->pool_ = std::make_unique<boost::asio::thread_pool>(std::max(1, options.blocking_threads));
  s->log_ = std::make_unique<AccessLog>(options.access_log);
  s->ready_queue_limit_ = options.sequencer.max_queue / 2;
  s->witnesses_ = std::move(options.witnesses);
  // The last cosigned checkpoint, kept beside the store.
  if (PathExists(dir + "/" + kCosignedFile)) {
    SR_ASSIGN_OR_RETURN(std::string kept, ReadFile(dir + "/" + kCosignedFile));
    auto note = OpenNote(kept, s->data_->verifier());
    auto cp = note.ok() ? ParseCheckpointBody(note->text) : Result<Checkpoint>(note.status());
    if (!cp.ok()) return DataLoss(kCosignedFile + std::string(": ") + cp.status().message());
    s->cosigned_ = *cp;
    s->cosigned_note_ = kept;
    for (const NoteSignature& sig : note->signatures) {
      if (sig.name != s->data_->verifier().name())
        s->cosignatures_[sig.name] = SignatureLineOf(sig);
    }
  }
  return s;
}

Service::~Service() {
  if (pool_) pool_->join();
  sequencer_.reset();  // commits and answers everything queued
}

namespace {

// Whoever is answered through a Respond made by Service::Handle is answered
// once: a second answer (after an exception, say) is dropped.
void AnswerInternalError(const Respond& respond, const char* where, const char* what) {
  std::fprintf(stderr, "strongroomd: internal error in %s: %s\n", where, what);
  respond(ErrorResponse(500, "internal error (logged by the service)"));
}

}  // namespace

void Service::Blocking(Respond respond, std::function<void()> work) {
  boost::asio::post(*pool_, [respond = std::move(respond), work = std::move(work)] {
    try {
      work();
    } catch (const std::exception& e) {
      AnswerInternalError(respond, "a blocking task", e.what());
    }
  });
}

void Service::WithReader(Respond respond, std::function<void(DataDir*)> work) {
  Blocking(std::move(respond), [this, work = std::move(work)] {
    std::unique_ptr<DataDir> reader;
    {
      std::lock_guard<std::mutex> lock(readers_mu_);
      if (!readers_.empty()) {
        reader = std::move(readers_.back());
        readers_.pop_back();
      }
    }
    if (!reader) {
      auto opened = DataDir::Open(dir_, DataDir::Mode::kRead);
      if (!opened.ok()) return work(nullptr);
      reader = std::move(*opened);
    }
    work(reader.get());
    std::lock_guard<std::mutex> lock(readers_mu_);
    readers_.push_back(std::move(reader));
  });
}

void Service::Handle(HttpRequest request, Respond answer) {
  const std::string& path = request.path;
  const Metrics::Route route = path == "/api/v1/login"    ? Metrics::kLogin
                               : path == "/api/v1/logout" ? Metrics::kLogout
                               : path == "/api/v1/events" ? Metrics::kEvents
                               : path == "/checkpoint" || path == "/api/v1/cosigned-checkpoint"
                                   ? Metrics::kCheckpoint
                               : path.rfind("/tile/entries/", 0) == 0    ? Metrics::kEntryBundle
                               : path.rfind("/tile/", 0) == 0            ? Metrics::kTile
                               : path == "/healthz" || path == "/readyz" ? Metrics::kHealth
                               : path == "/metrics"                      ? Metrics::kMetrics
                                                                         : Metrics::kOther;
  Respond respond = [this, route, start = std::chrono::steady_clock::now(), method = request.method,
                     path = request.path, peer = request.peer,
                     answered = std::make_shared<std::atomic<bool>>(false),
                     answer = std::move(answer)](HttpResponse r) {
    if (answered->exchange(true)) return;  // answered already (before an exception)
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics_.Request(route, r.status, seconds);
    log_->Record(clock_->Now(), peer, method, path, r.status, seconds);
    answer(std::move(r));
  };
  // The one exception boundary of the service: whatever a handler throws
  // (a bug) is a 500, logged; the process lives. Work handed to the
  // blocking pool and the sequencer's answers have their own boundary.
  try {
    Route(std::move(request), respond);
  } catch (const std::exception& e) {
    AnswerInternalError(respond, "a handler", e.what());
  }
}

void Service::Route(HttpRequest request, const Respond& respond) {
  const std::string& path = request.path;
  const bool get = request.method == "GET", post = request.method == "POST";
  auto only = [&](bool ok, const char* method) {
    if (!ok) respond(ErrorResponse(405, path + " takes " + method));
    return ok;
  };
  if (path == "/healthz") {
    if (only(get, "GET")) respond(JsonResponse(200, {{"status", "ok"}}));
  } else if (path == "/readyz") {
    if (!only(get, "GET")) return;
    const size_t depth = sequencer_->queue_depth();
    respond(JsonResponse(depth < ready_queue_limit_ ? 200 : 503, {{"queue_depth", depth}}));
  } else if (path == "/metrics") {
    if (!only(get, "GET")) return;
    Gauges g;
    g.log_size = sequencer_->size();
    g.queue_depth = sequencer_->queue_depth();
    std::tie(g.batches, g.batched_entries) = sequencer_->batches();
    respond(HttpResponse{200, "text/plain; version=0.0.4", metrics_.Render(g), {}});
  } else if (path == "/api/v1/openapi.json") {
    if (only(get, "GET"))
      respond(HttpResponse{200, "application/json", std::string(OpenApiDocument()), {}});
  } else if (path == "/api/v1/login") {
    if (only(post, "POST")) Login(std::move(request), std::move(respond));
  } else if (path == "/api/v1/logout") {
    if (!only(post, "POST")) return;
    if (!sessions_->Revoke(BearerToken(request))) {
      return respond(ErrorResponse(401, "not logged in"));
    }
    respond(HttpResponse{204, "application/json", "", {}});
  } else if (path == "/api/v1/events") {
    if (!only(post, "POST")) return;
    if (auto person = Authenticated(request, respond)) {
      SubmitEvent(*person, request, std::move(respond));
    }
  } else if (path == "/api/v1/holdings" || path == "/api/v1/requests") {
    if (!only(get, "GET")) return;
    if (auto person = Authenticated(request, respond)) {
      ListRecords(*person, path == "/api/v1/holdings", request, std::move(respond));
    }
  } else if (path.rfind("/api/v1/requests/", 0) == 0 || path.rfind("/api/v1/holdings/", 0) == 0) {
    // GET /api/v1/holdings/H, POST /api/v1/requests/R-n/approve,
    // POST /api/v1/holdings/H/acknowledge
    const bool requests = path.rfind("/api/v1/requests/", 0) == 0;
    const std::string rest = path.substr(std::string_view("/api/v1/holdings/").size());
    const size_t slash = rest.find('/');
    const std::string id = rest.substr(0, slash);
    const std::string verb = slash == std::string::npos ? "" : rest.substr(slash);
    if (!ValidId(id)) return respond(ErrorResponse(404, "no such record: " + path));
    if (!requests && verb.empty()) {
      if (!only(get, "GET")) return;
      if (auto person = Authenticated(request, respond)) {
        ShowHolding(*person, id, request, std::move(respond));
      }
    } else if (verb == (requests ? "/approve" : "/acknowledge")) {
      if (!only(post, "POST")) return;
      if (auto person = Authenticated(request, respond)) {
        SignAndSubmit(*person, request, requests, id, std::move(respond));
      }
    } else {
      respond(ErrorResponse(404, "no such endpoint: " + request.method + " " + path));
    }
  } else if (path.rfind("/api/v1/entries/", 0) == 0) {
    if (!only(get, "GET")) return;
    uint64_t index = 0;
    const std::string n = path.substr(16);
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), index);
    if (n.empty() || ec != std::errc() || end != n.data() + n.size()) {
      return respond(ErrorResponse(400, "an entry index is a whole number, not '" + n + "'"));
    }
    if (auto person = Authenticated(request, respond)) {
      AuthorisedRead(
          ReadEvent(*person, ""),
          [index](DataDir* d) { return JsonOrError(EntryData(d->store(), index)); },
          std::move(respond));
    }
  } else if (path == "/api/v1/proofs/inclusion" || path == "/api/v1/proofs/consistency") {
    if (only(get, "GET")) Proof(path == "/api/v1/proofs/inclusion", request, std::move(respond));
  } else if (path == "/api/v1/explain") {
    if (!only(post, "POST")) return;
    if (auto person = Authenticated(request, respond))
      Explain(*person, request, std::move(respond));
  } else if (path == "/api/v1/cosignatures") {
    if (only(post, "POST")) AcceptCosignatures(request, std::move(respond));
  } else if (path == "/api/v1/cosigned-checkpoint") {
    if (!only(get, "GET")) return;
    std::string note;
    {
      std::lock_guard<std::mutex> lock(cosign_mu_);
      note = cosigned_note_;
    }
    if (note.empty()) return respond(ErrorResponse(404, "no checkpoint has been cosigned yet"));
    HttpResponse r{200, "text/plain; charset=utf-8", std::move(note), {}};
    r.headers.emplace_back("Cache-Control", "no-cache");
    respond(std::move(r));
  } else if (path == "/checkpoint") {
    if (!only(get, "GET")) return;
    HttpResponse r{200, "text/plain; charset=utf-8", CosignedCheckpoint(), {}};
    r.headers.emplace_back("Cache-Control", "no-cache");
    respond(std::move(r));
  } else if (path.rfind("/tile/", 0) == 0) {
    if (only(get, "GET")) ServeTile(path.substr(1), request, std::move(respond));
  } else {
    respond(ErrorResponse(404, "no such endpoint: " + request.method + " " + path));
  }
}

std::optional<std::string> Service::Authenticated(const HttpRequest& request,
                                                  const Respond& respond) {
  const std::string token = BearerToken(request);
  if (token.empty()) {
    respond(ErrorResponse(401,
                          "log in first: POST /api/v1/login, then send "
                          "'Authorization: Bearer TOKEN'"));
    return std::nullopt;
  }
  auto person = sessions_->Person(token);
  if (!person) respond(ErrorResponse(401, "the session token is not valid (expired or ended)"));
  return person;
}

std::optional<HttpResponse> Service::LockedOut(const std::string& person, const std::string& peer) {
  const int64_t wait = sessions_->RetryAfter(person, peer);
  if (wait == 0) return std::nullopt;
  HttpResponse r = ErrorResponse(
      429, "too many failed credential checks; try again in " + std::to_string(wait) + " s");
  r.headers.emplace_back("Retry-After", std::to_string(wait));
  return r;
}

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
    auto c = AuthenticatePerson(reader->store(), person, secret);
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
    Sessions::Issued s = sessions_->Create(person);
    respond(JsonResponse(200, {{"person", person}, {"token", s.token}, {"expires", s.expires}}));
  });
}

void Service::SubmitEvent(const std::string& person, const HttpRequest& request, Respond respond) {
  auto body = ObjectBody(request, {"type", "holdings", "fields", "credential"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  auto event = EventFromBody(*body, person);
  if (!event.ok()) return respond(ErrorResponse(event.status()));
  Event e = std::move(*event);
  const bool enrols = e.type == EventType::kPersonAdd;
  if (enrols != body->contains("credential")) {
    return respond(ErrorResponse(400, enrols ? "person.add needs the new person's 'credential'"
                                             : "'credential' applies to person.add only"));
  }
  if (!enrols) return Sequence(std::move(e), {}, std::move(respond));
  // The new person's credential: an argon2id hash and a new personal key
  // sealed under it, written with the person.add only if it is accepted.
  auto secret = StringMember(*body, "credential");
  if (!secret.ok()) return respond(ErrorResponse(secret.status()));
  if (e.fields.contains("public_key")) {
    return respond(ErrorResponse(400, "'public_key' is made by the server from the credential"));
  }
  auto who = e.fields.find("person");
  if (who == e.fields.end() || !who->is_string() || !ValidId(who->get<std::string>())) {
    return respond(ErrorResponse(400, "person.add needs the field 'person' (an identifier)"));
  }
  Blocking(respond, [this, e = std::move(e), secret = *secret, respond]() mutable {
    auto c = NewCredential(e.Field("person"), secret, random_);
    if (!c.ok()) return respond(ErrorResponse(c.status()));
    e.fields["public_key"] = c->public_key;
    Sequence(std::move(e), {{kCredentialsTable, ToRow(*c)}}, respond);
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
  Json out = ReceiptJson(*r);
  switch (r->outcome) {
    case Outcome::kAccepted:
      if (ends_sessions) sessions_->RevokeAll(subject);
      out["outcome"] = "accepted";
      return respond(JsonResponse(200, out));
    case Outcome::kPending:
      out["outcome"] = "pending";
      out["request"] = RecordId('R', r->index);
      out["needs"] = r->reasons;
      return respond(JsonResponse(202, out));
    case Outcome::kDenied:
      out["outcome"] = "denied";
      out["reasons"] = r->reasons;
      out["error"] = "denied (logged as entry " + std::to_string(r->index) + ")";
      return respond(JsonResponse(403, out));
  }
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

void Service::AuthorisedRead(Event read, std::function<HttpResponse(DataDir*)> answer,
                             Respond respond) {
  WithReader(respond, [this, read = std::move(read), answer = std::move(answer),
                       respond](DataDir* reader) mutable {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    auto verdict = DecideRead(reader->store(), sequencer_->origin(), &read, clock_->Now());
    if (!verdict.ok()) return respond(ErrorResponse(verdict.status()));
    if (verdict->kind == Verdict::Kind::kDenied) {
      // The refusal is itself a record: the sequencer decides it again and
      // logs it as a denied entry (with its own time).
      return Sequence(std::move(read), {}, std::move(respond));
    }
    respond(answer(reader));
  });
}

void Service::ShowHolding(const std::string& person, const std::string& id,
                          const HttpRequest& request, Respond respond) {
  auto params = QueryParams(request.query, {"proofs"});
  if (!params.ok()) return respond(ErrorResponse(params.status()));
  const std::string proofs = params->count("proofs") ? params->at("proofs") : "false";
  if (proofs != "true" && proofs != "false") {
    return respond(ErrorResponse(400, "query parameter 'proofs' must be true or false"));
  }
  AuthorisedRead(
      ReadEvent(person, id),
      [id, with_proofs = proofs == "true"](DataDir* d) {
        return JsonOrError(HoldingChainData(d->store(), d->verifier(), id, with_proofs));
      },
      std::move(respond));
}

void Service::ListRecords(const std::string& person, bool holdings, const HttpRequest& request,
                          Respond respond) {
  auto params = holdings ? QueryParams(request.query,
                                       {"status", "kind", "facility", "holder", "case", "limit"})
                         : QueryParams(request.query, {});
  if (!params.ok()) return respond(ErrorResponse(params.status()));
  auto limit = CountParam(*params, "limit");
  if (!limit.ok()) return respond(ErrorResponse(limit.status()));
  WithReader(respond, [this, person, holdings, params = std::move(*params),
                       limit = limit->value_or(0), respond](DataDir* reader) {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    // Only what the person may read is listed; nothing here is an attempt
    // on a named record, so nothing is logged.
    Status failed;
    auto may_read = [&](const std::string& id) {
      Event read = ReadEvent(person, id);
      auto v = DecideRead(reader->store(), sequencer_->origin(), &read, clock_->Now());
      if (!v.ok() && failed.ok()) failed = v.status();
      return v.ok() && v->kind == Verdict::Kind::kAccept;
    };
    Result<Json> list = Json();
    if (holdings) {
      auto get = [&](const char* key) {
        auto it = params.find(key);
        return it == params.end() ? std::string() : it->second;
      };
      HoldingFilter f{get("status"), get("kind"), get("facility"),
                      get("holder"), get("case"), limit};
      list = HoldingListData(reader->store(), f,
                             [&](const Json& h) { return may_read(h.value("id", "")); });
    } else {
      list = OpenRequestsData(reader->store(), [&](const Json& r) {
        for (const Json& h : r.value("holdings", Json::array())) {
          if (!h.is_string() || !may_read(h.get<std::string>())) return false;
        }
        return true;
      });
    }
    if (!failed.ok() && failed.code() != StatusCode::kNotFound) {
      return respond(ErrorResponse(failed));
    }
    respond(JsonOrError(list));
  });
}

void Service::Proof(bool inclusion, const HttpRequest& request, Respond respond) {
  auto params = inclusion ? QueryParams(request.query, {"index", "size"})
                          : QueryParams(request.query, {"from", "to"});
  if (!params.ok()) return respond(ErrorResponse(params.status()));
  auto first = CountParam(*params, inclusion ? "index" : "from");
  auto size = CountParam(*params, inclusion ? "size" : "to");
  if (!first.ok()) return respond(ErrorResponse(first.status()));
  if (!size.ok()) return respond(ErrorResponse(size.status()));
  if (!*first) {
    return respond(ErrorResponse(
        400, std::string("query parameter '") + (inclusion ? "index" : "from") + "' is required"));
  }
  // Proofs are hashes: like hash tiles, anyone may have them.
  WithReader(respond, [this, inclusion, first = *first, size = *size, respond](DataDir* reader) {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    const std::string checkpoint = sequencer_->checkpoint();
    auto proof = ProofData(reader->store(), reader->verifier(), inclusion ? first : std::nullopt,
                           inclusion ? std::nullopt : first, size, &checkpoint);
    respond(JsonOrError(proof));
  });
}

void Service::Explain(const std::string& person, const HttpRequest& request, Respond respond) {
  auto body = ObjectBody(request, {"type", "holdings", "fields"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  auto event = EventFromBody(*body, person);
  if (!event.ok()) return respond(ErrorResponse(event.status()));
  WithReader(respond, [this, e = std::move(*event), respond](DataDir* reader) mutable {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    auto d = DecisionData(reader->store(), sequencer_->origin(), std::move(e), clock_->Now());
    respond(JsonOrError(d));
  });
}

std::string Service::CosignedCheckpoint() {
  std::string note = sequencer_->checkpoint();
  std::lock_guard<std::mutex> lock(cosign_mu_);
  if (cosignatures_.empty()) return note;
  // Only the latest checkpoint's cosignatures belong on it.
  const size_t first = note.find('\n') + 1;
  const std::string size = note.substr(first, note.find('\n', first) - first);
  if (size != std::to_string(cosigned_.size)) return note;
  for (const auto& [name, line] : cosignatures_) note += line;
  return note;
}

void Service::AcceptCosignatures(const HttpRequest& request, Respond respond) {
  if (witnesses_.empty()) {
    return respond(ErrorResponse(403, "this log accepts no witnesses (serve --witness VKEY)"));
  }
  auto note = OpenNote(request.body, data_->verifier());
  if (!note.ok()) {
    return respond(
        ErrorResponse(400, "not a checkpoint signed by this log: " + note.status().message()));
  }
  auto cp = ParseCheckpointBody(note->text);
  if (!cp.ok()) return respond(ErrorResponse(400, cp.status().message()));
  const int64_t now = clock_->Now() / 1'000'000;
  std::map<std::string, std::string> lines;
  for (const NoteVerifier& w : witnesses_) {
    auto stamp = VerifyCosignature(*note, w);
    if (stamp.status().code() == StatusCode::kNotFound) continue;
    if (!stamp.ok()) return respond(ErrorResponse(400, stamp.status().message()));
    if (*stamp > static_cast<uint64_t>(now) + kCosignatureClockSkew) {
      return respond(ErrorResponse(400, "the cosignature of " + w.name() + " is from the future"));
    }
    for (const NoteSignature& sig : note->signatures) {
      if (sig.name == w.name() && sig.key_id == w.key_id()) lines[w.name()] = SignatureLineOf(sig);
    }
  }
  if (lines.empty()) {
    return respond(ErrorResponse(403, "no cosignature by a witness this log accepts"));
  }
  std::lock_guard<std::mutex> lock(cosign_mu_);
  if (cp->size < cosigned_.size) {
    return respond(ErrorResponse(409, "a later checkpoint (size " + std::to_string(cosigned_.size) +
                                          ") is cosigned already"));
  }
  if (cp->size > cosigned_.size) cosignatures_.clear();
  cosigned_ = *cp;
  for (auto& [name, line] : lines) cosignatures_[name] = std::move(line);
  // Kept beside the store (a restart serves them again): the checkpoint,
  // the log's signature and every cosignature it has.
  std::string kept = note->text + "\n";
  for (const NoteSignature& sig : note->signatures) {
    if (sig.name == data_->verifier().name() && sig.key_id == data_->verifier().key_id()) {
      kept += SignatureLineOf(sig);
      break;
    }
  }
  Json names = Json::array();
  for (const auto& [name, line] : cosignatures_) {
    kept += line;
    names.push_back(name);
  }
  if (Status st = WriteFileAtomic(dir_ + "/" + kCosignedFile, kept); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  cosigned_note_ = std::move(kept);
  respond(JsonResponse(200, {{"tree_size", cp->size}, {"cosigned_by", names}}));
}

void Service::ServeTile(const std::string& path, const HttpRequest& request, Respond respond) {
  auto parsed = ParseTilePath(path);
  if (!parsed.ok()) return respond(ErrorResponse(400, parsed.status().message()));
  const TileId id = *parsed;
  const uint64_t size = sequencer_->size();
  const bool entries = id.level == TileId::kEntriesLevel;
  const uint64_t available = entries ? size : size >> (kTileHeight * id.level);
  if (id.index * kTileWidth + id.width > available) {
    return respond(ErrorResponse(
        404, "tile " + path + " is beyond the tree (size " + std::to_string(size) + ")"));
  }
  auto tile_response = [entries](std::string body) {
    HttpResponse r{200, "application/octet-stream", std::move(body), {}};
    r.headers.emplace_back("Cache-Control", std::string(entries ? "private" : "public") +
                                                ", max-age=31536000, immutable");
    return r;
  };
  if (entries) {
    // Entry bundles reveal every entry in them: only for people the policy
    // lets read the log (a refusal is logged).
    auto person = Authenticated(request, respond);
    if (!person) return;
    return AuthorisedRead(
        ReadEvent(*person, ""),
        [id, tile_response](DataDir* d) -> HttpResponse {
          auto bytes = ReadTileBytes(d->store(), id);
          return bytes.ok() ? tile_response(std::move(*bytes)) : ErrorResponse(bytes.status());
        },
        std::move(respond));
  }
  // A hash tile's bytes never change once it exists (a partial tile of
  // width W included): answer from memory when we can, on this thread.
  std::optional<std::string> cached;
  {
    std::lock_guard<std::mutex> lock(tiles_mu_);
    if (auto it = tiles_.find(path); it != tiles_.end()) cached = it->second;
  }
  if (cached) return respond(tile_response(std::move(*cached)));
  WithReader(respond, [this, id, path, tile_response, respond](DataDir* reader) {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    auto bytes = ReadTileBytes(reader->store(), id);
    if (!bytes.ok()) return respond(ErrorResponse(bytes.status()));
    std::string body = std::move(*bytes);
    {
      std::lock_guard<std::mutex> lock(tiles_mu_);
      if (tile_bytes_ + body.size() > kTileCacheBytes) {  // crude, and enough: start again
        tiles_.clear();
        tile_bytes_ = 0;
      }
      tile_bytes_ += body.size();
      tiles_.emplace(path, body);
    }
    respond(tile_response(std::move(body)));
  });
}

}  // namespace strongroom
