// facility, location, person, grant, request, record: the organisation.
#include <chrono>

#include "auth/credentials.h"
#include "base/encoding.h"
#include "base/file.h"
#include "cli/command_line.h"
#include "custody/model.h"
#include "custody/queries.h"
#include "custody/signing.h"

namespace strongroom {

void CommandLine::AddPeopleCommands() {
  auto* facility_cmd = app_.add_subcommand("facility", "facilities");
  facility_cmd->require_subcommand(1);
  auto* fadd =
      Custody(facility_cmd, "add", "add a facility", EventType::kFacilityAdd, [this](Event* e) {
        Put(e, "facility", id);
        Put(e, "name", name);
        return OkStatus();
      });
  fadd->add_option("--id", id)->required();
  fadd->add_option("--name", name)->required();

  auto* location_cmd = app_.add_subcommand("location", "storage locations");
  location_cmd->require_subcommand(1);
  auto* ladd =
      Custody(location_cmd, "add", "add a location", EventType::kLocationAdd, [this](Event* e) {
        Put(e, "location", id);
        Put(e, "facility", facility);
        Put(e, "name", name);
        Put(e, "kind", kind);
        return OkStatus();
      });
  ladd->add_option("--id", id)->required();
  ladd->add_option("--facility", facility)->required();
  ladd->add_option("--name", name)->required();
  ladd->add_option("--kind", kind, "vault, safe, shelf, bin or room")->required();

  auto* person_cmd = app_.add_subcommand("person", "people");
  person_cmd->require_subcommand(1);
  auto* padd = Custody(person_cmd, "add", "add a person", EventType::kPersonAdd, [this](Event* e) {
    Put(e, "person", id);
    Put(e, "name", name);
    Put(e, "unit", unit);
    e->fields["roles"] = SplitList(roles);
    Put(e, "clearance", clearance);
    if (!compartments.empty()) e->fields["compartments"] = SplitList(compartments);
    if (!caveats.empty()) e->fields["caveats"] = SplitList(caveats);
    Put(e, "nationality", nationality);
    Put(e, "facility", facility);
    remote_enrol = true;
    // The new person's own credential seals their new personal key; the
    // founding administrator's is the one they act with.
    complete = [this](Store*, const std::string&, const std::string& actor_secret, Event* e,
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
  auto* pupd = Custody(person_cmd, "update", "change a person's unit, roles, clearance, ...",
                       EventType::kPersonUpdate, [this](Event* e) {
                         Put(e, "person", id);
                         Put(e, "name", name);
                         Put(e, "unit", unit);
                         if (!roles.empty()) e->fields["roles"] = SplitList(roles);
                         Put(e, "clearance", clearance);
                         if (!compartments.empty())
                           e->fields["compartments"] =
                               SplitList(compartments == "-" ? "" : compartments);
                         if (!caveats.empty())
                           e->fields["caveats"] = SplitList(caveats == "-" ? "" : caveats);
                         Put(e, "nationality", nationality);
                         Put(e, "facility", facility);
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
    auto* c = Custody(person_cmd, verb, help, type, [this](Event* e) {
      Put(e, "person", id);
      Put(e, "reason", reason);
      return OkStatus();
    });
    c->add_option("--id", id)->required();
    c->add_option("--reason", reason)->required();
  }

  auto* grant_cmd = app_.add_subcommand("grant", "need-to-know grants");
  grant_cmd->require_subcommand(1);
  auto* gadd =
      Custody(grant_cmd, "add", "grant need-to-know", EventType::kGrantAdd, [this](Event* e) {
        Put(e, "person", id);
        Put(e, "scope", scope);
        Put(e, "target", target);
        Put(e, "expires", expires);
        return OkStatus();
      });
  gadd->add_option("--person", id)->required();
  gadd->add_option("--scope", scope, "holding, case or compartment")->required();
  gadd->add_option("--target", target, "the holding, case number or compartment")->required();
  gadd->add_option("--expires", expires, "RFC 3339 time or date")->required();
  auto* grev =
      Custody(grant_cmd, "revoke", "revoke a grant", EventType::kGrantRevoke, [this](Event* e) {
        Put(e, "grant", id);
        Put(e, "reason", reason);
        return OkStatus();
      });
  grev->add_option("--grant", id)->required();
  grev->add_option("--reason", reason)->required();

  auto* fctl =
      Custody(facility_cmd, "control", "put a facility under heightened control, or end it",
              EventType::kFacilityControl, [this](Event* e) {
                Put(e, "facility", id);
                if (on_off != "on" && on_off != "off") {
                  return InvalidArgument("--heightened takes on or off");
                }
                e->fields["heightened"] = on_off == "on";
                Put(e, "reason", reason);
                return OkStatus();
              });
  fctl->add_option("--facility", id)->required();
  fctl->add_option("--heightened", on_off, "on or off")->required();
  fctl->add_option("--reason", reason)->required();

  auto* request_cmd = app_.add_subcommand("request", "two-person requests");
  request_cmd->require_subcommand(1);
  auto* rapp =
      request_cmd->add_subcommand("approve", "approve a pending request as the second person");
  TargetOption(rapp, /*reads=*/false);
  JsonFlag(rapp);
  rapp->add_option("--request", id, "R-<index>")->required();
  rapp->add_option("--actor", approver, "the approving person")->required();
  rapp->add_option("--credential-fd", secret.fd, "read the approver's credential from this fd");
  rapp->add_option("--credential-env", secret.env, "read it from this environment variable");
  rapp->callback([this] {
    handler_ = [this]() -> Result<Output> {
      if (!server_url.empty()) {
        Authority auth{approver, secret, false, nullptr};
        auth.remote_path = "api/v1/requests/" + id + "/approve";
        auth.remote_signed = true;
        return RemoteSubmit(remote(), Event(), auth);
      }
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      SR_ASSIGN_OR_RETURN(Event e, RequestedEvent(data->store(), id));
      data.reset();
      Authority auth{
          approver, secret, false,
          [this](Store* store, const std::string& origin, const std::string& s, Event* e,
                 std::vector<RowWrite>*) { return SignAs(store, origin, approver, s, e); }};
      return Submit(dir, std::move(e), auth);
    };
  });
  auto* rcan = Custody(request_cmd, "cancel", "cancel a pending request", EventType::kRequestCancel,
                       [this](Event* e) {
                         Put(e, "request", id);
                         Put(e, "reason", reason);
                         return OkStatus();
                       });
  rcan->add_option("--request", id)->required();
  rcan->add_option("--reason", reason)->required();
  auto* rlist = request_cmd->add_subcommand("list", "pending requests");
  TargetOption(rlist, /*reads=*/true);
  JsonFlag(rlist);
  rlist->callback([this] {
    handler_ = [this]() -> Result<Output> {
      if (!server_url.empty()) {
        SR_ASSIGN_OR_RETURN(Json list, RemoteJson("api/v1/requests", true));
        return RequestListOutput(std::move(list));
      }
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      SR_ASSIGN_OR_RETURN(Json list, OpenRequestsData(data->store()));
      return RequestListOutput(std::move(list));
    };
  });

  auto* record_cmd = app_.add_subcommand("record", "the record itself");
  record_cmd->require_subcommand(1);
  auto* corr =
      Custody(record_cmd, "correct", "annotate an erroneous entry (history is never edited)",
              EventType::kCorrect, [this](Event* e) {
                e->fields["corrects"] = entry_index;
                Put(e, "reason", reason);
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
}

}  // namespace strongroom
