#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <optional>

#include "auth/credentials.h"
#include "base/encoding.h"
#include "base/file.h"
#include "cli/secrets.h"
#include "custody/data_dir.h"
#include "custody/demo.h"
#include "custody/model.h"
#include "custody/rules.h"
#include "custody/sequencer.h"
#include "ledger/proof.h"
#include "verify/audit.h"
#include "verify/publish.h"

namespace strongroom {
namespace {

// What a command prints: `data` with --json, `text` otherwise.
struct Output {
  Json data = Json::object();
  std::string text;
};
using Handler = std::function<Result<Output>()>;

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    size_t comma = s.find(',', start);
    std::string item =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Result<std::unique_ptr<DataDir>> OpenForRead(const std::string& dir) {
  return DataDir::Open(dir, DataDir::Mode::kRead);
}

// How a custody command authenticates and completes its event.
struct Authority {
  std::string who;  // the person who authenticates: the actor, or the approver
  SecretSource secret;
  bool explain = false;  // only decide and explain; write nothing
  // Completes the event once `who` is authenticated (signs it, enrols a
  // credential); may add rows to write with the event.
  std::function<Status(Store*, const std::string& origin, const std::string& secret, Event*,
                       std::vector<RowWrite>*)>
      complete;
};

Result<std::optional<Credential>> LoadCredential(Store* store, const std::string& person) {
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kCredentialsTable, {person}));
  if (!row) return std::optional<Credential>();
  SR_ASSIGN_OR_RETURN(Credential c, CredentialFromRow(*row));
  return std::optional<Credential>(std::move(c));
}

// The person's unlocked credential check; nothing is written either way.
Result<Credential> AuthenticatePerson(Store* store, const std::string& person,
                                      const std::string& secret) {
  SR_ASSIGN_OR_RETURN(std::optional<Credential> c, LoadCredential(store, person));
  if (!c) {
    SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kPeopleTable, {person}));
    if (!row) return NotFound("person " + person + " does not exist");
    return PermissionDenied(person + " has no credential enrolled");
  }
  if (!Authenticate(*c, secret)) return PermissionDenied("credential not accepted for " + person);
  return *c;
}

Result<Output> Explain(Store* store, const std::string& origin, Event event) {
  Projection state(store);
  event.time = FormatRfc3339(SystemClock()->Now());
  if (event.type == EventType::kHoldingRegister && event.holdings.empty()) {
    event.holdings.push_back("H-new");
  }
  SR_RETURN_IF_ERROR(LoadReferences(event, &state));
  SR_ASSIGN_OR_RETURN(bool any, state.AnyPerson());
  SR_ASSIGN_OR_RETURN(uint64_t size, store->LogSize());
  SR_ASSIGN_OR_RETURN(Verdict v, Check(event, state, {!any, origin, size, /*explain=*/true}));
  const char* word = v.kind == Verdict::Kind::kAccept   ? "allowed"
                     : v.kind == Verdict::Kind::kDenied ? "denied"
                                                        : "needs a second person";
  const auto& reasons = v.kind == Verdict::Kind::kAccept ? v.grounds : v.reasons;
  Output out;
  out.data = {{"decision", word}, {"reasons", reasons}};
  out.text = word;
  for (size_t i = 0; i < reasons.size(); ++i) out.text += (i ? "; " : ": ") + reasons[i];
  return out;
}

// Opens the store for writing, authenticates, submits one event, and
// reports how it was logged. A denial is logged and then reported as an
// error (exit status 6); a request waiting for a second person is not one.
Result<Output> Submit(const std::string& dir, Event event, const Authority& auth) {
  SR_ASSIGN_OR_RETURN(
      auto data, DataDir::Open(dir, auth.explain ? DataDir::Mode::kRead : DataDir::Mode::kWrite));
  Store* store = data->store();
  if (auth.explain) return Explain(store, data->verifier().name(), std::move(event));
  SR_ASSIGN_OR_RETURN(std::string secret,
                      ReadSecret(auth.secret, "credential for " + auth.who + ": "));
  SR_ASSIGN_OR_RETURN(bool anyone, Projection(store).AnyPerson());
  // Until the founding administrator exists nobody can authenticate; the
  // rules accept only them adding themself, with their own credential.
  if (anyone) SR_RETURN_IF_ERROR(AuthenticatePerson(store, auth.who, secret).status());
  std::vector<RowWrite> attachments;
  if (auth.complete) {
    SR_RETURN_IF_ERROR(auth.complete(store, data->verifier().name(), secret, &event, &attachments));
  }
  SR_ASSIGN_OR_RETURN(NoteSigner signer, data->signer());
  SR_ASSIGN_OR_RETURN(auto seq,
                      Sequencer::Start(store, std::move(signer), SystemClock(), SystemRandom()));
  SR_ASSIGN_OR_RETURN(Receipt r, seq->Submit(std::move(event), std::move(attachments)));
  std::string reasons;
  for (size_t i = 0; i < r.reasons.size(); ++i) reasons += (i ? "; " : "") + r.reasons[i];
  if (r.outcome == Outcome::kDenied) {
    return PermissionDenied("denied: " + reasons + " (logged as entry " + std::to_string(r.index) +
                            ")");
  }
  Output out;
  out.data = {{"outcome", r.outcome == Outcome::kPending ? "pending" : "accepted"},
              {"index", r.index},
              {"tree_size", r.tree_size},
              {"entry", Json::parse(r.entry)},
              {"checkpoint", r.checkpoint}};
  if (!r.holding.empty()) out.data["holding"] = r.holding;
  if (r.outcome == Outcome::kPending) {
    const std::string id = RecordId('R', r.index);
    out.data["request"] = id;
    out.data["needs"] = r.reasons;
    out.text = "request " + id + " opened (log entry " + std::to_string(r.index) +
               "): needs a second person: " + reasons +
               "\na second person approves it with: strongroom request approve --data " + dir +
               " --request " + id + " --actor PERSON";
    return out;
  }
  out.text = "recorded as log entry " + std::to_string(r.index) +
             (r.holding.empty() ? "" : " (holding " + r.holding + ")") + "; tree size " +
             std::to_string(r.tree_size);
  return out;
}

