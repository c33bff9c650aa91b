// Transport between facilities: holding.dispatch, holding.receive.
#include <algorithm>

#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

using policy::Action;

Status CheckDispatch(Decision& d) {
  const Event& e = d.event();
  const Facility* to = d.state().facility(e.Field("to_facility"));
  if (!to) return NotFound("facility " + e.Field("to_facility") + " does not exist");
  std::string from;
  for (const auto& id : e.holdings) {
    SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), id));
    SR_RETURN_IF_ERROR(InStore(*h, "dispatch"));
    if (!from.empty() && h->facility != from) {
      return InvalidArgument("a dispatch leaves one facility; " + id + " is in " + h->facility);
    }
    from = h->facility;
    if (from == to->id) return InvalidArgument(id + " is already in facility " + to->id);
    d.AskOnHolding(Action::kDispatch, *h);
  }
  return OkStatus();
}

void ApplyDispatch(const Event& e, int64_t index, Projection* s) {
  Dispatch d;
  d.id = RecordId('D', static_cast<uint64_t>(index));
  d.to_facility = e.Field("to_facility");
  d.courier = e.Field("courier");
  d.items = e.holdings;
  d.dispatched_by = e.actor;
  d.dispatched_at = e.time;
  for (const auto& id : e.holdings) {
    UpdateHolding(s, id, index, [&](Holding& h) {
      d.from_facility = h.facility;
      if (LevelRank(h.classification).value() > LevelRank(d.classification).value()) {
        d.classification = h.classification;
      }
      if (!h.seal.empty()) d.seals[id] = h.seal;
      NoteLateCustody(e, h);
      h.status = HoldingStatus::kInTransit;
      h.dispatch = d.id;
      h.destination = d.to_facility;
    });
  }
  s->Put(std::move(d));
}

Status CheckReceive(Decision& d) {
  const Event& e = d.event();
  const Dispatch* dispatch = d.state().dispatch(e.Field("dispatch"));
  if (!dispatch) return NotFound("dispatch " + e.Field("dispatch") + " does not exist");
  if (dispatch->status != DispatchStatus::kInTransit) {
    return FailedPrecondition("dispatch " + dispatch->id + " was received");
  }
  SR_RETURN_IF_ERROR(NeedLocation(d.state(), e.Field("location"), dispatch->to_facility).status());
  for (const auto& id : e.holdings) {
    if (std::find(dispatch->items.begin(), dispatch->items.end(), id) == dispatch->items.end()) {
      return InvalidArgument(id + " is not on the manifest of " + dispatch->id +
                             "; register or dispatch it separately");
    }
    SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), id));
    d.AskOnHolding(Action::kReceive, *h);
  }
  for (const auto& [holding, seal] : e.fields.Map("seals")) {
    if (std::find(e.holdings.begin(), e.holdings.end(), holding) == e.holdings.end()) {
      return InvalidArgument("seal reported for " + holding + ", which is not received");
    }
  }
  return OkStatus();
}

void ApplyReceive(const Event& e, int64_t index, Projection* s) {
  Dispatch d = *s->dispatch(e.Field("dispatch"));
  d.received_at = e.time;
  const StringMap& seals = e.fields.Map("seals");
  const std::map<std::string, std::string> read(seals.begin(), seals.end());
  const std::string at = AtEntry(index);
  for (const auto& id : d.items) {
    const bool received = std::find(e.holdings.begin(), e.holdings.end(), id) != e.holdings.end();
    UpdateHolding(s, id, index, [&](Holding& h) {
      if (!received) {
        d.discrepancies.push_back(id + " missing from the consignment");
        h.flags.push_back("missing on receipt of " + d.id + at);
        return;
      }
      h.status = HoldingStatus::kInStore;
      h.facility = d.to_facility;
      h.location = e.Field("location");
      h.dispatch.clear();
      h.destination.clear();
      auto sent = d.seals.find(id);
      auto got = read.find(id);
      if (sent != d.seals.end() && got == read.end()) {
        d.discrepancies.push_back(id + ": seal " + sent->second + " not reported at receipt");
        h.flags.push_back("seal " + sent->second + " not reported at receipt of " + d.id + at);
      } else if (got != read.end() && (sent == d.seals.end() || got->second != sent->second)) {
        const std::string was = sent == d.seals.end() ? "no seal" : "seal " + sent->second;
        d.discrepancies.push_back(id + ": seal reads " + got->second + ", dispatched with " + was);
        h.flags.push_back("seal reads " + got->second + " at receipt of " + d.id +
                          ", dispatched with " + was + at);
        h.seal = got->second;
      }
    });
  }
  d.received_by = e.actor;
  d.status = d.discrepancies.empty() ? DispatchStatus::kReceived
                                    : DispatchStatus::kReceivedWithDiscrepancies;
  s->Put(std::move(d));
}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kDispatch,
     .name = "holding.dispatch",
     .command = "send holdings to another facility",
     .fields = {{"to_facility", FieldType::kId, true, Ref::kFacility},
                Sealed({"courier", FieldType::kText, true})},
     .min_holdings = 1,
     .max_holdings = 256,
     .check = CheckDispatch,
     .apply = ApplyDispatch,
     .note = "holdings: the manifest, in store in one facility; the dispatch's id is `D-<index>`"},
    {.type = EventType::kReceive,
     .name = "holding.receive",
     .command = "receive a dispatch (the holdings that arrived)",
     .fields = {{"dispatch", FieldType::kId, true, Ref::kDispatch},
                {"location", FieldType::kId, true, Ref::kLocation, {}, "at the destination"},
                {"seals", FieldType::kStringMap, false, Ref::kNone, {}, "{holding: seal as read}"},
                Sealed({"note", FieldType::kText, false})},
     .min_holdings = 1,
     .max_holdings = 256,
     .check = CheckReceive,
     .apply = ApplyReceive,
     .note = "holdings: those that arrived; missing items and seal mismatches are recorded on "
             "the dispatch and flagged on the items"},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> DispatchKinds() { return Kinds(); }

}  // namespace strongroom
