// The inspector's client: inspection open draws the reveal and keeps it in
// a file of the inspector's own (never sent before the draw), inspection
// draw reads it back and computes the sample (against strongroomd: sends
// the commitment, then the reveal, and the service computes the rest);
// inspection show, list and verify-sample read a local store. The events themselves are the
// generated custody commands (custody_commands.cc), completed here.
#include <charconv>
#include <cstdio>

#include "base/encoding.h"
#include "base/file.h"
#include "cli/command_line.h"
#include "cli/remote.h"
#include "crypto/sha256.h"
#include "json/canonical.h"
#include "ledger/note.h"
#include "ledger/proof.h"
#include "custody/model.h"
#include "oversight/inspection_client.h"
#include "oversight/views.h"
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

// Before the reveal leaves for strongroomd: a checkpoint signed by the log's
// key (`vkey`) covers `inspection`'s open entry, and that entry is the
// actor's own open with the commitment to `reveal` (its inclusion proof
// checked against the checkpoint). Otherwise an operator who had not logged
// the open could learn the reveal and choose the root.
Status CheckOpenCovered(const Remote& remote, const std::string& vkey, const std::string& actor,
                        const SecretSource& secret, const std::string& inspection,
                        const std::string& reveal) {
  if (vkey.empty()) {
    return InvalidArgument("inspection draw --server needs --key VKEY, the log's verifier key: the "
                           "reveal is sent only once a checkpoint signed with it covers the open entry");
  }
  SR_ASSIGN_OR_RETURN(NoteVerifier verifier, NoteVerifier::FromVkey(vkey));
  uint64_t index = 0;
  const std::string number = inspection.substr(std::min<size_t>(5, inspection.size()));
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), index);
  if (inspection.rfind("INSP-", 0) != 0 || ec != std::errc() || end != number.data() + number.size()) {
    return InvalidArgument("an inspection is INSP-<index>, not '" + inspection + "'");
  }
  SR_ASSIGN_OR_RETURN(HttpReply note, RemoteGet(remote, "checkpoint", "", {}));
  SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(note.body, verifier));
  if (cp.size <= index) {
    return FailedPrecondition("no checkpoint signed by the log's key covers " + inspection +
                              "'s open entry yet (the latest is of size " + std::to_string(cp.size) +
                              "): the reveal stays with you until one does");
  }
  SR_ASSIGN_OR_RETURN(HttpReply shown, RemoteGet(remote, "api/v1/entries/" + std::to_string(index),
                                                 actor, secret));
  SR_ASSIGN_OR_RETURN(HttpReply proved,
                      RemoteGet(remote,
                                "api/v1/proofs/inclusion?index=" + std::to_string(index) +
                                    "&size=" + std::to_string(cp.size),
                                "", {}));
  const Status forged = DataLoss("strongroomd's log does not hold " + actor + "'s open of " + inspection +
                                 " with this reveal's commitment under its signed checkpoint: the "
                                 "reveal was not sent");
  auto entry = ParseJson(shown.body);
  auto proof_json = ParseJson(proved.body);
  if (!entry.ok() || !proof_json.ok() || !entry->contains("entry")) return forged;
  const Json& e = (*entry)["entry"];
  auto bytes = CanonicalJson(e);
  if (!bytes.ok() || e.value("type", "") != "inspection.open" || e.value("actor", "") != actor ||
      e.value("fields", Json::object()).value("commitment", "") != oversight::Commitment(reveal)) {
    return forged;
  }
  std::vector<Hash> proof;
  for (const Json& h : proof_json->value("proof", Json::array())) {
    auto raw = h.is_string() ? Base64Decode(h.get<std::string>()) : Result<std::string>(forged);
    if (!raw.ok() || raw->size() != 32) return forged;
    proof.push_back(Hash::FromBytes(*raw));
  }
  if (!VerifyInclusion(LeafHash(*bytes), index, cp.size, proof, cp.root).ok()) return forged;
  return OkStatus();
}

}  // namespace

