// Copies of documents: holding.reproduce, holding.distribute,
// holding.acknowledge, holding.recall.
#include <algorithm>

#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

using policy::Action;

inline constexpr int64_t kMostCopies = 100;

std::string SeriesRoot(const Holding& h) { return h.copy_of.empty() ? h.id : h.copy_of; }

// The ids of the copies a reproduce / distribute event creates:
// "<original>-C<n>", numbers continuing the series.
Strings NewCopies(const Event& e, const Projection& s) {
  const Holding* h = s.holding(e.holdings[0]);
  if (!h) return {};
  const Holding* root = s.holding(SeriesRoot(*h));
  if (!root) return {};
  const int64_t n = e.type == EventType::kReproduce
                        ? e.fields.Int("copies")
                        : static_cast<int64_t>(e.fields.List("units").size());
  Strings out;
  const int64_t first = std::max(root->copies_total, root->copy_number) + 1;
  for (int64_t i = 0; i < n && i < kMostCopies; ++i) {
    out.push_back(root->id + "-C" + std::to_string(first + i));
  }
  return out;
}

Status CheckCopies(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  SR_RETURN_IF_ERROR(InStore(*h, ""));
  if (h->kind != "document") return InvalidArgument("only documents are copied");
  const bool reproduce = e.type == EventType::kReproduce;
  if (reproduce) {
    const int64_t n = e.fields.Int("copies");
    if (n < 1 || n > kMostCopies) return InvalidArgument("copies must be from 1 to 100");
    if (std::string loc = e.Field("location"); !loc.empty()) {
      SR_RETURN_IF_ERROR(NeedLocation(d.state(), loc, h->facility).status());
    }
  } else {
    SR_RETURN_IF_ERROR(AfterEventTime(e, "return_by"));
  }
  for (const auto& id : NewCopies(e, d.state())) {
    if (d.state().holding(id)) return AlreadyExists("holding " + id + " already exists");
  }
  d.AskOnHolding(reproduce ? Action::kReproduce : Action::kDistribute, *h);
  return OkStatus();
}

// The copies to be made, to check that none exists yet.
Status LoadNewCopies(const Event& e, Projection* s) {
  for (const auto& id : NewCopies(e, *s)) SR_RETURN_IF_ERROR(s->LoadHolding(id));
  return OkStatus();
}

void ApplyCopies(const Event& e, int64_t index, Projection* s) {
  const Holding original = *s->holding(e.holdings[0]);
  Holding root = *s->holding(SeriesRoot(original));
  const Strings ids = NewCopies(e, *s);
  const Strings units = e.fields.List("units");
  int64_t number = std::max(root.copies_total, root.copy_number);
  for (size_t i = 0; i < ids.size(); ++i) {
    Holding c = original;
    c.id = ids[i];
    c.copy_of = root.id;
    c.copy_number = ++number;
    c.copies_total = 0;
    c.status = HoldingStatus::kInStore;
    c.holder.clear();
    c.flags.clear();
    c.seal.clear();
    c.late_custody.clear();
    c.after_hours.clear();
    c.disposal_request.clear();
    c.disposal_request_expires.clear();
    c.acknowledged_by.clear();
    c.unit.clear();
    c.return_by.clear();
    c.distributed_at.clear();
    c.registered_by = e.actor;
    c.registered_index = index;
    c.last_index = index;
    if (e.type == EventType::kReproduce) {
      if (std::string loc = e.Field("location"); !loc.empty()) c.location = loc;
    } else {
      c.status = HoldingStatus::kDistributed;
      c.unit = units[i];
      c.return_by = e.Field("return_by");
      c.distributed_at = e.time;
    }
    s->Put(std::move(c));
    s->AddHoldingEvent(ids[i], static_cast<uint64_t>(index));
  }
  root.copies_total = number;
  root.last_index = index;
  s->Put(root);
  if (root.id != original.id) {
    Holding o = *s->holding(original.id);
    o.last_index = index;
    s->Put(std::move(o));
    s->AddHoldingEvent(original.id, static_cast<uint64_t>(index));
  }
  s->AddHoldingEvent(root.id, static_cast<uint64_t>(index));
}

Status CheckAcknowledge(Decision& d) {
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), d.event().holdings[0]));
  if (h->status != HoldingStatus::kDistributed) return FailedPrecondition(h->id + " is not a distributed copy");
  if (!h->acknowledged_by.empty()) {
    return FailedPrecondition(h->id + " was acknowledged by " + h->acknowledged_by);
  }
  if (d.actor().unit != h->unit) {
    return FailedPrecondition(h->id + " was issued to unit " + h->unit + ", not to " +
                              d.actor().unit);
  }
  if (!d.actor_signed() && !d.denied()) {  // (a forged signature is a logged denial)
    return InvalidArgument("an acknowledgement carries the signature of the acknowledging person");
  }
  d.AskOnHolding(Action::kHold, *h);
  return OkStatus();
}

void ApplyAcknowledge(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.acknowledged_by = e.actor;
    h.holder = e.actor;
  });
}

Status CheckRecall(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  if (h->status != HoldingStatus::kDistributed) return FailedPrecondition(h->id + " is not a distributed copy");
  if (std::string loc = e.Field("location"); !loc.empty()) {
    SR_RETURN_IF_ERROR(NeedLocation(d.state(), loc, h->facility).status());
  }
  d.AskOnHolding(Action::kRecall, *h);
  return OkStatus();
}

void ApplyRecall(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.status = HoldingStatus::kInStore;
    h.holder.clear();
    if (std::string loc = e.Field("location"); !loc.empty()) h.location = loc;
  });
}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kReproduce,
     .name = "holding.reproduce",
     .command = "make copies (numbers continue the series)",
     .fields = {{"copies", FieldType::kCount, true, Ref::kNone, {}, "1-100"},
                {"location", FieldType::kId, false, Ref::kLocation, {}, "in the same facility"}},
     .actor_reads = true,
     .check = CheckCopies,
     .load = LoadNewCopies,
     .apply = ApplyCopies,
     .note = "documents in store only; new holdings `<original>-C<n>`, numbers continuing the "
             "series"},
    {.type = EventType::kDistribute,
     .name = "holding.distribute",
     .command = "issue numbered copies to units",
     .fields = {Sealed({"units", FieldType::kTextList, true, Ref::kNone, {}, "one copy per unit"}),
                {"return_by", FieldType::kTime, true, Ref::kNone, {}, "after the event's time"}},
     .check = CheckCopies,
     .load = LoadNewCopies,
     .apply = ApplyCopies,
     .note = "the copies' status is distributed until recalled"},
    {.type = EventType::kAcknowledge,
     .name = "holding.acknowledge",
     .command = "acknowledge receipt of a distributed copy (signed)",
     .fields = {},
     .actor_reads = true,
     .check = CheckAcknowledge,
     .apply = ApplyAcknowledge,
     .note = "the actor, of the copy's unit, signs; `basis` is the copy's latest event"},
    {.type = EventType::kRecall,
     .name = "holding.recall",
     .command = "take a distributed copy back into store",
     .fields = {{"location", FieldType::kId, false, Ref::kLocation, {}, "in the same facility"}},
     .check = CheckRecall,
     .apply = ApplyRecall,
     .note = "takes a distributed copy back into store"},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> CopyKinds() { return Kinds(); }

}  // namespace strongroom
