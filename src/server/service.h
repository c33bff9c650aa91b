// strongroomd's API: routing, authentication and the answers, over one data
// directory. Custody events go to the sequencer exactly as the CLI's do (one
// decision point: the custody rules and the policy engine); the log is
// served in the C2SP tlog-tiles layout.
//
//   GET  /healthz, /readyz, /metrics (Prometheus text format)
//   GET  /api/v1/openapi.json the OpenAPI 3 document of all of this
//   POST /api/v1/login        {"person","credential"} -> {"person","token","expires"}
//   POST /api/v1/logout       (Authorization: Bearer TOKEN)
//   POST /api/v1/events       {"type","holdings"?,"fields"?} as the logged-in person
//                             (person.add answers with the new person's one-time
//                             "enrolment_code", to be given to them out of band)
//   POST /api/v1/enrol        {"person","code","credential"}: a new person sets
//                             their own credential and key (no session)
//   POST /api/v1/credential   {"credential","new_credential"}: a new credential
//                             and key (person.rekey, signed with the old key);
//                             the person's sessions end
//   POST /api/v1/requests/R-n/approve       {"credential"}: the second person signs
//   POST /api/v1/holdings/H/acknowledge     {"credential"}: a copy's receipt, signed
//   GET  /api/v1/holdings[?status&kind&facility&holder&case&limit]
//                             the holdings the person may read
//   GET  /api/v1/holdings/H[?proofs=true]   a holding and its custody chain
//   GET  /api/v1/requests     open two-person requests the person may read
//   GET  /api/v1/entries/N    one log entry (people who may read the log)
//   GET  /api/v1/proofs/inclusion?index=N[&size=S], /proofs/consistency?from=A[&to=B]
//   POST /api/v1/explain      {"type","holdings"?,"fields"?}: the decision, nothing written
//   GET  /api/v1/inspections[?status&facility], /api/v1/inspections/INSP-n,
//        /api/v1/detections[?status&facility]   (inspectors, security managers)
//   POST /api/v1/detect       {} raises every detection due now; {"as_of"}: what
//                             was due then, from the log alone, nothing written
//   (an inspection.open sent with only its "commitment" gets its population
//   here; a draw sent with only its "reveal" gets its root and sample)
//   A refused read (a holding's record, an entry) is logged as a denied entry.
//   POST /api/v1/cosignatures the checkpoint with witness cosignature lines
//                             (text/plain; the cosignatures authenticate it)
//   GET  /checkpoint          the latest signed checkpoint (anyone), with the
//                             cosignatures witnesses sent for it
//   GET  /tile/<L>/<N>[.p/<W>]         hash tiles (anyone: they reveal no content)
//   GET  /tile/entries/<N>[.p/<W>]     entry bundles (people who may read the log)
//
// Status codes: 400 bad input, 401 not logged in / credential refused, 403
// denied by the policy (the denial is logged), 404, 409 the state forbids
// it, 413 body too large, 429 too many failed logins (Retry-After), 503
// the sequencer's queue is full (Retry-After). Errors are {"error": "..."}.
#ifndef STRONGROOM_SERVER_SERVICE_H_
#define STRONGROOM_SERVER_SERVICE_H_

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "custody/data_dir.h"
#include "custody/queries.h"
#include "custody/sequencer.h"
#include "ledger/note.h"
#include "server/access_log.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/sessions.h"
#include "store/cosigned_checkpoint_store.h"

