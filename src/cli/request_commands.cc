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
  LogPassphraseOptions(rapp);
  rapp->add_option("--credential-env", secret.env, "read it from this environment variable");
  rapp->callback([this] {
    handler_ = [this]() -> Result<Output> { return target_->Approve(id, approver, secret); };
  });
  auto* rlist = request_cmd->add_subcommand("list", "pending requests");
  TargetOption(rlist, /*reads=*/true);
  JsonFlag(rlist);
  rlist->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(Json list, target_->OpenRequests(reader()));
      return RequestListOutput(std::move(list));
    };
  });

}

}  // namespace strongroom
