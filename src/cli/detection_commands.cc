// strongroom detect: every finding due now raised as a detection.raise
// (each cause once), or, with --as-of, what was due at a past time,
// computed from the log alone and written nowhere; detection list. The
// reviews are the generated `detection review` command.
#include "base/clock.h"
#include "cli/command_line.h"
#include "custody/model.h"
#include "oversight/detection.h"
#include "oversight/inspection.h"
#include "oversight/views.h"
#include "verify/as_of.h"

namespace strongroom {

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
        SR_ASSIGN_OR_RETURN(o.data, DueAsOf(data->store(), data->origin(), at));
        o.text = "as of " + as_of + " (the log's first " + std::to_string(o.data["tree_size"].get<uint64_t>()) +
                 " entries): " + std::to_string(o.data["due"].size()) + " due";
        for (const Json& j : o.data["due"]) {
          o.text += "\n  " + j["id"].get<std::string>() + " " + j["rule"].get<std::string>() + " " +
                    j["cause"].get<std::string>() + " (" + j["severity"].get<std::string>() + ")" +
                    (j["raised_by_then"].get<bool>() ? " [raised]" : " [not raised]");
        }
        return o;
      }
      if (actor.empty()) return InvalidArgument("detect raises as --actor PERSON (or give --as-of)");
      std::vector<Event> events;
      std::vector<oversight::Finding> raising;
      {
        SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
        SR_ASSIGN_OR_RETURN(raising, oversight::Unraised(data->store(), SystemClock()->Now()));
        for (const auto& f : raising) events.push_back(oversight::RaiseEvent(actor, f));
      }
      o.data = {{"raised", Json::array()}, {"refused", Json::array()}};
      size_t raised = 0;
      if (!events.empty()) {
        Authority auth{actor, secret};
        auth.log_passphrase = LogPassphrase();
        SR_ASSIGN_OR_RETURN(auto receipts, SubmitAll(dir, std::move(events), auth));
        for (size_t i = 0; i < receipts.size(); ++i) {
          Json j = oversight::FindingJson(raising[i]);
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
          o.text += (raised++ ? "\n" : "") + oversight::FindingLine(raising[i]) + " raised at entry " +
                    std::to_string(receipts[i]->index);
        }
      }
      if (raised == 0) o.text = "nothing new is due";
      return o;
    };
  });

  CLI::App* group = Group("detection");
  auto* list = group->add_subcommand("list", "detections, filtered");
  TargetOption(list, /*reads=*/true);
  JsonFlag(list);
  list->add_option("--status", status_filter, "raised, acknowledged, dismissed or escalated");
  list->add_option("--facility", facility);
  list->callback([this] {
    handler_ = [this]() -> Result<Output> {
      Output o;
      SR_ASSIGN_OR_RETURN(o.data, target_->Detections(status_filter, facility, reader()));
      for (const Json& d : o.data["detections"]) {
        o.text += (o.text.empty() ? "" : "\n") + oversight::DetectionLine(d);
      }
      if (o.text.empty()) o.text = "no detections";
      return o;
    };
  });
}

}  // namespace strongroom