// Signs `e` (whose basis is set) as `person`, with their unlocked key.
Status SignAs(Store* store, const std::string& origin, const std::string& person,
              const std::string& secret, Event* e) {
  SR_ASSIGN_OR_RETURN(Credential c, AuthenticatePerson(store, person, secret));
  SR_ASSIGN_OR_RETURN(Ed25519PrivateKey key, Unlock(c, secret));
  e->signatures.push_back({person, Base64Encode(key.Sign(SignedRequest(origin, *e)))});
  return OkStatus();
}

Result<Output> HoldingChain(const std::string& dir, const std::string& id, bool proofs) {
  SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
  Store* store = data->store();
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kHoldingsTable, {id}));
  if (!row) return NotFound("holding " + id + " does not exist");
  SR_ASSIGN_OR_RETURN(Json holding, RowData(*row));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, store->LatestCheckpoint());
  SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(note.value_or(""), data->verifier()));
  TileNodeReader reader(
      [&](int level, uint64_t index, uint64_t) { return store->ReadTile(level, index); });
  Json chain = Json::array();
  std::string text =
      "holding " + id + " (" + holding.value("kind", "") + "): " + holding.value("title", "") +
      "\n  status " + holding.value("status", "") + " at " + holding.value("location", "") +
      (holding.value("holder", "").empty() ? "" : ", held by " + holding.value("holder", "")) +
      "\n  custody chain:\n";
  SR_RETURN_IF_ERROR(store->QueryRows(kHoldingEventsTable, {{"holding", id}}, 0, [&](const Row& r) {
    const uint64_t index = static_cast<uint64_t>(std::get<int64_t>(r.values[1]));
    return store->ScanEntries(index, index + 1, [&](uint64_t, std::string_view entry) {
      Json e = Json::parse(entry);
      Json item = {{"index", index}, {"entry", e}};
      if (proofs) {
        SR_ASSIGN_OR_RETURN(auto proof, InclusionProof(&reader, index, cp.size));
        Json hashes = Json::array();
        for (const Hash& h : proof) hashes.push_back(Base64Encode(h.view()));
        item["leaf_hash"] = Base64Encode(LeafHash(entry).view());
        item["inclusion_proof"] = hashes;
        SR_RETURN_IF_ERROR(VerifyInclusion(LeafHash(entry), index, cp.size, proof, cp.root));
      }
      text += "    #" + std::to_string(index) + " " + e.value("time", "") + " " +
              e.value("type", "") + " by " + e.value("actor", "") + " " + e["fields"].dump() + "\n";
      chain.push_back(std::move(item));
      return OkStatus();
    });
  }));
  Output out;
  out.data = {{"holding", holding}, {"chain", chain}, {"checkpoint", *note}};
  if (proofs)
    text += "  every event's inclusion proof verifies against tree size " +
            std::to_string(cp.size) + "\n";
  out.text = text;
  return out;
}

Result<Output> ProofCommand(const std::string& dir, std::optional<uint64_t> index,
                            std::optional<uint64_t> from, std::optional<uint64_t> size_opt) {
  SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
  Store* store = data->store();
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, store->LatestCheckpoint());
  SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(note.value_or(""), data->verifier()));
  const uint64_t size = size_opt.value_or(cp.size);
  if (size > cp.size) {
    return InvalidArgument("tree size " + std::to_string(size) +
                           " is beyond the latest checkpoint (" + std::to_string(cp.size) + ")");
  }
  TileNodeReader reader([&](int level, uint64_t i, uint64_t) { return store->ReadTile(level, i); });
  Output out;
  std::vector<Hash> proof;
  if (index) {
    SR_ASSIGN_OR_RETURN(proof, InclusionProof(&reader, *index, size));
    std::string entry;
    SR_RETURN_IF_ERROR(store->ScanEntries(*index, *index + 1, [&](uint64_t, std::string_view e) {
      entry = std::string(e);
      return OkStatus();
    }));
    out.data = {{"index", *index},
                {"tree_size", size},
                {"leaf_hash", Base64Encode(LeafHash(entry).view())}};
  } else {
    SR_ASSIGN_OR_RETURN(proof, ConsistencyProof(&reader, *from, size));
    out.data = {{"from", *from}, {"to", size}};
  }
  SR_ASSIGN_OR_RETURN(Hash root, TreeRoot(&reader, size));
  Json hashes = Json::array();
  for (const Hash& h : proof) {
    hashes.push_back(Base64Encode(h.view()));
    out.text += Base64Encode(h.view()) + "\n";
  }
  out.data["proof"] = hashes;
  out.data["root"] = Base64Encode(root.view());
  if (size == cp.size) out.data["checkpoint"] = *note;
  return out;
}

}  // namespace

