// strongroom detect: every finding due now raised as a detection.raise
// (each cause once), or, with --as-of, what was due at a past time,
// computed from the log alone and written nowhere; detection list. The
// reviews are the generated `detection review` command.
#include "base/clock.h"
#include "cli/command_line.h"
#include "custody/model.h"
#include "oversight/detection.h"
#include "oversight/inspection.h"
#include "verify/as_of.h"

namespace strongroom {
namespace {

Json FindingJson(const oversight::Finding& f) {
  return {{"id", oversight::DetectionId(f.rule, f.cause)},
          {"rule", f.rule},
          {"cause", f.cause},
          {"holding", f.holding},
          {"subject", f.subject},
          {"facility", f.facility},
          {"severity", f.severity}};
}

std::string FindingLine(const oversight::Finding& f) {
  return oversight::DetectionId(f.rule, f.cause) + " " + f.rule + " " + f.cause + " (" + f.severity +
         (f.subject.empty() ? "" : ", concerns " + f.subject) + ")";
}

Result<bool> Raised(Store* store, const oversight::Finding& f) {
  SR_ASSIGN_OR_RETURN(auto row, store->GetRow(kOversightTable, {oversight::DetectionId(f.rule, f.cause)}));
  return row.has_value();
}

Event RaiseEvent(const std::string& actor, const oversight::Finding& f) {
  Event e;
  e.type = EventType::kDetectionRaise;
  e.actor = actor;
  if (!f.holding.empty()) e.holdings = {f.holding};
  Json fields = {{"rule", f.rule}, {"cause", f.cause}, {"facility", f.facility}, {"severity", f.severity}};
  if (!f.subject.empty()) fields["subject"] = f.subject;
  SR_CHECK(SetFields(&e, fields).ok());  // the rules' own values
  return e;
}

}  // namespace

void CommandLine::AddDetectionCommands() {
  auto* detect = app_.add_subcommand(
      "detect", "raise every detection due now (each cause once); --as-of: what was due then, "
                "from the log alone, writing nothing");
  DataOption(detect);
  JsonFlag(detect);
  LogPassphraseOptions(detect);
  detect->add_option("--actor", actor, "the inspector or security manager who raises them");
  detect->add_option("--credential-fd", secret.fd, "read the actor's credential from this file descriptor");
  detect->add_option("--credential-env", secret.env, "read it from this environment variable");
  detect->add_option("--as-of", as_of, "an RFC 3339 UTC time: compute, do not raise");
  detect->callback([this] {
    handler_ = [this]() -> Result<Output> {
      Output o;
      if (!as_of.empty()) {
        SR_ASSIGN_OR_RETURN(const int64_t at, ParseRfc3339(as_of));
        SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
        SR_ASSIGN_OR_RETURN(StateAsOf then, RebuildAsOf(data->store(), data->origin(), at));
        SR_ASSIGN_OR_RETURN(auto due, oversight::Due(then.projection.get(), at));
        o.data = {{"as_of", as_of}, {"tree_size", then.tree_size}, {"due", Json::array()}};
        o.text = "as of " + as_of + " (the log's first " + std::to_string(then.tree_size) +
                 " entries): " + std::to_string(due.size()) + " due";
        for (const auto& f : due) {
          SR_ASSIGN_OR_RETURN(bool raised, Raised(then.projection.get(), f));
          Json j = FindingJson(f);
          j["raised_by_then"] = raised;
          o.data["due"].push_back(std::move(j));
          o.text += "\n  " + FindingLine(f) + (raised ? " [raised]" : " [not raised]");
        }
        return o;
      }
      if (actor.empty()) return InvalidArgument("detect raises as --actor PERSON (or give --as-of)");
      std::vector<Event> events;
      std::vector<oversight::Finding> raising;
      {
        SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
        SR_ASSIGN_OR_RETURN(auto due, oversight::Due(data->store(), SystemClock()->Now()));
        for (auto& f : due) {
          SR_ASSIGN_OR_RETURN(bool raised, Raised(data->store(), f));
          if (raised) continue;
          events.push_back(RaiseEvent(actor, f));
          raising.push_back(std::move(f));
        }
      }
      o.data = {{"raised", Json::array()}, {"refused", Json::array()}};
      size_t raised = 0;
      if (!events.empty()) {
        Authority auth{actor, secret};
        auth.log_passphrase = LogPassphrase();
        SR_ASSIGN_OR_RETURN(auto receipts, SubmitAll(dir, std::move(events), auth));
        for (size_t i = 0; i < receipts.size(); ++i) {
          Json j = FindingJson(raising[i]);
          if (!receipts[i].ok()) {
            j["error"] = receipts[i].status().message();
            o.data["refused"].push_back(std::move(j));
            continue;
          }
          if (receipts[i]->outcome == Outcome::kDenied) {
            return PermissionDenied(DeniedSentence(receipts[i]->reasons, receipts[i]->index));
          }
          j["index"] = receipts[i]->index;
          o.data["raised"].push_back(std::move(j));
          o.text += (raised++ ? "\n" : "") + FindingLine(raising[i]) + " raised at entry " +
                    std::to_string(receipts[i]->index);
        }
      }
      if (raised == 0) o.text = "nothing new is due";
      return o;
    };
  });

  CLI::App* group = Group("detection");
  auto* list = group->add_subcommand("list", "detections, filtered");
  DataOption(list);
  JsonFlag(list);
  list->add_option("--status", status_filter, "raised, acknowledged, dismissed or escalated");
  list->add_option("--facility", facility);
  list->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      Output o;
      o.data = Json::array();
      SR_RETURN_IF_ERROR(oversight::ForEachOversightRecord(
          data->store(), oversight::kDetectionKind, status_filter, facility,
          [&](const OversightRecord& r) -> Status {
        Json j = r.body;
        j["id"] = r.id;
        j["status"] = r.status;
        j["subject"] = r.subject;
        j["facility"] = r.facility;
        j["index"] = r.index;
        o.text += (o.text.empty() ? "" : "\n") + r.id + " " + r.status + " " +
                  r.body.value("rule", "") + " " + r.body.value("cause", "") + " (" +
                  r.body.value("severity", "") + ")";
        o.data.push_back(std::move(j));
        return OkStatus();
      }));
      if (o.text.empty()) o.text = "no detections";
      return o;
    };
  });
}

}  // namespace strongroom
