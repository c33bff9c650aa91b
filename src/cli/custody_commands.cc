// The custody commands, generated from the event kinds' field tables: one
// command per kind that people submit (`holding check-out`, `person add`,
// ...), its options and their help from the fields, each value converted by
// the field's type. A new event kind gets its command for free; the few
// kinds whose client does more than fill in fields (enrolment, a signed
// acknowledgement, --imei) add it in ClientSteps() below.
#include <charconv>
#include <tuple>
#include <vector>

#include "cli/command_line.h"
#include "custody/kinds/describe.h"
#include "custody/kinds/kind.h"
#include "custody/signing.h"

namespace strongroom {
namespace {

// "holding.check_out" -> {"holding", "check-out"}.
std::pair<std::string, std::string> CommandName(const EventKind& kind) {
  const size_t dot = kind.name.find('.');
  std::string verb(kind.name.substr(dot + 1));
  for (char& c : verb) c = c == '_' ? '-' : c;
  return {std::string(kind.name.substr(0, dot)), verb};
}

std::string FlagOf(const FieldSpec& f) {
  std::string flag(f.flag.empty() ? f.name : f.flag);
  for (char& c : flag) c = c == '_' ? '-' : c;
  return "--" + flag;
}

// How the option of field `f` is written, and the field's note.
std::string OptionHelp(const FieldSpec& f) {
  std::string syntax;
  switch (f.type) {
    case FieldType::kIdList:
      syntax = "comma-separated IDs (- for none)";
      break;
    case FieldType::kTextList:
      syntax = "comma-separated texts";
      break;
    case FieldType::kStringMap:
      syntax = "NAME=VALUE,...";
      break;
    case FieldType::kBool:
      syntax = "on or off";
      break;
    case FieldType::kTime:
      syntax = "RFC 3339 UTC time, or a date";
      break;
    default:
      syntax = DescribeValue(f);
  }
  return f.note.empty() ? syntax : syntax + "; " + std::string(f.note);
}

// The JSON value of field `f` given as `text` on the command line.
Result<Json> OptionValue(const FieldSpec& f, const std::string& text) {
  const std::string flag = FlagOf(f);
  switch (f.type) {
    case FieldType::kIdList:
    case FieldType::kLongIdList:
    case FieldType::kTextList:
      // "-" is an empty list: person update --compartments - (none).
      return Json(text == "-" ? std::vector<std::string>{} : CommandLine::SplitList(text));
    case FieldType::kCount:
    case FieldType::kIndex: {
      int64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec != std::errc() || end != text.data() + text.size() || n < 0) {
        return InvalidArgument(flag + " takes a whole number, not '" + text + "'");
      }
      return Json(n);
    }
    case FieldType::kBool:
      if (text == "on" || text == "true") return Json(true);
      if (text == "off" || text == "false") return Json(false);
      return InvalidArgument(flag + " takes on or off, not '" + text + "'");
    case FieldType::kStringMap: {
      Json map = Json::object();
      for (const auto& pair : CommandLine::SplitList(text)) {
        const size_t eq = pair.find('=');
        if (eq == std::string::npos) {
          return InvalidArgument(flag + " takes NAME=VALUE pairs, comma-separated");
        }
        map[pair.substr(0, eq)] = pair.substr(eq + 1);
      }
      return map;
    }
    case FieldType::kObject: {
      auto j = ParseJson(text);
      if (!j.ok()) return InvalidArgument(flag + " takes a JSON object: " + j.status().message());
      return *j;
    }
    default:
      return Json(text);
  }
}

}  // namespace

CLI::App* CommandLine::Group(const std::string& name) {
  static const std::map<std::string, std::string> kHelp = {
      {"facility", "facilities"},        {"location", "storage locations"},
      {"person", "people"},              {"grant", "need-to-know grants"},
      {"holding", "holdings and their custody"}, {"request", "two-person requests"},
      {"record", "the record itself"},  {"credential", "your own credential and key"},
      {"inspection", "inspections and inventories"},
      {"detection", "detections of misused custody"}};
  for (CLI::App* group : app_.get_subcommands({})) {
    if (group->get_name() == name) return group;
  }
  auto help = kHelp.find(name);
  CLI::App* group = app_.add_subcommand(name, help == kHelp.end() ? name : help->second);
  group->require_subcommand(1);
  return group;
}

