// strongroomd: opening the service, the route table, authentication and the
// exception boundary. The handlers live beside it, one file per resource.
#include "server/service.h"

#include "ledger/proof.h"

#include <boost/asio/post.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <tuple>

#include "base/file.h"
#include "custody/queries.h"
#include "server/openapi.h"
#include "server/requests.h"
#include "server/responses.h"

namespace strongroom {

Result<std::unique_ptr<Service>> Service::Open(const std::string& dir, ServiceOptions options,
                                               Clock* clock, Random* random) {
  std::unique_ptr<Service> s(new Service());
  s->AddRoutes();
  s->dir_ = dir;
  s->clock_ = clock;
  s->random_ = random;
  SR_ASSIGN_OR_RETURN(s->data_, DataDir::Open(dir, DataDir::Mode::kWrite));
  if (options.require_sealed_log_key && s->data_->log_key_kind() == LogKeyKind::kPlaintext) {
    return FailedPrecondition(
        "the log key in " + dir +
        " is neither sealed nor in a token: whoever reads the data directory can sign as the "
        "log. Seal it (strongroom seal-log-key), or accept that for a trial with "
        "--plaintext-log-key");
  }
  // The last cosigned checkpoint (by default in a file beside the store).
  s->cosigned_store_ = options.cosigned_checkpoints
                           ? options.cosigned_checkpoints
                           : std::shared_ptr(CosignedCheckpointFile(dir + "/" + kCosignedFile));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> kept, s->cosigned_store_->Load());
  if (kept) {
    auto note = OpenNote(*kept, s->data_->verifier());
    auto cp = note.ok() ? ParseCheckpointBody(note->text) : Result<Checkpoint>(note.status());
    if (!cp.ok()) {
      return DataLoss(std::string("the cosigned checkpoint kept: ") + cp.status().message());
    }
    // The witnesses saw the log at this size: a store cut back below it, or
    // holding another tree there, is not served (nor rebuilt from).
    SR_ASSIGN_OR_RETURN(uint64_t size, s->data_->store()->LogSize());
    if (size < cp->size) {
      return DataLoss("the log in " + dir + " holds " + std::to_string(size) +
                      " entries, fewer than the " + std::to_string(cp->size) +
                      " its witnesses cosigned: it was cut back, and is not served");
    }
    TileNodeReader tiles(
        [&](int level, uint64_t i, uint64_t) { return s->data_->store()->ReadTile(level, i); });
    auto root = TreeRoot(&tiles, cp->size);
    if (!root.ok() || *root != cp->root) {
      return DataLoss("the log in " + dir + " is not the tree its witnesses cosigned at size " +
                      std::to_string(cp->size) + ", and is not served");
    }
    s->cosigned_ = *cp;
    s->cosigned_note_ = *kept;
    for (const NoteSignature& sig : note->signatures) {
      if (sig.name != s->data_->verifier().name())
        s->cosignatures_[sig.name] = SignatureLineOf(sig);
    }
  }
  SR_ASSIGN_OR_RETURN(NoteSigner signer, s->data_->signer(options.log_passphrase));
  // Every projection row checks out against its MAC, or nothing is served:
  // an edited row would have the service act on a lie.
  const auto started = std::chrono::steady_clock::now();
  auto checked = s->data_->CheckProjection();
  if (!checked.ok()) {
    return checked.status().Annotate("the projection in " + dir +
                                     " does not check out, so it is not served: ");
  }
  s->projection_rows_ = *checked;
  s->projection_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  s->data_->UseProjectionKey(s->data_->projection_key(), s->ProjectionAlarm());
  SR_ASSIGN_OR_RETURN(s->sequencer_reads_, s->data_->OpenReadStore());  // pipelined
  options.sequencer.read_store = s->sequencer_reads_.get();
  SR_ASSIGN_OR_RETURN(s->sequencer_, Sequencer::Start(s->data_->store(), std::move(signer), clock,
                                                      random, options.sequencer));
  s->sessions_ = std::make_unique<Sessions>(clock, random, options.sessions);
  s->pool_ = std::make_unique<boost::asio::thread_pool>(std::max(1, options.blocking_threads));
  s->log_ = std::make_unique<AccessLog>(options.access_log);
  s->ready_queue_limit_ = options.sequencer.max_queue / 2;
  s->witnesses_ = std::move(options.witnesses);
  return s;
}

Service::~Service() {
  if (pool_) pool_->join();
  sequencer_.reset();  // commits and answers everything queued
}

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
      auto opened = DataDir::Open(dir_, DataDir::Mode::kReadCurrent);
      if (!opened.ok()) return work(nullptr);
      reader = std::move(*opened);
      reader->UseProjectionKey(data_->projection_key(), ProjectionAlarm());
    }
    work(reader.get());
    std::lock_guard<std::mutex> lock(readers_mu_);
    readers_.push_back(std::move(reader));
  });
}