std::function<Status(Event*)> CommandLine::InspectionSteps(const EventKind& kind, CLI::App* c) {
  c->add_option("--reveal-file", reveal_file,
                kind.type == EventType::kInspectionOpen
                    ? "write the secret reveal here (a new file, mode 0600; keep it until the draw)"
                    : "the reveal file written by 'inspection open'")
      ->required();
  if (kind.type == EventType::kInspectionOpen) {
    return [this](Event* e) -> Status {
      if (PathExists(reveal_file)) {
        return AlreadyExists(reveal_file + " exists: each inspection has a reveal file of its own");
      }
      const std::string reveal = SystemRandom()->Bytes(oversight::kRevealSize);
      auto keep = [this, reveal]() -> Status {
        SR_RETURN_IF_ERROR(WriteFileAtomic(
            reveal_file, std::string(kRevealHeader) + Base64Encode(reveal) + "\n", 0600));
        // Not opened after all (refused, denied): the reveal is of nothing.
        on_failure = [this] { std::remove(reveal_file.c_str()); };
        return OkStatus();
      };
      if (!server_url.empty()) {
        // strongroomd counts the population; only the commitment leaves here.
        SR_RETURN_IF_ERROR(e->fields.Set("commitment", Json(oversight::Commitment(reveal))));
        return keep();
      }
      complete = [reveal, keep](Store* store, const std::string&, const std::string&, Event* e,
                                std::vector<RowWrite>*) -> Status {
        Projection state(store);
        SR_RETURN_IF_ERROR(oversight::CompleteOpen(&state, reveal, e));
        return keep();
      };
      return OkStatus();
    };
  }
  c->add_option("--key", vkey,
                "with --server: the log's verifier key; the reveal is sent only once a checkpoint "
                "signed with it covers your open entry");
  return [this](Event* e) -> Status {
    SR_ASSIGN_OR_RETURN(std::string reveal, ReadReveal(reveal_file));
    if (!server_url.empty()) {
      // Read once: it logs in twice (to read the open entry, to draw).
      SR_ASSIGN_OR_RETURN(secret.value, ReadSecret(secret, "Credential for " + e->actor + ": "));
      SR_RETURN_IF_ERROR(CheckOpenCovered(remote(), vkey, e->actor, secret, e->Field("inspection"), reveal));
      // strongroomd computes the sample from the reveal (and the sequencer
      // checks it, as it does a local draw's).
      return e->fields.Set("reveal", Json(Base64Encode(reveal)));
    }
    complete = [reveal](Store* store, const std::string&, const std::string&, Event* e,
                        std::vector<RowWrite>*) -> Status {
      return oversight::CompleteDrawFrom(store, reveal, e);
    };
    return OkStatus();
  };
}

void CommandLine::AddInspectionCommands() {
  CLI::App* group = Group("inspection");
  auto* show = group->add_subcommand("show", "an inspection: its sample, results and discrepancies");
  TargetOption(show, /*reads=*/true);
  JsonFlag(show);
  show->add_option("--inspection", id, "INSP-<index>")->required();
  show->callback([this] {
    handler_ = [this]() -> Result<Output> {
      Output o;
      SR_ASSIGN_OR_RETURN(o.data, target_->Inspection(id, reader()));
      o.text = oversight::InspectionLine(o.data);
      for (const auto& d : o.data["discrepancies"]) {
        o.text += "\n  " + d["holding"].get<std::string>() + ": " + d["result"].get<std::string>();
      }
      return o;
    };
  });

  auto* list = group->add_subcommand("list", "inspections, filtered");
  TargetOption(list, /*reads=*/true);
  JsonFlag(list);
  list->add_option("--status", status_filter, "open, drawn, closed or cancelled");
  list->add_option("--facility", facility);
  list->callback([this] {
    handler_ = [this]() -> Result<Output> {
      Output o;
      SR_ASSIGN_OR_RETURN(o.data, target_->Inspections(status_filter, facility, reader()));
      for (const Json& j : o.data["inspections"]) o.text += (o.text.empty() ? "" : "\n") + oversight::InspectionLine(j);
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