void CommandLine::AddCustodyCommands() {
  std::vector<std::tuple<const EventKind*, std::string, std::string>> commands;
  for (const EventKind* kind : AllKinds()) {
    if (kind->command.empty()) continue;
    const auto [group, verb] = CommandName(*kind);
    commands.emplace_back(kind, group, verb);
    // person rekey, by the name people look for it under.
    if (kind->type == EventType::kPersonRekey) commands.emplace_back(kind, "credential", "change");
  }
  for (const auto& command : commands) {
    const EventKind* kind = std::get<0>(command);
    CLI::App* c =
        Group(std::get<1>(command))->add_subcommand(std::get<2>(command), std::string(kind->command));
    TargetOption(c, /*reads=*/false);
    ActorOptions(c);
    JsonFlag(c);
    if (kind->max_holdings == 1) {
      CLI::Option* o =
          kind->numbered
              ? c->add_option("--id", holding, "the new holding's id (default: H-<log index>)")
              : c->add_option("--holding", holding, "the holding");
      if (!kind->numbered && kind->min_holdings > 0) o->required();
    } else if (kind->max_holdings > 1) {
      c->add_option("--holdings", holdings,
                    "comma-separated, " + std::to_string(kind->min_holdings) + " to " +
                        std::to_string(kind->max_holdings))
          ->required(kind->min_holdings > 0);
    }
    for (const FieldSpec& f : kind->fields) {
      if (f.derived) continue;
      CLI::Option* o = c->add_option(FlagOf(f), field_values_[std::string(f.name)], OptionHelp(f));
      if (f.required) o->required();
    }
    std::function<Status(Event*)> client_steps = ClientSteps(*kind, c);
    c->callback([this, kind, c, client_steps] {
      handler_ = [this, kind, c, client_steps]() -> Result<Output> {
        Event e;
        e.type = kind->type;
        e.actor = actor;
        if (kind->max_holdings == 1 && !holding.empty()) e.holdings = {holding};
        if (kind->max_holdings > 1) e.holdings = SplitList(holdings);
        Json fields = Json::object();
        for (const FieldSpec& f : kind->fields) {
          if (f.derived || c->count(FlagOf(f)) == 0) continue;
          const std::string& text = field_values_[std::string(f.name)];
          if (text.empty()) return InvalidArgument(FlagOf(f) + " needs a value");
          SR_ASSIGN_OR_RETURN(fields[std::string(f.name)], OptionValue(f, text));
        }
        SR_RETURN_IF_ERROR(SetFields(&e, fields));
        if (client_steps) SR_RETURN_IF_ERROR(client_steps(&e));
        Authority auth{approver.empty() ? actor : approver, secret, explain, complete};
        if (!remote_path.empty()) auth.remote_path = remote_path;
        auth.remote_body = remote_body;
        auth.enrolling = enrolling;
        auth.answer_extra = answer_extra;
        auth.code = enrolment_code;
        auth.new_secret = new_secret;
        auth.new_enrolment_code = new_enrolment_code;
        auto result = target_->Submit(std::move(e), auth);
        if (!result.ok() && on_failure) on_failure();
        return result;
      };
    });
  }
}

void CommandLine::IssueCode(Event* e) {
  (*answer_extra)["enrolment_code"] = IssueEnrolmentCode(e, SystemRandom());
  (*answer_extra)["enrolment_expires_in_hours"] = kEnrolmentLifetimeMicros / 3600000000;
}