int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  // "strongroom explain holding destroy ..." is "strongroom holding destroy ... --explain".
  if (argc > 1 && std::string_view(argv[1]) == "explain") {
    std::vector<char*> args(argv, argv + argc);
    args.erase(args.begin() + 1);
    static char flag[] = "--explain";
    args.push_back(flag);
    if (args.size() < 3) {
      err << "strongroom: explain takes a custody command, e.g. 'strongroom explain holding "
             "check-out --data D --actor P --holding H --to O --purpose X --due-back T'\n";
      return ExitCodeFor(StatusCode::kInvalidArgument);
    }
    return RunCli(static_cast<int>(args.size()), args.data(), out, err);
  }
  CLI::App app{"Strongroom: verifiable custody of sensitive material", "strongroom"};
  app.require_subcommand(1);
  bool json = false;
  app.add_flag("--json", json, "machine-readable output")->configurable(false);
  Handler handler;
  std::string dir;
  auto data_opt = [&](CLI::App* c) { c->add_option("--data", dir, "data directory")->required(); };
  std::string actor;
  SecretSource secret{-1, "", "STRONGROOM_CREDENTIAL"};
  SecretSource new_secret{-1, "", "STRONGROOM_NEW_CREDENTIAL"};
  bool explain = false;
  auto actor_opt = [&](CLI::App* c) {
    c->add_option("--actor", actor, "the person performing the action")->required();
    c->add_option("--credential-fd", secret.fd,
                  "read the actor's credential from this file descriptor");
    c->add_option("--credential-env", secret.env,
                  "read the actor's credential from this environment variable (default: "
                  "STRONGROOM_CREDENTIAL if set, else a prompt)");
    c->add_flag("--explain", explain, "only decide and explain; write nothing");
  };
  // Set by a command before its event is submitted; reset per run.
  std::function<Status(Store*, const std::string&, const std::string&, Event*,
                       std::vector<RowWrite>*)>
      complete;
  std::string approver;
  // Every subcommand also accepts --json after its name.
  auto json_flag = [&](CLI::App* c) { c->add_flag("--json", json, "machine-readable output"); };

  // init / key
  std::string origin;
  auto* init = app.add_subcommand("init", "create a store and its Ed25519 log key");
  data_opt(init);
  json_flag(init);
  init->add_option("--origin", origin,
                   "the log's origin (and key name), e.g. records.example.org/log")
      ->required();
  init->callback([&] {
    handler = [&]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, DataDir::Init(dir, origin, SystemRandom()));
      Output o;
      o.data = {{"origin", origin}, {"vkey", data->verifier().Vkey()}};
      o.text = data->verifier().Vkey();
      return o;
    };
  });
  auto* key = app.add_subcommand("key", "print the log's verifier key (C2SP signed-note vkey)");
  data_opt(key);
  json_flag(key);
  key->callback([&] {
    handler = [&]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      Output o;
      o.data = {{"origin", data->origin()}, {"vkey", data->verifier().Vkey()}};
      o.text = data->verifier().Vkey();
      return o;
    };
  });

  // demo
  uint64_t events = 0, seed = 1;
  auto* demo = app.add_subcommand("demo", "issue a synthetic organisation's custody events");
  data_opt(demo);
  json_flag(demo);
  demo->add_option("--events", events, "how many custody events")
      ->required()
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000000}));
  demo->add_option("--seed", seed, "random seed");
  bool print_acks = false;
  size_t window = 1024;
  demo->add_option("--window", window, "events in flight at once")
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  demo->add_flag("--print-acks", print_acks,
                 "print 'ack INDEX LEAF_HASH TREE_SIZE ROOT' for each acknowledged event");
  demo->callback([&] {
    handler = [&]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, DataDir::Open(dir, DataDir::Mode::kWrite));
      SR_ASSIGN_OR_RETURN(NoteSigner signer, data->signer());
      SR_ASSIGN_OR_RETURN(auto seq, Sequencer::Start(data->store(), std::move(signer),
                                                     SystemClock(), SystemRandom()));
      auto start = std::chrono::steady_clock::now();
      std::function<void(const Receipt&)> on_ack;
      if (print_acks) {
        on_ack = [&](const Receipt& r) {
          auto cp = ParseCheckpointBody(r.checkpoint.substr(0, r.checkpoint.find("\n\n") + 1));
          out << "ack " << r.index << " " << Base64Encode(LeafHash(r.entry).view()) << " "
              << r.tree_size << " " << (cp.ok() ? Base64Encode(cp->root.view()) : "?") << std::endl;
        };
      }
      SR_ASSIGN_OR_RETURN(DemoStats stats,
                          RunDemo(seq.get(), data->store(), events, seed, window, on_ack));
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      Output o;
      o.data = {{"setup_events", stats.setup_events},
                {"custody_events", stats.custody_events},
                {"refused", stats.refused},
                {"tree_size", stats.log_size},
                {"seconds", secs}};
      o.text = std::to_string(stats.custody_events) + " custody events (+" +
               std::to_string(stats.setup_events) + " set-up) in " + std::to_string(secs) +
               " s; tree size " + std::to_string(stats.log_size);
      return o;
    };
  });

  // publish
  std::string to_dir;
  auto* publish =
      app.add_subcommand("publish", "write a static C2SP tlog-tiles tree (incremental)");
  data_opt(publish);
  json_flag(publish);
  publish->add_option("--to", to_dir, "output directory")->required();
  publish->callback([&] {
    handler = [&]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      SR_ASSIGN_OR_RETURN(PublishStats s, Publish(data.get(), to_dir));
      Output o;
      o.data = {
          {"previous_size", s.previous_size}, {"size", s.size}, {"files_written", s.files_written}};
      o.text = "published tree size " + std::to_string(s.size) + " (was " +
               std::to_string(s.previous_size) + "), " + std::to_string(s.files_written) + " files";
      return o;
    };
  });

  // verify
  std::string log_location, vkey, prev_file;
  auto* verify = app.add_subcommand("verify", "audit a store (--data) or a published tree (--log)");
  json_flag(verify);
  verify->add_option("--data", dir, "data directory to audit");
  verify->add_option("--log", log_location, "published tree: directory or URL");
  verify->add_option("--key", vkey, "the verifier key the auditor trusts");
  verify->add_option("--prev", prev_file, "an earlier checkpoint the auditor kept");
  verify->callback([&] {
    handler = [&]() -> Result<Output> {
      if (dir.empty() == log_location.empty())
        return InvalidArgument("give exactly one of --data and --log");
      std::optional<NoteVerifier> key;
      if (!vkey.empty()) {
        auto v = NoteVerifier::FromVkey(vkey);
        if (!v.ok()) return InvalidArgument("--key: " + v.status().message());
        key = *v;
      }
      AuditReport report;
      if (!dir.empty()) {
        if (!prev_file.empty()) return InvalidArgument("--prev applies to --log");
        SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
        SR_ASSIGN_OR_RETURN(report, AuditStore(data.get(), key));
      } else {
        if (!key) return InvalidArgument("--log needs --key");
        std::optional<std::string> prev;
        if (!prev_file.empty()) {
          auto text = ReadFile(prev_file);
          if (!text.ok()) return InvalidArgument("--prev: " + text.status().message());
          prev = *text;
        }
        SR_ASSIGN_OR_RETURN(auto source, OpenTreeSource(log_location));
        SR_ASSIGN_OR_RETURN(report, VerifyPublishedTree(source.get(), *key, prev));
      }
      if (!report.ok()) {
        std::string all;
        for (const auto& p : report.problems) all += "\n  " + p;
        return DataLoss("verification failed, " + std::to_string(report.problems.size()) +
                        " problem(s): " + report.problems.front() +
                        (report.problems.size() > 1 ? all : ""));
      }
      Output o;
      o.data = {{"ok", true},
                {"entries", report.entries},
                {"checkpoints", report.checkpoints},
                {"tiles", report.tiles},
                {"checkpoint", report.checkpoint}};
      o.text = "OK: " + std::to_string(report.entries) + " entries, " +
               std::to_string(report.checkpoints) + " checkpoint(s), " +
               std::to_string(report.tiles) + " tiles verified";
      return o;
    };
  });

  // Custody commands.
  auto custody = [&](CLI::App* parent, const char* name, const char* help, EventType type,
                     std::function<Status(Event*)> fill) {
    auto* c = parent->add_subcommand(name, help);
    data_opt(c);
    actor_opt(c);
    json_flag(c);
    c->callback([&, type, fill] {
      handler = [&, type, fill]() -> Result<Output> {
        Event e;
        e.type = type;
        e.actor = actor;
        SR_RETURN_IF_ERROR(fill(&e));
        Authority auth{approver.empty() ? actor : approver, secret, explain, complete};
        return Submit(dir, std::move(e), auth);
      };
    });
    return c;
  };
  std::string id, name, facility, location, kind, unit, roles, clearance, compartments, to, purpose,
      due_back, method, title, classification, originator, case_number, item_type, imei, seized_at,
      seized_place, disposition, disposition_due, holding, caveats, nationality, reason, scope,
      target, expires, on_off, releasable_to, seal, contents, condition, holdings, courier, seals,
      units, return_by, recipient, court_order, inspection, note;
  int64_t entry_index = 0, copies = 0;
  int64_t copy_number = 0, copies_total = 0;
  auto put = [](Event* e, const char* k, const std::string& v) {
    if (!v.empty()) e->fields[k] = v;
  };

  auto* facility_cmd = app.add_subcommand("facility", "facilities");
  facility_cmd->require_subcommand(1);
  auto* fadd =
      custody(facility_cmd, "add", "add a facility", EventType::kFacilityAdd, [&](Event* e) {
        put(e, "facility", id);
        put(e, "name", name);
        return OkStatus();
      });
  fadd->add_option("--id", id)->required();
  fadd->add_option("--name", name)->required();

  auto* location_cmd = app.add_subcommand("location", "storage locations");
  location_cmd->require_subcommand(1);
  auto* ladd =
      custody(location_cmd, "add", "add a location", EventType::kLocationAdd, [&](Event* e) {
        put(e, "location", id);
        put(e, "facility", facility);
        put(e, "name", name);
        put(e, "kind", kind);
        return OkStatus();
      });
  ladd->add_option("--id", id)->required();
  ladd->add_option("--facility", facility)->required();
  ladd->add_option("--name", name)->required();
  ladd->add_option("--kind", kind, "vault, safe, shelf, bin or room")->required();

  auto* person_cmd = app.add_subcommand("person", "people");
  person_cmd->require_subcommand(1);
  auto* padd = custody(person_cmd, "add", "add a person", EventType::kPersonAdd, [&](Event* e) {
    put(e, "person", id);
    put(e, "name", name);
    put(e, "unit", unit);
    e->fields["roles"] = SplitList(roles);
    put(e, "clearance", clearance);
    if (!compartments.empty()) e->fields["compartments"] = SplitList(compartments);
    if (!caveats.empty()) e->fields["caveats"] = SplitList(caveats);
    put(e, "nationality", nationality);
    put(e, "facility", facility);
    // The new person's own credential seals their new personal key; the
    // founding administrator's is the one they act with.
    complete = [&](Store*, const std::string&, const std::string& actor_secret, Event* e,
                   std::vector<RowWrite>* rows) -> Status {
      const std::string person = e->Field("person");
      std::string secret_of_new = actor_secret;
      if (person != e->actor) {
        SR_ASSIGN_OR_RETURN(secret_of_new,
                            ReadSecret(new_secret, "new credential for " + person + ": "));
      }
      SR_ASSIGN_OR_RETURN(Credential c, NewCredential(person, secret_of_new, SystemRandom()));
      e->fields["public_key"] = c.public_key;
      rows->push_back({kCredentialsTable, ToRow(c)});
      return OkStatus();
    };
    return OkStatus();
  });
  padd->add_option("--caveats", caveats, "comma-separated handling caveats");
  padd->add_option("--nationality", nationality, "for releasability");
  padd->add_option("--facility", facility, "home facility (custodians)");
  padd->add_option("--new-credential-fd", new_secret.fd,
                   "read the new person's credential from this file descriptor");
  padd->add_option("--new-credential-env", new_secret.env,
                   "read it from this environment variable (default: STRONGROOM_NEW_CREDENTIAL "
                   "if set, else a prompt)");
  auto* pupd = custody(person_cmd, "update", "change a person's unit, roles, clearance, ...",
                       EventType::kPersonUpdate, [&](Event* e) {
                         put(e, "person", id);
                         put(e, "name", name);
                         put(e, "unit", unit);
                         if (!roles.empty()) e->fields["roles"] = SplitList(roles);
                         put(e, "clearance", clearance);
                         if (!compartments.empty())
                           e->fields["compartments"] =
                               SplitList(compartments == "-" ? "" : compartments);
                         if (!caveats.empty())
                           e->fields["caveats"] = SplitList(caveats == "-" ? "" : caveats);
                         put(e, "nationality", nationality);
                         put(e, "facility", facility);
                         return OkStatus();
                       });
  pupd->add_option("--id", id)->required();
  pupd->add_option("--name", name);
  pupd->add_option("--unit", unit);
  pupd->add_option("--roles", roles);
  pupd->add_option("--clearance", clearance);
  pupd->add_option("--compartments", compartments, "comma-separated; - for none");
  pupd->add_option("--caveats", caveats, "comma-separated; - for none");
  pupd->add_option("--nationality", nationality);
  pupd->add_option("--facility", facility);
  for (auto [verb, type, help] :
       {std::tuple{"suspend", EventType::kPersonSuspend, "suspend a person"},
        std::tuple{"reinstate", EventType::kPersonReinstate, "reinstate a suspended person"},
        std::tuple{"dismiss", EventType::kPersonDismiss,
                   "dismiss a person: their grants end, their check-outs are flagged"}}) {
    auto* c = custody(person_cmd, verb, help, type, [&](Event* e) {
      put(e, "person", id);
      put(e, "reason", reason);
      return OkStatus();
    });
    c->add_option("--id", id)->required();
    c->add_option("--reason", reason)->required();
  }

  auto* grant_cmd = app.add_subcommand("grant", "need-to-know grants");
  grant_cmd->require_subcommand(1);
  auto* gadd = custody(grant_cmd, "add", "grant need-to-know", EventType::kGrantAdd, [&](Event* e) {
    put(e, "person", id);
    put(e, "scope", scope);
    put(e, "target", target);
    put(e, "expires", expires);
    return OkStatus();
  });
  gadd->add_option("--person", id)->required();
  gadd->add_option("--scope", scope, "holding, case or compartment")->required();
  gadd->add_option("--target", target, "the holding, case number or compartment")->required();
  gadd->add_option("--expires", expires, "RFC 3339 time or date")->required();
  auto* grev =
      custody(grant_cmd, "revoke", "revoke a grant", EventType::kGrantRevoke, [&](Event* e) {
        put(e, "grant", id);
        put(e, "reason", reason);
        return OkStatus();
      });
  grev->add_option("--grant", id)->required();
  grev->add_option("--reason", reason)->required();

  auto* fctl =
      custody(facility_cmd, "control", "put a facility under heightened control, or end it",
              EventType::kFacilityControl, [&](Event* e) {
                put(e, "facility", id);
                if (on_off != "on" && on_off != "off") {
                  return InvalidArgument("--heightened takes on or off");
                }
                e->fields["heightened"] = on_off == "on";
                put(e, "reason", reason);
                return OkStatus();
              });
  fctl->add_option("--facility", id)->required();
  fctl->add_option("--heightened", on_off, "on or off")->required();
  fctl->add_option("--reason", reason)->required();

  auto* request_cmd = app.add_subcommand("request", "two-person requests");
  request_cmd->require_subcommand(1);
  auto* rapp =
      request_cmd->add_subcommand("approve", "approve a pending request as the second person");
  data_opt(rapp);
  json_flag(rapp);
  rapp->add_option("--request", id, "R-<index>")->required();
  rapp->add_option("--actor", approver, "the approving person")->required();
  rapp->add_option("--credential-fd", secret.fd, "read the approver's credential from this fd");
  rapp->add_option("--credential-env", secret.env, "read it from this environment variable");
  rapp->callback([&] {
    handler = [&]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      SR_ASSIGN_OR_RETURN(std::optional<Row> row, data->store()->GetRow(kRequestsTable, {id}));
      if (!row) return NotFound("request " + id + " does not exist");
      SR_ASSIGN_OR_RETURN(Json j, RowData(*row));
      SR_ASSIGN_OR_RETURN(Request r, RequestFromJson(j));
      data.reset();
      Event e;
      SR_ASSIGN_OR_RETURN(e.type, ParseEventType(r.type));
      e.actor = r.actor;
      e.holdings = r.holdings;
      e.fields = r.fields;
      e.basis = r.index;
      Authority auth{approver, secret, false,
                     [&](Store* store, const std::string& origin, const std::string& s, Event* e,
                         std::vector<RowWrite>*) { return SignAs(store, origin, approver, s, e); }};
      return Submit(dir, std::move(e), auth);
    };
  });
  auto* rcan = custody(request_cmd, "cancel", "cancel a pending request", EventType::kRequestCancel,
                       [&](Event* e) {
                         put(e, "request", id);
                         put(e, "reason", reason);
                         return OkStatus();
                       });
  rcan->add_option("--request", id)->required();
  rcan->add_option("--reason", reason)->required();
  auto* rlist = request_cmd->add_subcommand("list", "pending requests");
  data_opt(rlist);
  json_flag(rlist);
  rlist->callback([&] {
    handler = [&]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      Output o;
      o.data = Json::array();
      SR_RETURN_IF_ERROR(data->store()->QueryRows(
          kRequestsTable, {{"status", std::string("open")}}, 0, [&](const Row& row) {
            SR_ASSIGN_OR_RETURN(Json j, RowData(row));
            o.text += j.value("id", "") + " " + j.value("type", "") + " by " +
                      j.value("actor", "") + " " + j["holdings"].dump() + " expires " +
                      j.value("expires", "") + "\n";
            o.data.push_back(std::move(j));
            return OkStatus();
          }));
      if (o.text.empty()) o.text = "no open requests";
      return o;
    };
  });

  auto* record_cmd = app.add_subcommand("record", "the record itself");
  record_cmd->require_subcommand(1);
  auto* corr =
      custody(record_cmd, "correct", "annotate an erroneous entry (history is never edited)",
              EventType::kCorrect, [&](Event* e) {
                e->fields["corrects"] = entry_index;
                put(e, "reason", reason);
                return OkStatus();
              });
  corr->add_option("--entry", entry_index, "the erroneous entry's index")->required();
  corr->add_option("--reason", reason)->required();
  padd->add_option("--id", id)->required();
  padd->add_option("--name", name)->required();
  padd->add_option("--unit", unit)->required();
  padd->add_option("--roles", roles,
                   "comma-separated: administrator, custodian, holder, inspector, security_manager")
      ->required();
  padd->add_option("--clearance", clearance,
                   "UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or 'TOP SECRET'")
      ->required();
  padd->add_option("--compartments", compartments, "comma-separated");

  auto* holding_cmd = app.add_subcommand("holding", "holdings and their custody");
  holding_cmd->require_subcommand(1);
  auto* reg = custody(holding_cmd, "register", "register a document or evidence item",
                      EventType::kHoldingRegister, [&](Event* e) {
                        if (!id.empty()) e->holdings = {id};
                        put(e, "kind", kind);
                        put(e, "title", title);
                        put(e, "location", location);
                        put(e, "classification", classification);
                        if (!compartments.empty())
                          e->fields["compartments"] = SplitList(compartments);
                        put(e, "originator", originator);
                        if (copy_number) e->fields["copy_number"] = copy_number;
                        if (copies_total) e->fields["copies_total"] = copies_total;
                        put(e, "case_number", case_number);
                        put(e, "item_type", item_type);
                        if (!imei.empty()) e->fields["identifiers"] = {{"imei", imei}};
                        put(e, "seized_at", seized_at);
                        put(e, "seized_place", seized_place);
                        put(e, "disposition", disposition);
                        put(e, "disposition_due", disposition_due);
                        if (!caveats.empty()) e->fields["caveats"] = SplitList(caveats);
                        if (!releasable_to.empty())
                          e->fields["releasable_to"] = SplitList(releasable_to);
                        return OkStatus();
                      });
  reg->add_option("--caveats", caveats, "comma-separated handling caveats");
  reg->add_option("--releasable-to", releasable_to, "comma-separated nationalities");
  reg->add_option("--id", id, "holding id (default: H-<log index>)");
  reg->add_option("--kind", kind, "document, evidence or container")->required();
  reg->add_option("--title", title)->required();
  reg->add_option("--location", location)->required();
  reg->add_option("--classification", classification);
  reg->add_option("--compartments", compartments);
  reg->add_option("--originator", originator);
  reg->add_option("--copy", copy_number, "copy number N (of M)");
  reg->add_option("--copies", copies_total, "number of copies M");
  reg->add_option("--case", case_number);
  reg->add_option("--item-type", item_type);
  reg->add_option("--imei", imei);
  reg->add_option("--seized-at", seized_at);
  reg->add_option("--seized-place", seized_place);
  reg->add_option("--disposition", disposition, "destroy, return or retain");
  reg->add_option("--disposition-due", disposition_due);

  auto holding_custody = [&](const char* name, const char* help, EventType type,
                             std::function<void(Event*)> fill) {
    auto* c = custody(holding_cmd, name, help, type, [&, fill](Event* e) {
      e->holdings = {holding};
      fill(e);
      return OkStatus();
    });
    c->add_option("--holding", holding)->required();
    return c;
  };
  auto* co = holding_custody("check-out", "issue a holding to a person", EventType::kCheckOut,
                             [&](Event* e) {
                               put(e, "to", to);
                               put(e, "purpose", purpose);
                               put(e, "due_back", due_back);
                             });
  co->add_option("--to", to)->required();
  co->add_option("--purpose", purpose)->required();
  co->add_option("--due-back", due_back, "RFC 3339 time or date")->required();
  auto* ci = holding_custody("check-in", "receive a holding back", EventType::kCheckIn,
                             [&](Event* e) { put(e, "location", location); });
  ci->add_option("--location", location, "where it is stored (default: where it was)");
  auto* tr = holding_custody("transfer", "hand a checked-out holding to another person",
                             EventType::kTransfer, [&](Event* e) { put(e, "to", to); });
  tr->add_option("--to", to)->required();
  auto* mv = holding_custody("move", "move a holding within its facility", EventType::kMove,
                             [&](Event* e) { put(e, "location", location); });
  mv->add_option("--location", location)->required();
  auto* de =
      holding_custody("destroy", "destroy a holding (opens a request; a witness approves it)",
                      EventType::kDestroy, [&](Event* e) { put(e, "method", method); });
  de->add_option("--method", method)->required();
  auto* sl = holding_custody("seal", "seal a holding (a container: with its contents)",
                             EventType::kSeal, [&](Event* e) {
                               put(e, "seal", seal);
                               if (!contents.empty()) e->fields["contents"] = SplitList(contents);
                             });
  sl->add_option("--seal", seal, "the seal number")->required();
  sl->add_option("--contents", contents, "comma-separated holdings sealed inside");
  auto* us = holding_custody("unseal", "break a seal, recording what it read and its state",
                             EventType::kUnseal, [&](Event* e) {
                               put(e, "seal", seal);
                               put(e, "condition", condition);
                             });
  us->add_option("--seal", seal, "the seal number as read")->required();
  us->add_option("--condition", condition, "intact or broken")->required();
  auto multi = [&](const char* name, const char* help, EventType type,
                   std::function<void(Event*)> fill) {
    auto* c = custody(holding_cmd, name, help, type, [&, fill](Event* e) {
      e->holdings = SplitList(holdings);
      fill(e);
      return OkStatus();
    });
    c->add_option("--holdings", holdings, "comma-separated")->required();
    return c;
  };
  auto* dsp =
      multi("dispatch", "send holdings to another facility", EventType::kDispatch, [&](Event* e) {
        put(e, "to_facility", facility);
        put(e, "courier", courier);
      });
  dsp->add_option("--to-facility", facility)->required();
  dsp->add_option("--courier", courier)->required();
  auto* rcv = multi("receive", "receive a dispatch (the holdings that arrived)",
                    EventType::kReceive, [&](Event* e) {
                      put(e, "dispatch", id);
                      put(e, "location", location);
                      if (!seals.empty()) {
                        Json m = Json::object();
                        for (const auto& pair : SplitList(seals)) {
                          auto eq = pair.find('=');
                          m[pair.substr(0, eq)] =
                              eq == std::string::npos ? "" : pair.substr(eq + 1);
                        }
                        e->fields["seals"] = m;
                      }
                      put(e, "note", note);
                    });
  rcv->add_option("--dispatch", id, "D-<index>")->required();
  rcv->add_option("--location", location)->required();
  rcv->add_option("--seals", seals, "seal numbers as read: HOLDING=SEAL,...");
  rcv->add_option("--note", note);
  auto* rep = holding_custody("reproduce", "make copies (numbers continue the series)",
                              EventType::kReproduce, [&](Event* e) {
                                e->fields["copies"] = copies;
                                put(e, "location", location);
                              });
  rep->add_option("--copies", copies)->required();
  rep->add_option("--location", location);
  auto* dis = holding_custody("distribute", "issue numbered copies to units",
                              EventType::kDistribute, [&](Event* e) {
                                e->fields["units"] = SplitList(units);
                                put(e, "return_by", return_by);
                              });
  dis->add_option("--units", units, "comma-separated unit names")->required();
  dis->add_option("--return-by", return_by)->required();
  holding_custody("acknowledge", "acknowledge receipt of a distributed copy (signed)",
                  EventType::kAcknowledge, [&](Event*) {
                    // Signed for the copy's latest event, so it cannot be replayed.
                    complete = [&](Store* store, const std::string& origin, const std::string& s,
                                   Event* e, std::vector<RowWrite>*) -> Status {
                      SR_ASSIGN_OR_RETURN(std::optional<Row> row,
                                          store->GetRow(kHoldingsTable, {holding}));
                      if (!row) return NotFound("holding " + holding + " does not exist");
                      SR_ASSIGN_OR_RETURN(Json h, RowData(*row));
                      e->basis = h.value("last_index", int64_t{0});
                      return SignAs(store, origin, actor, s, e);
                    };
                  });
  auto* rec = holding_custody("recall", "take a distributed copy back into store",
                              EventType::kRecall, [&](Event* e) { put(e, "location", location); });
  rec->add_option("--location", location);
  auto* rel = holding_custody("release", "release evidence to its owner or by court order",
                              EventType::kRelease, [&](Event* e) {
                                put(e, "to", to);
                                put(e, "recipient", recipient);
                                put(e, "court_order", court_order);
                              });
  rel->add_option("--to", to, "owner or court")->required();
  rel->add_option("--recipient", recipient)->required();
  rel->add_option("--court-order", court_order);
  auto* ins = holding_custody("inspect", "record an inspection of a holding", EventType::kInspect,
                              [&](Event* e) {
                                put(e, "result", inspection);
                                put(e, "note", note);
                              });
  ins->add_option("--result", inspection, "seen, missing or seal_broken")->required();
  ins->add_option("--note", note);

  bool proofs = false;
  auto* show = holding_cmd->add_subcommand("show", "a holding with its custody chain");
  data_opt(show);
  json_flag(show);
  show->add_option("--holding", holding)->required();
  show->add_flag("--proofs", proofs, "include and check an inclusion proof for every event");
  show->callback([&] { handler = [&] { return HoldingChain(dir, holding, proofs); }; });

  uint64_t entry_at = 0;
  auto* entry_cmd = app.add_subcommand("entry", "print one log entry");
  data_opt(entry_cmd);
  json_flag(entry_cmd);
  entry_cmd->add_option("--index", entry_at)->required();
  entry_cmd->callback([&] {
    handler = [&]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      SR_ASSIGN_OR_RETURN(uint64_t size, data->store()->LogSize());
      if (entry_at >= size) {
        return NotFound("entry " + std::to_string(entry_at) + " is beyond the log (size " +
                        std::to_string(size) + ")");
      }
      Output o;
      SR_RETURN_IF_ERROR(
          data->store()->ScanEntries(entry_at, entry_at + 1, [&](uint64_t, std::string_view e) {
            o.text = std::string(e);
            o.data = Json::parse(e);
            return OkStatus();
          }));
      return o;
    };
  });

  std::string status_filter, holder_filter;
  size_t limit = 0;
  auto* list = holding_cmd->add_subcommand("list", "holdings, filtered");
  data_opt(list);
  json_flag(list);
  list->add_option("--status", status_filter, "in_store, checked_out or destroyed");
  list->add_option("--kind", kind);
  list->add_option("--facility", facility);
  list->add_option("--holder", holder_filter);
  list->add_option("--case", case_number);
  list->add_option("--limit", limit);
  list->callback([&] {
    handler = [&]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      std::vector<Filter> filters;
      auto add = [&](const char* col, const std::string& v) {
        if (!v.empty()) filters.push_back({col, v});
      };
      add("status", status_filter);
      add("kind", kind);
      add("facility", facility);
      add("holder", holder_filter);
      add("case_number", case_number);
      Output o;
      o.data = Json::array();
      SR_RETURN_IF_ERROR(
          data->store()->QueryRows(kHoldingsTable, filters, limit, [&](const Row& r) {
            SR_ASSIGN_OR_RETURN(Json h, RowData(r));
            o.text += h.value("id", "") + "\t" + h.value("kind", "") + "\t" +
                      h.value("status", "") + "\t" + h.value("location", "") + "\t" +
                      h.value("holder", "") + "\t" + h.value("title", "") + "\n";
            o.data.push_back(std::move(h));
            return OkStatus();
          }));
      return o;
    };
  });

  // proofs
  uint64_t proof_index = 0, proof_from = 0, proof_size = 0;
  auto* proof_cmd = app.add_subcommand("proof", "inclusion and consistency proofs");
  proof_cmd->require_subcommand(1);
  auto* inc = proof_cmd->add_subcommand("inclusion", "prove an entry is in the log");
  data_opt(inc);
  json_flag(inc);
  inc->add_option("--index", proof_index)->required();
  auto* inc_size = inc->add_option("--size", proof_size, "tree size (default: latest)");
  inc->callback([&] {
    handler = [&] {
      return ProofCommand(dir, proof_index, std::nullopt,
                          inc_size->count() ? std::optional<uint64_t>(proof_size) : std::nullopt);
    };
  });
  auto* cons = proof_cmd->add_subcommand("consistency", "prove the log only grew");
  data_opt(cons);
  json_flag(cons);
  cons->add_option("--from", proof_from)->required();
  auto* cons_size = cons->add_option("--to", proof_size, "tree size (default: latest)");
  cons->callback([&] {
    handler = [&] {
      return ProofCommand(dir, std::nullopt, proof_from,
                          cons_size->count() ? std::optional<uint64_t>(proof_size) : std::nullopt);
    };
  });

  auto* checkpoint = app.add_subcommand("checkpoint", "print the latest signed checkpoint");
  data_opt(checkpoint);
  json_flag(checkpoint);
  checkpoint->callback([&] {
    handler = [&]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      SR_ASSIGN_OR_RETURN(std::optional<std::string> note, data->store()->LatestCheckpoint());
      SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(note.value_or(""), data->verifier()));
      Output o;
      o.data = {{"origin", cp.origin},
                {"size", cp.size},
                {"root", Base64Encode(cp.root.view())},
                {"note", *note}};
      o.text = *note;
      return o;
    };
  });

  // "holding teleport": name the unknown command rather than CLI11's generic
  // "a subcommand is required".
  if (argc > 2 && argv[2][0] != '-') {
    for (CLI::App* group : app.get_subcommands([](CLI::App*) { return true; })) {
      if (group->get_name() != argv[1] || group->get_subcommands({}).empty()) continue;
      bool known = false;
      for (CLI::App* sub : group->get_subcommands({})) known |= sub->get_name() == argv[2];
      if (!known) {
        err << "strongroom: unknown command '" << argv[1] << " " << argv[2] << "' (see 'strongroom "
            << argv[1] << " --help')\n";
        return ExitCodeFor(StatusCode::kInvalidArgument);
      }
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      out << (e.what()) << "\n";
      return 0;
    }
    err << "strongroom: " << e.what() << "\n";
    return ExitCodeFor(StatusCode::kInvalidArgument);
  }
  if (!handler) {
    err << "strongroom: no command given\n";
    return ExitCodeFor(StatusCode::kInvalidArgument);
  }
  Result<Output> result = [&]() -> Result<Output> {
    try {
      return handler();
    } catch (const std::exception& e) {
      return Internal(std::string("unexpected error: ") + e.what());
    }
  }();
  if (!result.ok()) {
    err << "strongroom: " << result.status().message() << "\n";
    return ExitCodeFor(result.status().code());
  }
  if (json) {
    out << result->data.dump() << "\n";
  } else if (!result->text.empty()) {
    out << result->text << (result->text.back() == '\n' ? "" : "\n");
  }
  return 0;
}

}  // namespace strongroom
