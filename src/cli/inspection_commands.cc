// The inspector's client: inspection open draws the reveal and keeps it in
// a file of the inspector's own (never sent before the draw), inspection
// draw reads it back and computes the sample; inspection show, list and
// verify-sample read a local store. The events themselves are the
// generated custody commands (custody_commands.cc), completed here.
#include <cstdio>

#include "base/encoding.h"
#include "base/file.h"
#include "cli/command_line.h"
#include "custody/model.h"
#include "ledger/note.h"
#include "ledger/proof.h"
#include "oversight/inspection_client.h"
#include "verify/inspection_audit.h"

namespace strongroom {
namespace {

constexpr std::string_view kRevealHeader = "strongroom inspection reveal v1\n";

Result<std::string> ReadReveal(const std::string& path) {
  SR_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (text.substr(0, kRevealHeader.size()) != kRevealHeader || text.back() != '\n') {
    return InvalidArgument(path + " is not a reveal file written by 'inspection open'");
  }
  auto reveal = Base64Decode(std::string_view(text).substr(kRevealHeader.size(),
                                                            text.size() - kRevealHeader.size() - 1));
  if (!reveal.ok() || reveal->size() != oversight::kRevealSize) {
    return InvalidArgument(path + " does not hold a 32-byte reveal");
  }
  return reveal;
}

std::string Summary(const oversight::Inspection& v) {
  std::string text = v.id + " " + v.status + " by " + v.inspector + " in " + v.scope.facility + ": " +
                     oversight::MethodName(v.rule.method) + ", " + std::to_string(v.sample_size) +
                     " of " + std::to_string(v.population) + " on hand";
  if (v.status != "open") {
    size_t recorded = 0, bad = 0;
    for (const auto& id : v.sample) {
      auto it = v.results.find(id);
      if (it == v.results.end()) continue;
      ++recorded;
      bad += it->second.result != "found";
    }
    text += "; " + std::to_string(recorded) + " recorded, " + std::to_string(bad) + " discrepant";
    if (!v.found_unregistered.empty()) {
      text += ", " + std::to_string(v.found_unregistered.size()) + " found not on record";
    }
  }
  return text;
}

Json InspectionJson(const oversight::Inspection& v) {
  Json j = v.ToRecord(0).body;
  j.erase("population_ids");
  j["id"] = v.id;
  j["status"] = v.status;
  j["open_index"] = v.open_index;
  // Live discrepancies while it runs: sampled items not found as registered.
  Json discrepancies = Json::array();
  for (const auto& [holding, item] : v.results) {
    if (item.result != "found") discrepancies.push_back({{"holding", holding}, {"result", item.result}});
  }
  for (const auto& h : v.found_unregistered) discrepancies.push_back({{"holding", h}, {"result", "not_on_record"}});
  j["discrepancies"] = std::move(discrepancies);
  Json pending = Json::array();
  for (const auto& id : v.sample) {
    if (!v.results.count(id)) pending.push_back(id);
  }
  j["not_yet_recorded"] = std::move(pending);
  return j;
}

}  // namespace

std::function<Status(Event*)> CommandLine::InspectionSteps(const EventKind& kind, CLI::App* c) {
  auto local_only = [this]() -> Status {
    if (!server_url.empty()) {
      return FailedPrecondition("inspection open and draw run against a store (--data) for now: "
                                "the client must compute the population and sample itself");
    }
    return OkStatus();
  };
  c->add_option("--reveal-file", reveal_file,
                kind.type == EventType::kInspectionOpen
                    ? "write the secret reveal here (a new file, mode 0600; keep it until the draw)"
                    : "the reveal file written by 'inspection open'")
      ->required();
  if (kind.type == EventType::kInspectionOpen) {
    return [this, local_only](Event*) -> Status {
      SR_RETURN_IF_ERROR(local_only());
      if (PathExists(reveal_file)) {
        return AlreadyExists(reveal_file + " exists: each inspection has a reveal file of its own");
      }
      complete = [this](Store* store, const std::string&, const std::string&, Event* e,
                        std::vector<RowWrite>*) -> Status {
        const std::string reveal = SystemRandom()->Bytes(oversight::kRevealSize);
        Projection state(store);
        SR_RETURN_IF_ERROR(oversight::CompleteOpen(&state, reveal, e));
        SR_RETURN_IF_ERROR(WriteFileAtomic(
            reveal_file, std::string(kRevealHeader) + Base64Encode(reveal) + "\n", 0600));
        // Not opened after all (refused, denied): the reveal is of nothing.
        on_failure = [this] { std::remove(reveal_file.c_str()); };
        return OkStatus();
      };
      return OkStatus();
    };
  }
  return [this, local_only](Event*) -> Status {
    SR_RETURN_IF_ERROR(local_only());
    complete = [this](Store* store, const std::string&, const std::string&, Event* e,
                      std::vector<RowWrite>*) -> Status {
      SR_ASSIGN_OR_RETURN(std::string reveal, ReadReveal(reveal_file));
      Projection state(store);
      SR_ASSIGN_OR_RETURN(oversight::Inspection v, oversight::ReadInspection(&state, e->Field("inspection")));
      if (v.status != "open") return FailedPrecondition("inspection " + v.id + " is " + v.status + ", not open");
      // The store's latest checkpoint (the sequencer checks the draw against
      // the one it signed itself).
      SR_ASSIGN_OR_RETURN(auto latest, store->LatestCheckpoint());
      uint64_t signed_size = 0;
      if (latest) {
        const size_t end = latest->find("\n\n");
        auto cp = ParseCheckpointBody(latest->substr(0, end == std::string::npos ? end : end + 1));
        if (cp.ok()) signed_size = cp->size;
      }
      if (signed_size <= static_cast<uint64_t>(v.open_index)) {
        return FailedPrecondition("no signed checkpoint covers " + v.id +
                                  "'s open entry yet: the reveal stays with you until one does");
      }
      TileNodeReader tiles([&](int level, uint64_t i, uint64_t) { return store->ReadTile(level, i); });
      SR_ASSIGN_OR_RETURN(Hash root, TreeRoot(&tiles, static_cast<uint64_t>(v.open_index) + 1));
      return oversight::CompleteDraw(v, root, reveal, e);
    };
    return OkStatus();
  };
}

void CommandLine::AddInspectionCommands() {
  CLI::App* group = Group("inspection");
  auto* show = group->add_subcommand("show", "an inspection: its sample, results and discrepancies");
  DataOption(show);
  JsonFlag(show);
  show->add_option("--inspection", id, "INSP-<index>")->required();
  show->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      Projection state(data->store());
      SR_ASSIGN_OR_RETURN(oversight::Inspection v, oversight::ReadInspection(&state, id));
      Output o;
      o.data = InspectionJson(v);
      o.text = Summary(v);
      for (const auto& d : o.data["discrepancies"]) {
        o.text += "\n  " + d["holding"].get<std::string>() + ": " + d["result"].get<std::string>();
      }
      return o;
    };
  });

  auto* list = group->add_subcommand("list", "inspections, filtered");
  DataOption(list);
  JsonFlag(list);
  list->add_option("--status", status_filter, "open, drawn or closed");
  list->add_option("--facility", facility);
  list->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      Output o;
      o.data = Json::array();
      SR_RETURN_IF_ERROR(oversight::ForEachOversightRecord(
          data->store(), oversight::kInspectionKind, status_filter, facility,
          [&](const OversightRecord& r) -> Status {
        SR_ASSIGN_OR_RETURN(oversight::Inspection v, oversight::Inspection::FromRecord(r));
        Json j = InspectionJson(v);
        j.erase("sample");
        o.data.push_back(std::move(j));
        o.text += (o.text.empty() ? "" : "\n") + Summary(v);
        return OkStatus();
      }));
      if (o.text.empty()) o.text = "no inspections";
      return o;
    };
  });

  auto* verify = group->add_subcommand(
      "verify-sample", "recompute an inspection's population and sample from the log alone");
  DataOption(verify);
  JsonFlag(verify);
  verify->add_option("--inspection", id, "INSP-<index>")->required();
  verify->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      SR_ASSIGN_OR_RETURN(Json report, VerifyInspectionSample(data->store(), data->origin(), id));
      const bool drawn = report["drawn"].get<bool>();
      const bool good = report["population_matches"].get<bool>() &&
                        (!drawn || (report["commitment_matches"].get<bool>() &&
                                    report["root_matches"].get<bool>() &&
                                    report["sample_matches"].get<bool>()));
      if (!good) {
        return DataLoss("inspection " + id + " does not recompute from the log: " + report.dump());
      }
      Output o;
      o.text = "inspection " + id + ": population of " + std::to_string(report["population"].get<uint64_t>()) +
               " recomputed from the log" +
               (drawn ? ", sample of " + std::to_string(report["sample_size"].get<uint64_t>()) +
                            " drawn from the root and the reveal: both match"
                      : " matches; not drawn yet");
      o.data = std::move(report);
      return o;
    };
  });
}

}  // namespace strongroom