std::function<Status(Event*)> CommandLine::ClientSteps(const EventKind& kind, CLI::App* c) {
  switch (kind.type) {
    case EventType::kPersonAdd:
      // The founding administrator's credential is the one they act with;
      // anyone else added gets a one-time enrolment code, with which they
      // set their own (person enrol).
      return [this](Event*) {
        complete = [this](Store*, const std::string&, const std::string& actor_secret, Event* e,
                          std::vector<RowWrite>* rows) -> Status {
          if (e->Field("person") == e->actor) {  // founding (the rules refuse it otherwise)
            SR_ASSIGN_OR_RETURN(RowWrite credential, Enrol(e, actor_secret, SystemRandom()));
            rows->push_back(std::move(credential));
            return OkStatus();
          }
          IssueCode(e);
          return OkStatus();
        };
        return OkStatus();
      };
    case EventType::kPersonUpdate:
      // A person who did not enrol in time gets a new code (the old one
      // stops working): shown once, as at person.add.
      c->add_flag("--new-enrolment-code", new_enrolment_code,
                  "issue a new one-time enrolment code to a person not yet enrolled");
      return [this](Event*) {
        if (!new_enrolment_code) return OkStatus();
        complete = [this](Store*, const std::string&, const std::string&, Event* e,
                          std::vector<RowWrite>*) -> Status {
          IssueCode(e);
          return OkStatus();
        };
        return OkStatus();
      };
    case EventType::kPersonEnrol:
      // The actor sets their own credential now (--credential-*), with the
      // code they were given.
      c->add_option("--code-fd", enrolment_code.fd,
                    "read the enrolment code from this file descriptor");
      c->add_option("--code-env", enrolment_code.env,
                    "read it from this environment variable (default: "
                    "STRONGROOM_ENROLMENT_CODE if set, else a prompt)");
      return [this](Event* e) {
        enrolling = true;
        remote_path = "api/v1/enrol";
        remote_body = Authority::RemoteBody::kEnrol;
        SR_RETURN_IF_ERROR(e->fields.Set("person", Json(e->actor)));
        complete = [this](Store*, const std::string&, const std::string& own_secret, Event* e,
                          std::vector<RowWrite>* rows) -> Status {
          SR_ASSIGN_OR_RETURN(std::string code,
                              ReadSecret(enrolment_code, "enrolment code for " + e->actor + ": "));
          SR_RETURN_IF_ERROR(e->fields.Set("code", Json(code)));
          SR_ASSIGN_OR_RETURN(RowWrite credential, Enrol(e, own_secret, SystemRandom()));
          rows->push_back(std::move(credential));
          return OkStatus();
        };
        return OkStatus();
      };
    case EventType::kPersonRekey:
      // A new credential (and key), signed with the current one's key.
      c->add_option("--new-credential-fd", new_secret.fd,
                    "read the new credential from this file descriptor");
      c->add_option("--new-credential-env", new_secret.env,
                    "read it from this environment variable (default: "
                    "STRONGROOM_NEW_CREDENTIAL if set, else a prompt)");
      return [this](Event* e) {
        remote_path = "api/v1/credential";
        remote_body = Authority::RemoteBody::kNewCredential;
        SR_RETURN_IF_ERROR(e->fields.Set("person", Json(e->actor)));
        complete = [this](Store*, const std::string&, const std::string&, Event* e,
                          std::vector<RowWrite>* rows) -> Status {
          SR_ASSIGN_OR_RETURN(std::string fresh,
                              ReadSecret(new_secret, "new credential for " + e->actor + ": "));
          SR_ASSIGN_OR_RETURN(RowWrite credential, Enrol(e, fresh, SystemRandom()));
          rows->push_back(std::move(credential));
          return OkStatus();
        };
        return OkStatus();
      };
    case EventType::kAcknowledge:
      return [this](Event*) {
        remote_path = "api/v1/holdings/" + holding + "/acknowledge";
        remote_body = Authority::RemoteBody::kCredential;
        // Signed for the copy's latest event, so it cannot be replayed.
        complete = [this](Store* store, const std::string& origin, const std::string& s, Event* e,
                          std::vector<RowWrite>*) -> Status {
          SR_ASSIGN_OR_RETURN(Event ack, Acknowledgement(store, holding, actor));
          e->basis = ack.basis;
          return SignAs(store, origin, actor, s, e);
        };
        return OkStatus();
      };
    case EventType::kHoldingRegister:
      c->add_option("--imei", imei, "the evidence item's IMEI (an identifier)");
      return [this](Event* e) {
        if (imei.empty()) return OkStatus();
        Json identifiers = Json::object();
        for (const auto& [name, value] : e->fields.Map("identifiers")) identifiers[name] = value;
        identifiers["imei"] = imei;
        return e->fields.Set("identifiers", identifiers);
      };
    case EventType::kInspectionOpen:
    case EventType::kInspectionDraw:
      return InspectionSteps(kind, c);
    default:
      return nullptr;
  }
}

}  // namespace strongroom