std::function<void(const std::string&)> Service::ProjectionAlarm() {
  return [this](const std::string& what) {
    metrics_.ProjectionMacFailure();
    // One JSON line, as the access log's (on the same stream).
    const std::string line = Json{{"alarm", "projection row fails its MAC"}, {"detail", what}}.dump();
    std::fprintf(stderr, "%s\n", line.c_str());
  };
}

// The route table: every endpoint of strongroomd in one place (the header
// of service.h lists them with their bodies and answers).
void Service::AddRoutes() {
  auto add = [&](const char* method, const char* pattern, bool session, Metrics::Route metric,
                 RouteHandler handler) {
    routes_.Add({method, pattern, session, metric, std::move(handler)});
  };
  add("GET", "/healthz", false, Metrics::kHealth, [](Service*, Call& c) {
    c.respond(JsonResponse(200, {{"status", "ok"}}));
  });
  add("GET", "/readyz", false, Metrics::kHealth, [](Service* s, Call& c) {
    const size_t depth = s->sequencer_->queue_depth();
    c.respond(JsonResponse(depth < s->ready_queue_limit_ ? 200 : 503, {{"queue_depth", depth}}));
  });
  add("GET", "/metrics", false, Metrics::kMetrics, [](Service* s, Call& c) {
    Gauges g;
    g.log_size = s->sequencer_->size();
    g.queue_depth = s->sequencer_->queue_depth();
    std::tie(g.batches, g.batched_entries) = s->sequencer_->batches();
    c.respond(HttpResponse{200, "text/plain; version=0.0.4", s->metrics_.Render(g), {}});
  });
  add("GET", "/api/v1/openapi.json", false, Metrics::kOther, [](Service*, Call& c) {
    c.respond(HttpResponse{200, "application/json", std::string(OpenApiDocument()), {}});
  });
  add("POST", "/api/v1/login", false, Metrics::kLogin,
      [](Service* s, Call& c) { s->Login(std::move(c.request), c.respond); });
  add("POST", "/api/v1/logout", false, Metrics::kLogout, [](Service* s, Call& c) {
    if (!s->sessions_->Revoke(BearerToken(c.request))) {
      return c.respond(ErrorResponse(401, "not logged in"));
    }
    c.respond(HttpResponse{204, "application/json", "", {}});
  });
  add("POST", "/api/v1/events", true, Metrics::kEvents,
      [](Service* s, Call& c) { s->SubmitEvent(c.person, c.request, c.respond); });
  add("POST", "/api/v1/enrol", false, Metrics::kLogin,
      [](Service* s, Call& c) { s->EnrolPerson(c.request, c.respond); });
  add("POST", "/api/v1/credential", true, Metrics::kOther,
      [](Service* s, Call& c) { s->ChangeCredential(c.person, c.request, c.respond); });
  add("GET", "/api/v1/holdings", true, Metrics::kOther,
      [](Service* s, Call& c) { s->ListRecords(c.person, true, c.request, c.respond); });
  add("GET", "/api/v1/requests", true, Metrics::kOther,
      [](Service* s, Call& c) { s->ListRecords(c.person, false, c.request, c.respond); });
  add("GET", "/api/v1/holdings/{id}", true, Metrics::kOther,
      [](Service* s, Call& c) { s->ShowHolding(c.person, c.params["id"], c.request, c.respond); });
  add("POST", "/api/v1/holdings/{id}/acknowledge", true, Metrics::kOther, [](Service* s, Call& c) {
    s->SignAndSubmit(c.person, c.request, /*approve=*/false, c.params["id"], c.respond);
  });
  add("POST", "/api/v1/requests/{id}/approve", true, Metrics::kOther, [](Service* s, Call& c) {
    s->SignAndSubmit(c.person, c.request, /*approve=*/true, c.params["id"], c.respond);
  });
  add("GET", "/api/v1/entries/{index...}", true, Metrics::kOther, [](Service* s, Call& c) {
    uint64_t index = 0;
    const std::string& n = c.params["index"];
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), index);
    if (ec != std::errc() || end != n.data() + n.size()) {
      return c.respond(ErrorResponse(400, "an entry index is a whole number, not '" + n + "'"));
    }
    s->ReadEntries(
        c.person, index, index + 1, "entry " + std::to_string(index), c.request,
        [index](DataDir* d) { return JsonOrError(EntryData(d->store(), index)); }, c.respond);
  });
  add("GET", "/api/v1/proofs/inclusion", false, Metrics::kOther,
      [](Service* s, Call& c) { s->Proof(true, c.request, c.respond); });
  add("GET", "/api/v1/proofs/consistency", false, Metrics::kOther,
      [](Service* s, Call& c) { s->Proof(false, c.request, c.respond); });
  add("POST", "/api/v1/explain", true, Metrics::kOther,
      [](Service* s, Call& c) { s->Explain(c.person, c.request, c.respond); });
  add("GET", "/api/v1/inspections", true, Metrics::kOther,
      [](Service* s, Call& c) { s->ListOversight(c.person, true, c.request, c.respond); });
  add("GET", "/api/v1/inspections/{id}", true, Metrics::kOther,
      [](Service* s, Call& c) { s->ShowInspection(c.person, c.params["id"], c.request, c.respond); });
  add("GET", "/api/v1/detections", true, Metrics::kOther,
      [](Service* s, Call& c) { s->ListOversight(c.person, false, c.request, c.respond); });
  add("POST", "/api/v1/detect", true, Metrics::kEvents,
      [](Service* s, Call& c) { s->Detect(c.person, c.request, c.respond); });
  add("POST", "/api/v1/cosignatures", false, Metrics::kOther,
      [](Service* s, Call& c) { s->AcceptCosignatures(c.request, c.respond); });
  add("GET", "/api/v1/cosigned-checkpoint", false, Metrics::kCheckpoint, [](Service* s, Call& c) {
    std::string note;
    {
      std::lock_guard<std::mutex> lock(s->cosign_mu_);
      note = s->cosigned_note_;
    }
    if (note.empty()) return c.respond(ErrorResponse(404, "no checkpoint has been cosigned yet"));
    HttpResponse r{200, "text/plain; charset=utf-8", std::move(note), {}};
    r.headers.emplace_back("Cache-Control", "no-cache");
    c.respond(std::move(r));
  });
  add("GET", "/checkpoint", false, Metrics::kCheckpoint, [](Service* s, Call& c) {
    HttpResponse r{200, "text/plain; charset=utf-8", s->CosignedCheckpoint(), {}};
    r.headers.emplace_back("Cache-Control", "no-cache");
    c.respond(std::move(r));
  });
  add("GET", "/tile/entries/{path...}", false, Metrics::kEntryBundle,
      [](Service* s, Call& c) { s->ServeTile(c.request.path.substr(1), c.request, c.respond); });
  add("GET", "/tile/{path...}", false, Metrics::kTile,
      [](Service* s, Call& c) { s->ServeTile(c.request.path.substr(1), c.request, c.respond); });
}

