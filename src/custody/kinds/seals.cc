// Tamper-evident seals and containers: holding.seal, holding.unseal.
#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

using policy::Action;

Status CheckSeal(Decision& d) {
  const Event& e = d.event();
  const Projection& s = d.state();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(s, e.holdings[0]));
  SR_RETURN_IF_ERROR(InStore(*h, ""));
  if (!h->seal.empty()) return FailedPrecondition(h->id + " is already sealed (" + h->seal + ")");
  const Strings contents = e.fields.List("contents");
  if (!contents.empty() && h->kind != "container") {
    return InvalidArgument(h->id + " is not a container; only containers have contents");
  }
  for (const auto& c : contents) {
    if (c == h->id) return InvalidArgument("a container cannot contain itself");
    SR_ASSIGN_OR_RETURN(const Holding* item, NeedHolding(s, c));
    SR_RETURN_IF_ERROR(InStore(*item, ""));
    if (item->facility != h->facility) {
      return FailedPrecondition(c + " is in facility " + item->facility + ", not " + h->facility);
    }
    d.AskOnHolding(Action::kSeal, *item);
  }
  d.AskOnHolding(Action::kSeal, *h);
  return OkStatus();
}

void ApplySeal(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.seal = e.Field("seal");
    h.contents = e.fields.List("contents");
    for (const auto& c : h.contents) {
      UpdateHolding(s, c, index, [&](Holding& item) { item.container = h.id; });
    }
  });
}

Status CheckUnseal(Decision& d) {
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), d.event().holdings[0]));
  SR_RETURN_IF_ERROR(InStore(*h, ""));
  if (h->seal.empty()) return FailedPrecondition(h->id + " is not sealed");
  d.AskOnHolding(Action::kUnseal, *h);
  return OkStatus();
}

void ApplyUnseal(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    const std::string read = e.Field("seal");
    if (read != h.seal) {
      h.flags.push_back("seal read as " + read + " at unsealing, registered as " + h.seal +
                        AtEntry(index));
    }
    if (e.Field("condition") == "broken") {
      h.flags.push_back("seal " + h.seal + " found broken" + AtEntry(index));
    }
    for (const auto& c : h.contents) {
      UpdateHolding(s, c, index, [](Holding& item) { item.container.clear(); });
    }
    h.seal.clear();
    h.contents.clear();
  });
}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kSeal,
     .name = "holding.seal",
     .command = "seal a holding (a container: with its contents)",
     .fields = {{"seal", FieldType::kId, true, Ref::kNone, {}, "the seal's number"},
                {"contents", FieldType::kIdList, false, Ref::kHoldings, {},
                 "holdings sealed inside; containers only"}},
     .check = CheckSeal,
     .apply = ApplySeal,
     .note = "the holding and its contents must be in store, in one facility"},
    {.type = EventType::kUnseal,
     .name = "holding.unseal",
     .command = "break a seal, recording what it read and its state",
     .fields = {{"seal", FieldType::kId, true, Ref::kNone, {}, "as read"},
                {"condition", FieldType::kChoice, true, Ref::kNone, {"intact", "broken"}}},
     .check = CheckUnseal,
     .apply = ApplyUnseal,
     .note = "a mismatch or a broken seal is flagged"},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> SealKinds() { return Kinds(); }

}  // namespace strongroom
