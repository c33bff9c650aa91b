// request approve, request list: two-person requests (the custody commands
// are generated: custody_commands.cc).
#include <chrono>

#include "auth/credentials.h"
#include "base/encoding.h"
#include "base/file.h"
#include "cli/command_line.h"
#include "custody/model.h"
#include "custody/queries.h"
#include "custody/signing.h"

namespace strongroom {

void CommandLine::AddRequestCommands() {
  CLI::App* request_cmd = Group("request");
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

}

}  // namespace strongroom
