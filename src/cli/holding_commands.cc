// holding show, holding list: reading holdings (the custody commands are
// generated: custody_commands.cc).
#include "base/encoding.h"
#include "cli/command_line.h"
#include "custody/model.h"
#include "custody/queries.h"

namespace strongroom {

void CommandLine::AddHoldingCommands() {
  CLI::App* holding_cmd = Group("holding");
  auto* show = holding_cmd->add_subcommand("show", "a holding with its custody chain");
  TargetOption(show, /*reads=*/true);
  JsonFlag(show);
  show->add_option("--holding", holding)->required();
  show->add_flag("--proofs", proofs, "include and check an inclusion proof for every event");
  show->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(Json chain, target_->HoldingChain(holding, proofs, reader()));
      return HoldingChainOutput(std::move(chain));
    };
  });

  auto* list = holding_cmd->add_subcommand("list", "holdings, filtered");
  TargetOption(list, /*reads=*/true);
  JsonFlag(list);
  list->add_option("--status", status_filter, "in_store, checked_out or destroyed");
  list->add_option("--kind", kind);
  list->add_option("--facility", facility);
  list->add_option("--holder", holder_filter);
  list->add_option("--case", case_number);
  list->add_option("--limit", limit);
  list->callback([this] {
    handler_ = [this]() -> Result<Output> {
      HoldingFilter f{status_filter, kind, facility, holder_filter, case_number, limit};
      SR_ASSIGN_OR_RETURN(Json list, target_->HoldingList(f, reader()));
      return HoldingListOutput(std::move(list));
    };
  });
}

}  // namespace strongroom
