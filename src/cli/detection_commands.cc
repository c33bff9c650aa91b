// strongroom detect: every finding due now raised as a detection.raise
// (each cause once), or, with --as-of, what was due at a past time,
// computed from the log alone and written nowhere; detection list. The
// reviews are the generated `detection review` command.
#include "cli/command_line.h"
#include "oversight/views.h"

namespace strongroom {

void CommandLine::AddDetectionCommands() {
  auto* detect = app_.add_subcommand(
      "detect", "raise every detection due now (each cause once); --as-of: what was due then, "
                "from the log alone, writing nothing");
  TargetOption(detect, /*reads=*/false);
  JsonFlag(detect);
  LogPassphraseOptions(detect);
  detect->add_option("--actor", actor,
                     "the inspector or security manager who raises them (with --server, also "
                     "who reads --as-of)");
  detect->add_option("--credential-fd", secret.fd, "read the actor's credential from this file descriptor");
  detect->add_option("--credential-env", secret.env, "read it from this environment variable");
  detect->add_option("--as-of", as_of, "an RFC 3339 UTC time: compute, do not raise");
  detect->callback([this] {
    handler_ = [this]() -> Result<Output> {
      Output o;
      if (as_of.empty() && actor.empty()) {
        return InvalidArgument("detect raises as --actor PERSON (or give --as-of)");
      }
      SR_ASSIGN_OR_RETURN(o.data, target_->Detect(as_of, {actor, secret}));
      if (!as_of.empty()) {
        o.text = "as of " + as_of + " (the log's first " + std::to_string(o.data["tree_size"].get<uint64_t>()) +
                 " entries): " + std::to_string(o.data["due"].size()) + " due";
        for (const Json& j : o.data["due"]) {
          o.text += "\n  " + j["id"].get<std::string>() + " " + j["rule"].get<std::string>() + " " +
                    j["cause"].get<std::string>() + " (" + j["severity"].get<std::string>() + ")" +
                    (j["raised_by_then"].get<bool>() ? " [raised]" : " [not raised]");
        }
        return o;
      }
      for (const Json& j : o.data["raised"]) {
        o.text += (o.text.empty() ? "" : "\n") + oversight::FindingLine(j) + " raised at entry " +
                  std::to_string(j["index"].get<uint64_t>());
      }
      for (const Json& j : o.data["refused"]) {
        o.text += (o.text.empty() ? "" : "\n") + oversight::FindingLine(j) + " not raised: " +
                  j["error"].get<std::string>();
      }
      if (o.text.empty()) o.text = "nothing new is due";
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