namespace strongroom {

struct ServiceOptions {
  SessionOptions sessions;
  SequencerOptions sequencer;
  int blocking_threads = 2;    // credential checks and store reads
  FILE* access_log = nullptr;  // one JSON line per request, if set
  // Witnesses whose cosignatures (C2SP tlog-cosignature) the log accepts.
  std::vector<NoteVerifier> witnesses;
  // Where the latest cosigned checkpoint is kept; null: a file beside the
  // store.
  std::shared_ptr<CosignedCheckpointStore> cosigned_checkpoints;
  // The log key's passphrase, when it is sealed (read once, at start).
  PassphraseSource log_passphrase;
  // Refuse to start with a log key that is not sealed (strongroom serve
  // does, unless told --plaintext-log-key).
  bool require_sealed_log_key = false;
};

// Safe for concurrent use. Destroy it before the HttpServer it answers for:
// its destructor commits and answers everything queued.
class Service {
 public:
  // Opens `dir` for writing (taking its lock) and starts the sequencer.
  static Result<std::unique_ptr<Service>> Open(const std::string& dir, ServiceOptions options,
                                               Clock* clock, Random* random);
  ~Service();

  void Handle(HttpRequest request, Respond respond);
  // The start's check of the projection: rows checked, seconds taken.
  std::pair<uint64_t, double> projection_check() const {
    return {projection_rows_, projection_seconds_};
  }

 private:
  Service() = default;
  // The person the request's bearer token belongs to, or answers 401.
  std::optional<std::string> Authenticated(const HttpRequest& request, const Respond& respond);
  // The personal key of the request's session, which signs what the person
  // does; answers 401 if this process does not hold it.
  using SessionKey = std::shared_ptr<const Ed25519PrivateKey>;
  SessionKey SigningKey(const HttpRequest& request, const Respond& respond);
  // 429 if `person` or `peer` has failed too many credential checks lately.
  std::optional<HttpResponse> LockedOut(const std::string& person, const std::string& peer);
  void Login(HttpRequest request, Respond respond);
  void SubmitEvent(const std::string& person, const HttpRequest& request, Respond respond);
  void EnrolPerson(const HttpRequest& request, Respond respond);
  void ChangeCredential(const std::string& person, const HttpRequest& request, Respond respond);
  // One request on its way to its handler: the person is set for routes
  // that need a session.
  struct Call {
    HttpRequest request;
    const Respond& respond;
    std::string person;
    PathParams params;
  };
  using RouteHandler = std::function<void(Service*, Call&)>;
  void AddRoutes();
  // Sequences `e` (with rows written only if it is accepted) and answers
  // with how it was logged.
  // `extra` members are added to the answer unless the event was denied
  // (a new person's enrolment code); `on_refused` runs if it was refused.
  void Sequence(Event e, std::vector<RowWrite> attachments, Respond respond,
                Json extra = Json::object(), std::function<void()> on_refused = nullptr);
  // The answer to a sequenced event (on the sequencer's answering thread).
  void Answer(Result<Receipt> r, bool ends_sessions, const std::string& subject,
              const Json& extra, const Respond& respond);
  // Approves request `record` ("R-n"), or else acknowledges distributed copy
  // `record`, signed with the person's own key (their credential in the body).
  void SignAndSubmit(const std::string& person, const HttpRequest& request, bool approve,
                     const std::string& record, Respond respond);
  void ServeTile(const std::string& path, const HttpRequest& request, Respond respond);
  // Answers `answer` if the custody rules allow `read` (an access.read
  // event); otherwise the refusal is logged (a denied entry, signed with the
  // session's key) and answered 403.
  void AuthorisedRead(Event read, const HttpRequest& request,
                      std::function<HttpResponse(DataDir*)> answer, Respond respond);
  void ShowHolding(const std::string& person, const std::string& id, const HttpRequest& request,
                   Respond respond);
  // Read permission on every record a request names, decided first (on a
  // reader, on the blocking pool): `then` runs when `person` may read each
  // of `named` (a registration's new holding is not judged); otherwise one
  // 404 ("no holding H that you may read"), the same for a holding that
  // does not exist, and a refused read is logged, signed by the asker.
  void WhenReadable(const std::string& person, const NamedHoldings& named,
                    const std::string& token, DataDir* reader, Respond respond,
                    std::function<void()> then);
  // Logs `read` (refused), signed with the session's key, and answers
  // `none` (or, without it, the denial); 401 if this process does not hold
  // the key (a refusal it cannot log is not answered).
  void RefuseRead(Event read, const std::string& token, std::optional<HttpResponse> none,
                  Respond respond);
  // Entries [first, end) (GET /api/v1/entries/N, entry bundles): `answer`
  // for people who may read the log and each holding the entries name;
  // otherwise one 404 ("no <what> that you may read"), the same as for
  // entries that do not exist (a refused holding is logged).
  void ReadEntries(const std::string& person, uint64_t first, uint64_t end,
                   const std::string& what, const HttpRequest& request,
                   std::function<HttpResponse(DataDir*)> answer, Respond respond);
  // GET /api/v1/holdings (filters) or /api/v1/requests: what the person may read.
  void ListRecords(const std::string& person, bool holdings, const HttpRequest& request,
                   Respond respond);
  void Proof(bool inclusion, const HttpRequest& request, Respond respond);
  // GET /api/v1/inspections or /api/v1/detections (?status&facility), and
  // GET /api/v1/inspections/INSP-n: for inspectors and security managers.
  void ListOversight(const std::string& person, bool inspections, const HttpRequest& request,
                     Respond respond);
  void ShowInspection(const std::string& person, const std::string& id, const HttpRequest& request,
                      Respond respond);
  // POST /api/v1/detect: raises every finding due now, as the person; with
  // {"as_of"}: what was due then, from the log alone.
  void Detect(const std::string& person, const HttpRequest& request, Respond respond);
  // Whether the service completes `e` before signing it (an inspection's
  // open without its population, a draw without its sample), and does so
  // on a reader's `store`.
  static bool CompletedHere(const Event& e);
  static Status Complete(Store* store, Event* e);
  void Explain(const std::string& person, const HttpRequest& request, Respond respond);
  // POST /api/v1/cosignatures: a checkpoint of this log with cosignature
  // lines by configured witnesses, kept and served with that checkpoint.
  void AcceptCosignatures(const HttpRequest& request, Respond respond);
  // The latest checkpoint, with the cosignatures it has.
  std::string CosignedCheckpoint();
  // `work` on the blocking pool; if it throws, `respond` answers 500.
  void Blocking(Respond respond, std::function<void()> work);
  // `work` on the blocking pool with a reader of the store (null if none
  // could be opened); if it throws, `respond` answers 500.
  void WithReader(Respond respond, std::function<void(DataDir*)> work);

