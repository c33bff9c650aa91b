// holding ...: custody of documents, evidence and containers.
#include <chrono>

#include "base/encoding.h"
#include "base/file.h"
#include "cli/command_line.h"
#include "custody/model.h"
#include "custody/queries.h"
#include "custody/signing.h"

namespace strongroom {

void CommandLine::AddHoldingCommands() {
  auto* holding_cmd = app_.add_subcommand("holding", "holdings and their custody");
  holding_cmd->require_subcommand(1);
  auto* reg = Custody(holding_cmd, "register", "register a document or evidence item",
                      EventType::kHoldingRegister, [this](Event* e) {
                        if (!id.empty()) e->holdings = {id};
                        Put(e, "kind", kind);
                        Put(e, "title", title);
                        Put(e, "location", location);
                        Put(e, "classification", classification);
                        if (!compartments.empty())
                          e->fields["compartments"] = SplitList(compartments);
                        Put(e, "originator", originator);
                        if (copy_number) e->fields["copy_number"] = copy_number;
                        if (copies_total) e->fields["copies_total"] = copies_total;
                        Put(e, "case_number", case_number);
                        Put(e, "item_type", item_type);
                        if (!imei.empty()) e->fields["identifiers"] = {{"imei", imei}};
                        Put(e, "seized_at", seized_at);
                        Put(e, "seized_place", seized_place);
                        Put(e, "disposition", disposition);
                        Put(e, "disposition_due", disposition_due);
                        if (!caveats.empty()) e->fields["caveats"] = SplitList(caveats);
                        if (!releasable_to.empty())
                          e->fields["releasable_to"] = SplitList(releasable_to);
                        return OkStatus();
                      });
  reg->add_option("--caveats", caveats, "comma-separated handling caveats");
  reg->add_option("--releasable-to", releasable_to, "comma-separated nationalities");
  reg->add_option("--id", id, "holding id (default: H-<log index>)");
  reg->add_option("--kind", kind, "document, evidence or container")->required();
  reg->add_option("--title", title)->required();
  reg->add_option("--location", location)->required();
  reg->add_option("--classification", classification);
  reg->add_option("--compartments", compartments);
  reg->add_option("--originator", originator);
  reg->add_option("--copy", copy_number, "copy number N (of M)");
  reg->add_option("--copies", copies_total, "number of copies M");
  reg->add_option("--case", case_number);
  reg->add_option("--item-type", item_type);
  reg->add_option("--imei", imei);
  reg->add_option("--seized-at", seized_at);
  reg->add_option("--seized-place", seized_place);
  reg->add_option("--disposition", disposition, "destroy, return or retain");
  reg->add_option("--disposition-due", disposition_due);

  auto holding_custody = [&](const char* verb, const char* help, EventType type,
                             std::function<void(Event*)> fill) {
    auto* c = Custody(holding_cmd, verb, help, type, [this, fill](Event* e) {
      e->holdings = {holding};
      fill(e);
      return OkStatus();
    });
    c->add_option("--holding", holding)->required();
    return c;
  };
  auto* co = holding_custody("check-out", "issue a holding to a person", EventType::kCheckOut,
                             [this](Event* e) {
                               Put(e, "to", to);
                               Put(e, "purpose", purpose);
                               Put(e, "due_back", due_back);
                             });
  co->add_option("--to", to)->required();
  co->add_option("--purpose", purpose)->required();
  co->add_option("--due-back", due_back, "RFC 3339 time or date")->required();
  auto* ci = holding_custody("check-in", "receive a holding back", EventType::kCheckIn,
                             [this](Event* e) { Put(e, "location", location); });
  ci->add_option("--location", location, "where it is stored (default: where it was)");
  auto* tr = holding_custody("transfer", "hand a checked-out holding to another person",
                             EventType::kTransfer, [this](Event* e) { Put(e, "to", to); });
  tr->add_option("--to", to)->required();
  auto* mv = holding_custody("move", "move a holding within its facility", EventType::kMove,
                             [this](Event* e) { Put(e, "location", location); });
  mv->add_option("--location", location)->required();
  auto* de =
      holding_custody("destroy", "destroy a holding (opens a request; a witness approves it)",
                      EventType::kDestroy, [this](Event* e) { Put(e, "method", method); });
  de->add_option("--method", method)->required();
  auto* sl = holding_custody("seal", "seal a holding (a container: with its contents)",
                             EventType::kSeal, [this](Event* e) {
                               Put(e, "seal", seal);
                               if (!contents.empty()) e->fields["contents"] = SplitList(contents);
                             });
  sl->add_option("--seal", seal, "the seal number")->required();
  sl->add_option("--contents", contents, "comma-separated holdings sealed inside");
  auto* us = holding_custody("unseal", "break a seal, recording what it read and its state",
                             EventType::kUnseal, [this](Event* e) {
                               Put(e, "seal", seal);
                               Put(e, "condition", condition);
                             });
  us->add_option("--seal", seal, "the seal number as read")->required();
  us->add_option("--condition", condition, "intact or broken")->required();
  auto multi = [&](const char* verb, const char* help, EventType type,
                   std::function<void(Event*)> fill) {
    auto* c = Custody(holding_cmd, verb, help, type, [this, fill](Event* e) {
      e->holdings = SplitList(holdings);
      fill(e);
      return OkStatus();
    });
    c->add_option("--holdings", holdings, "comma-separated")->required();
    return c;
  };
  auto* dsp = multi("dispatch", "send holdings to another facility", EventType::kDispatch,
                    [this](Event* e) {
                      Put(e, "to_facility", facility);
                      Put(e, "courier", courier);
                    });
  dsp->add_option("--to-facility", facility)->required();
  dsp->add_option("--courier", courier)->required();
  auto* rcv = multi("receive", "receive a dispatch (the holdings that arrived)",
                    EventType::kReceive, [this](Event* e) {
                      Put(e, "dispatch", id);
                      Put(e, "location", location);
                      if (!seals.empty()) {
                        Json m = Json::object();
                        for (const auto& pair : SplitList(seals)) {
                          auto eq = pair.find('=');
                          m[pair.substr(0, eq)] =
                              eq == std::string::npos ? "" : pair.substr(eq + 1);
                        }
                        e->fields["seals"] = m;
                      }
                      Put(e, "note", note);
                    });
  rcv->add_option("--dispatch", id, "D-<index>")->required();
  rcv->add_option("--location", location)->required();
  rcv->add_option("--seals", seals, "seal numbers as read: HOLDING=SEAL,...");
  rcv->add_option("--note", note);
  auto* rep = holding_custody("reproduce", "make copies (numbers continue the series)",
                              EventType::kReproduce, [this](Event* e) {
                                e->fields["copies"] = copies;
                                Put(e, "location", location);
                              });
  rep->add_option("--copies", copies)->required();
  rep->add_option("--location", location);
  auto* dis = holding_custody("distribute", "issue numbered copies to units",
                              EventType::kDistribute, [this](Event* e) {
                                e->fields["units"] = SplitList(units);
                                Put(e, "return_by", return_by);
                              });
  dis->add_option("--units", units, "comma-separated unit names")->required();
  dis->add_option("--return-by", return_by)->required();
  holding_custody("acknowledge", "acknowledge receipt of a distributed copy (signed)",
                  EventType::kAcknowledge, [this](Event*) {
                    remote_path = "api/v1/holdings/" + holding + "/acknowledge";
                    remote_signed = true;
                    // Signed for the copy's latest event, so it cannot be replayed.
                    complete = [this](Store* store, const std::string& origin, const std::string& s,
                                      Event* e, std::vector<RowWrite>*) -> Status {
                      SR_ASSIGN_OR_RETURN(Event ack, Acknowledgement(store, holding, actor));
                      e->basis = ack.basis;
                      return SignAs(store, origin, actor, s, e);
                    };
                  });
  auto* rec =
      holding_custody("recall", "take a distributed copy back into store", EventType::kRecall,
                      [this](Event* e) { Put(e, "location", location); });
  rec->add_option("--location", location);
  auto* rel = holding_custody("release", "release evidence to its owner or by court order",
                              EventType::kRelease, [this](Event* e) {
                                Put(e, "to", to);
                                Put(e, "recipient", recipient);
                                Put(e, "court_order", court_order);
                              });
  rel->add_option("--to", to, "owner or court")->required();
  rel->add_option("--recipient", recipient)->required();
  rel->add_option("--court-order", court_order);
  auto* ins = holding_custody("inspect", "record an inspection of a holding", EventType::kInspect,
                              [this](Event* e) {
                                Put(e, "result", inspection);
                                Put(e, "note", note);
                              });
  ins->add_option("--result", inspection, "seen, missing or seal_broken")->required();
  ins->add_option("--note", note);

  auto* show = holding_cmd->add_subcommand("show", "a holding with its custody chain");
  TargetOption(show, /*reads=*/true);
  JsonFlag(show);
  show->add_option("--holding", holding)->required();
  show->add_flag("--proofs", proofs, "include and check an inclusion proof for every event");
  show->callback([this] {
    handler_ = [this]() -> Result<Output> {
      if (server_url.empty()) return HoldingChain(dir, holding, proofs);
      SR_ASSIGN_OR_RETURN(Json chain, RemoteJson("api/v1/holdings/" + QueryEscape(holding) +
                                                     (proofs ? "?proofs=true" : ""),
                                                 true));
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
      if (!server_url.empty()) {
        std::string query;
        for (const auto& [key, value] :
             std::vector<std::pair<std::string, std::string>>{{"status", status_filter},
                                                              {"kind", kind},
                                                              {"facility", facility},
                                                              {"holder", holder_filter},
                                                              {"case", case_number}}) {
          if (!value.empty()) query += (query.empty() ? "?" : "&") + key + "=" + QueryEscape(value);
        }
        if (limit)
          query += (query.empty() ? "?" : "&") + std::string("limit=") + std::to_string(limit);
        SR_ASSIGN_OR_RETURN(Json list, RemoteJson("api/v1/holdings" + query, true));
        return HoldingListOutput(std::move(list));
      }
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      HoldingFilter f{status_filter, kind, facility, holder_filter, case_number, limit};
      SR_ASSIGN_OR_RETURN(Json list, HoldingListData(data->store(), f));
      return HoldingListOutput(std::move(list));
    };
  });
}

}  // namespace strongroom
