#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <optional>

#include "base/encoding.h"
#include "base/file.h"
#include "custody/data_dir.h"
#include "custody/demo.h"
#include "custody/model.h"
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

// Opens the store for writing, submits one event, and reports it.
Result<Output> Submit(const std::string& dir, Event event) {
  SR_ASSIGN_OR_RETURN(auto data, DataDir::Open(dir, DataDir::Mode::kWrite));
  SR_ASSIGN_OR_RETURN(NoteSigner signer, data->signer());
  SR_ASSIGN_OR_RETURN(
      auto seq, Sequencer::Start(data->store(), std::move(signer), SystemClock(), SystemRandom()));
  SR_ASSIGN_OR_RETURN(Receipt r, seq->Submit(std::move(event)));
  Output out;
  out.data = {{"index", r.index},
              {"tree_size", r.tree_size},
              {"entry", Json::parse(r.entry)},
              {"checkpoint", r.checkpoint}};
  if (!r.holding.empty()) out.data["holding"] = r.holding;
  out.text = "recorded as log entry " + std::to_string(r.index) +
             (r.holding.empty() ? "" : " (holding " + r.holding + ")") + "; tree size " +
             std::to_string(r.tree_size);
  return out;
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
  CLI::App app{"Strongroom: verifiable custody of sensitive material", "strongroom"};
  app.require_subcommand(1);
  bool json = false;
  app.add_flag("--json", json, "machine-readable output")->configurable(false);
  Handler handler;
  std::string dir;
  auto data_opt = [&](CLI::App* c) { c->add_option("--data", dir, "data directory")->required(); };
  std::string actor;
  auto actor_opt = [&](CLI::App* c) {
    c->add_option("--actor", actor, "the person performing the action")->required();
  };
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
        return Submit(dir, std::move(e));
      };
    });
    return c;
  };
  std::string id, name, facility, location, kind, unit, roles, clearance, compartments, to, purpose,
      due_back, method, witness, title, classification, originator, case_number, item_type, imei,
      seized_at, seized_place, disposition, disposition_due, holding;
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
    return OkStatus();
  });
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
                        return OkStatus();
                      });
  reg->add_option("--id", id, "holding id (default: H-<log index>)");
  reg->add_option("--kind", kind, "document or evidence")->required();
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
  auto* de = holding_custody("destroy", "destroy a holding before a witness", EventType::kDestroy,
                             [&](Event* e) {
                               put(e, "method", method);
                               put(e, "witness", witness);
                             });
  de->add_option("--method", method)->required();
  de->add_option("--witness", witness)->required();

  bool proofs = false;
  auto* show = holding_cmd->add_subcommand("show", "a holding with its custody chain");
  data_opt(show);
  json_flag(show);
  show->add_option("--holding", holding)->required();
  show->add_flag("--proofs", proofs, "include and check an inclusion proof for every event");
  show->callback([&] { handler = [&] { return HoldingChain(dir, holding, proofs); }; });

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