  // Counts and reports (stderr) a projection row that fails its MAC.
  std::function<void(const std::string&)> ProjectionAlarm();
  uint64_t projection_rows_ = 0;    // checked at start,
  double projection_seconds_ = 0;  // in this long
  // Where the latest cosigned checkpoint is kept, beside the store.
  static constexpr const char* kCosignedFile = "cosigned-checkpoint";
  Router<RouteHandler> routes_;
  std::string dir_;
  Clock* clock_ = nullptr;
  Random* random_ = nullptr;
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<Store> sequencer_reads_;  // the sequencer's own handle for its loads
  std::unique_ptr<Sequencer> sequencer_;
  std::unique_ptr<Sessions> sessions_;
  Metrics metrics_;
  std::unique_ptr<AccessLog> log_;
  size_t ready_queue_limit_ = 0;  // /readyz says 503 from here: half the sequencer's queue
  std::unique_ptr<boost::asio::thread_pool> pool_;
  // Hash tiles served, by path (their bytes never change).
  static constexpr size_t kTileCacheBytes = 64 << 20;
  std::mutex tiles_mu_;
  std::unordered_map<std::string, std::string> tiles_;
  size_t tile_bytes_ = 0;
  std::vector<NoteVerifier> witnesses_;
  std::mutex cosign_mu_;
  Checkpoint cosigned_;                              // the latest cosigned checkpoint
  std::string cosigned_note_;                        // it, signed by the log and the witnesses
  std::shared_ptr<CosignedCheckpointStore> cosigned_store_;  // where it is kept
  std::map<std::string, std::string> cosignatures_;  // its cosignature lines, by witness
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<DataDir>> readers_;  // idle read handles
};

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_SERVICE_H_