void Service::Handle(HttpRequest request, Respond answer) {
  auto found = routes_.Find(request.method, request.path);
  Respond respond = [this, metric = found.metric, start = std::chrono::steady_clock::now(),
                     method = request.method, path = request.path, peer = request.peer,
                     answered = std::make_shared<std::atomic<bool>>(false),
                     answer = std::move(answer)](HttpResponse r) {
    if (answered->exchange(true)) return;  // answered already (before an exception)
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics_.Request(metric, r.status, seconds);
    log_->Record(clock_->Now(), peer, method, path, r.status, seconds);
    answer(std::move(r));
  };
  if (!found.route) {
    if (found.allowed.empty()) {
      return respond(
          ErrorResponse(404, "no such endpoint: " + request.method + " " + request.path));
    }
    std::string methods;
    for (const auto& m : found.allowed) methods += (methods.empty() ? "" : ", ") + m;
    HttpResponse r = ErrorResponse(405, request.path + " takes " + methods);
    r.headers.emplace_back("Allow", methods);
    return respond(std::move(r));
  }
  // The one exception boundary of the service: whatever a handler throws
  // (a bug) is a 500, logged; the process lives. Work handed to the
  // blocking pool and the sequencer's answers have their own boundary.
  try {
    Call call{std::move(request), respond, "", std::move(found.params)};
    if (found.route->session) {
      auto person = Authenticated(call.request, respond);
      if (!person) return;
      call.person = std::move(*person);
    }
    found.route->handler(this, call);
  } catch (const std::exception& e) {
    AnswerInternalError(respond, "a handler", e.what());
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

Service::SessionKey Service::SigningKey(const HttpRequest& request, const Respond& respond) {
  SessionKey key = sessions_->SigningKey(BearerToken(request));
  if (!key) {
    respond(ErrorResponse(401,
                          "this session cannot sign here (its key is held by the server that "
                          "logged it in): log in again"));
  }
  return key;
}

std::optional<HttpResponse> Service::LockedOut(const std::string& person, const std::string& peer) {
  const int64_t wait = sessions_->RetryAfter(person, peer);
  if (wait == 0) return std::nullopt;
  HttpResponse r = ErrorResponse(
      429, "too many failed credential checks; try again in " + std::to_string(wait) + " s");
  r.headers.emplace_back("Retry-After", std::to_string(wait));
  return r;
}

}  // namespace strongroom
