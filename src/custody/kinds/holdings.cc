// A holding's custody in its facility: holding.register, check_out,
// check_in, transfer, move, destroy, release, inspect.
#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

using policy::Action;

// ---- holding.register

Status CheckRegisterFields(const Event& e, bool admitting) {
  static const std::vector<const char*> kDocumentOnly = {
      "classification", "compartments", "originator",   "copy_number",
      "copies_total",   "caveats",      "releasable_to"};
  static const std::vector<const char*> kEvidenceOnly = {
      "case_number",  "item_type",   "identifiers",    "seized_at",
      "seized_place", "disposition", "disposition_due"};
  const std::string kind = e.Field("kind");
  const bool document = kind == "document", evidence = kind == "evidence";
  for (const char* f : kDocumentOnly) {
    if (!document && e.fields.contains(f)) {
      return InvalidArgument(std::string("field '") + f + "' does not apply to " +
                             (evidence ? "an evidence item" : "a container"));
    }
  }
  for (const char* f : kEvidenceOnly) {
    if (!evidence && e.fields.contains(f)) {
      return InvalidArgument(std::string("field '") + f + "' does not apply to " +
                             (document ? "a document" : "a container"));
    }
  }
  if (document) {
    const int64_t copy = e.fields.Int("copy_number"),
                  total = e.fields.Int("copies_total");
    if (copy > 0 && total > 0 && copy > total) {
      return InvalidArgument("copy " + std::to_string(copy) + " of " + std::to_string(total) +
                             " does not exist");
    }
  }
  if (evidence) {
    for (const char* f : {"case_number", "item_type", "disposition"}) {
      if (!e.fields.contains(f)) {
        return InvalidArgument(std::string("an evidence item needs the field '") + f + "'");
      }
    }
    // A disposition is due after the registration (a late registration
    // sets a new date), and an item was seized before it (new entries only).
    if (admitting && e.fields.contains("disposition_due")) {
      SR_RETURN_IF_ERROR(AfterEventTime(e, "disposition_due"));
    }
    if (admitting && e.fields.contains("seized_at") && Micros(e.Field("seized_at")) > Micros(e.time)) {
      return InvalidArgument("seized_at " + e.Field("seized_at") + " is after " + e.time);
    }
  }
  return OkStatus();
}

Holding RegisteredHolding(const Event& e, const Projection& s, int64_t index) {
  Holding h;
  h.id = e.holdings[0];
  h.kind = e.Field("kind");
  h.title = e.Field("title");
  h.location = e.Field("location");
  if (const Location* l = s.location(h.location)) h.facility = l->facility;
  if (e.fields.contains("classification")) h.classification = e.Field("classification");
  h.compartments = e.fields.List("compartments");
  h.caveats = e.fields.List("caveats");
  h.releasable_to = e.fields.List("releasable_to");
  h.originator = e.Field("originator");
  h.copy_number = e.fields.Int("copy_number");
  h.copies_total = e.fields.Int("copies_total");
  h.case_number = e.Field("case_number");
  h.item_type = e.Field("item_type");
  const StringMap& identifiers = e.fields.Map("identifiers");
  h.identifiers = {identifiers.begin(), identifiers.end()};
  h.seized_at = e.Field("seized_at");
  h.seized_place = e.Field("seized_place");
  h.disposition = e.Field("disposition");
  h.disposition_due = e.Field("disposition_due");
  h.registered_by = e.actor;
  h.registered_index = index;
  h.last_index = index;
  return h;
}

Status CheckRegister(Decision& d) {
  const Event& e = d.event();
  SR_RETURN_IF_ERROR(CheckRegisterFields(e, d.env().admitting));
  const std::string& id = e.holdings[0];
  // (Ids of the sequencer's form are refused when it admits a submission,
  // before it numbers one: Sequencer::Admit.)
  if ((d.env().admitting || e.version >= 3) && e.basis == 0) {
    if (std::string why = NonCanonicalIdReason(id); !why.empty()) return InvalidArgument(why);
  }
  if (d.state().holding(id)) return AlreadyExists("holding " + id + " already exists");
  SR_RETURN_IF_ERROR(NeedLocation(d.state(), e.Field("location")).status());
  d.AskOnHolding(Action::kRegister,
                 RegisteredHolding(e, d.state(), static_cast<int64_t>(d.env().index)));
  return OkStatus();
}

void ApplyRegister(const Event& e, int64_t index, Projection* s) {
  s->Put(RegisteredHolding(e, *s, index));
  s->AddHoldingEvent(e.holdings[0], static_cast<uint64_t>(index));
}

// ---- Issue and return.

Status CheckCheckOut(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  SR_RETURN_IF_ERROR(InStore(*h, ""));
  SR_ASSIGN_OR_RETURN(const Person* to, NeedPerson(d.state(), e.Field("to")));
  SR_RETURN_IF_ERROR(AfterEventTime(e, "due_back"));
  d.AskOnHolding(Action::kCheckOut, *h, to->id);
  d.AskRecipient(*to, *h);
  return OkStatus();
}

void ApplyCheckOut(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.status = HoldingStatus::kCheckedOut;
    h.holder = e.Field("to");
    h.purpose = e.Field("purpose");
    h.due_back = e.Field("due_back");
    NoteLateCustody(e, h);
    if (const Facility* f = s->facility(h.facility)) NoteAfterHours(e, *f, h);
  });
}

Status CheckCheckIn(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  if (h->status != HoldingStatus::kCheckedOut) return FailedPrecondition("holding " + h->id + " is not checked out");
  if (std::string loc = e.Field("location"); !loc.empty()) {
    SR_RETURN_IF_ERROR(NeedLocation(d.state(), loc, h->facility).status());
  }
  d.AskOnHolding(Action::kCheckIn, *h);
  return OkStatus();
}

void ApplyCheckIn(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.status = HoldingStatus::kInStore;
    h.holder.clear();
    h.purpose.clear();
    h.due_back.clear();
    if (std::string loc = e.Field("location"); !loc.empty()) h.location = loc;
  });
}

Status CheckTransfer(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  if (h->status != HoldingStatus::kCheckedOut) {
    return FailedPrecondition("holding " + h->id + " is not checked out; issue it instead");
  }
  SR_ASSIGN_OR_RETURN(const Person* to, NeedPerson(d.state(), e.Field("to")));
  if (to->id == h->holder) return FailedPrecondition(to->id + " already holds " + h->id);
  d.AskOnHolding(Action::kTransfer, *h, to->id);
  d.AskRecipient(*to, *h);
  return OkStatus();
}

void ApplyTransfer(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.holder = e.Field("to");
    NoteLateCustody(e, h);
  });
}

// ---- Place and end of life.

Status CheckMove(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  SR_RETURN_IF_ERROR(InStore(*h, ""));
  SR_ASSIGN_OR_RETURN(const Location* l, NeedLocation(d.state(), e.Field("location")));
  if (l->facility != h->facility) {
    return FailedPrecondition("location " + l->id +
                              " is in another facility; moves between facilities are "
                              "dispatches");
  }
  if (l->id == h->location) return FailedPrecondition(h->id + " is already at " + l->id);
  d.AskOnHolding(Action::kMove, *h);
  return OkStatus();
}

void ApplyMove(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.location = e.Field("location");
    NoteLateCustody(e, h);
  });
}

// Nothing under a legal hold is destroyed or released.
Status NotHeld(const Holding& h, const char* what) {
  if (h.legal_hold.empty()) return OkStatus();
  return FailedPrecondition("holding " + h.id + " is under legal hold " + h.legal_hold + ": no " +
                            what + " until it is lifted");
}

Status CheckDestroy(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  SR_RETURN_IF_ERROR(InStore(*h, "destruction"));
  SR_RETURN_IF_ERROR(NotHeld(*h, "destruction"));
  if (h->kind == "evidence" && h->disposition != "destroy") {
    return FailedPrecondition("evidence " + h->id + " has disposition '" + h->disposition +
                              "', not 'destroy'");
  }
  if (!h->contents.empty()) {
    return FailedPrecondition("container " + h->id + " is sealed with contents; unseal it");
  }
  d.AskOnHolding(Action::kDestroy, *h);
  return OkStatus();
}

void ApplyDestroy(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.status = HoldingStatus::kDestroyed;
    h.destroyed_method = e.Field("method");
    for (const auto& sig : e.signatures) {
      if (sig.person != e.actor) {
        h.destroyed_witness = sig.person;
        break;
      }
    }
  });
}

Status CheckRelease(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  SR_RETURN_IF_ERROR(InStore(*h, "release"));
  SR_RETURN_IF_ERROR(NotHeld(*h, "release"));
  if (h->kind != "evidence") return InvalidArgument("only evidence items are released");
  const bool court = e.Field("to") == "court";
  if (court && e.Field("court_order").empty()) {
    return InvalidArgument("a release by court order needs the field 'court_order'");
  }
  if (!court && h->disposition != "return") {
    return FailedPrecondition("evidence " + h->id + " has disposition '" + h->disposition +
                              "'; release to the owner needs 'return' (or a court order)");
  }
  d.AskOnHolding(Action::kRelease, *h);
  return OkStatus();
}

void ApplyRelease(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.status = HoldingStatus::kReleased;
    h.released_to = e.Field("recipient");
    h.court_order = e.Field("court_order");
  });
}

Status CheckInspect(Decision& d) {
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), d.event().holdings[0]));
  d.AskOnHolding(Action::kInspect, *h);
  return OkStatus();
}

void ApplyInspect(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    const std::string result = e.Field("result");
    if (result == "missing") h.flags.push_back("reported missing at inspection" + AtEntry(index));
    if (result == "seal_broken") {
      h.flags.push_back("seal found broken at inspection" + AtEntry(index));
    }
  });
}

// ---- Legal holds: placed and lifted by security managers, on holdings
// neither destroyed nor released.

Status CheckHold(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  if (h->status == HoldingStatus::kDestroyed || h->status == HoldingStatus::kReleased) {
    return FailedPrecondition("holding " + h->id + " is " + Name(h->status));
  }
  const bool hold = e.type == EventType::kHold;
  if (hold && !h->legal_hold.empty()) {
    return FailedPrecondition("holding " + h->id + " is under legal hold " + h->legal_hold + " already");
  }
  if (!hold && h->legal_hold.empty()) return FailedPrecondition("holding " + h->id + " is under no legal hold");
  if (!d.actor().HasRole(kRoleSecurityManager)) {
    d.Deny(std::string("only security managers ") + (hold ? "place" : "lift") + " legal holds");
  }
  return OkStatus();
}

void ApplyHold(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.legal_hold = e.type == EventType::kHold ? e.Field("reference") + AtEntry(index) : "";
  });
}

// ---- The disposition backlog: a deadline extended by the case officer.

constexpr int64_t kMaxExtensionMicros = 366LL * 24 * 3600 * 1000000;

Status CheckExtend(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Holding* h, NeedHolding(d.state(), e.holdings[0]));
  if (h->kind != "evidence" || (h->disposition != "destroy" && h->disposition != "return") ||
      h->disposition_due.empty()) {
    return FailedPrecondition("holding " + h->id + " has no disposition deadline to extend");
  }
  // Before it passes: a missed deadline is not moved out of sight (an
  // overdue item is disposed of, or held by a legal hold).
  if (Micros(h->disposition_due) <= Micros(e.time)) {
    return FailedPrecondition("holding " + h->id + "'s disposition deadline " + h->disposition_due +
                              " has passed: it is disposed of, or placed under a legal hold");
  }
  const int64_t to = Micros(e.Field("disposition_due"));
  if (to <= Micros(h->disposition_due)) {
    return InvalidArgument("disposition_due " + e.Field("disposition_due") + " is not after " +
                           h->id + "'s deadline " + h->disposition_due);
  }
  if (to > Micros(e.time) + kMaxExtensionMicros) {
    return InvalidArgument("a deadline is extended by at most 366 days from now at a time");
  }
  // The case officer: someone with need-to-know on the item (a live grant)
  // who keeps neither it nor the store it is in.
  d.AskOnHolding(Action::kHold, *h);
  if (e.actor == h->registered_by || e.actor == h->holder) {
    d.Deny("nobody extends the disposition deadline of an item in their own custody (" + h->id + ")");
  }
  if (d.actor().HasRole(kRoleCustodian) && d.actor().facility == h->facility) {
    d.Deny("a custodian of facility " + h->facility + " does not extend the deadlines of what it holds");
  }
  return OkStatus();
}

void ApplyExtend(const Event& e, int64_t index, Projection* s) {
  UpdateHolding(s, e.holdings[0], index, [&](Holding& h) {
    h.flags.push_back("disposition deadline " + h.disposition_due + " extended to " +
                      e.Field("disposition_due") + " by " + e.actor + AtEntry(index));
    h.disposition_due = e.Field("disposition_due");
  });
}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kHoldingRegister,
     .name = "holding.register",
     .command = "register a document, evidence item or container",
     .fields =
         {{"kind", FieldType::kChoice, true, Ref::kNone, {"document", "evidence", "container"}},
          Sealed({"caveats", FieldType::kIdList, false, Ref::kNone, {}, "documents"}),
          Sealed({"releasable_to", FieldType::kIdList, false, Ref::kNone, {}, "documents: nationalities"}),
          Sealed({"title", FieldType::kText, true}),
          {"location", FieldType::kId, true, Ref::kLocation},
          Sealed({"classification", FieldType::kLevel, false, Ref::kNone, {}, "documents"}),
          Sealed({"compartments", FieldType::kIdList, false, Ref::kNone, {}, "documents"}),
          Sealed({"originator", FieldType::kText, false, Ref::kNone, {}, "documents"}),
          {"copy_number", FieldType::kCount, false, Ref::kNone, {}, "documents", "copy"},
          {"copies_total", FieldType::kCount, false, Ref::kNone, {}, "documents", "copies"},
          Sealed({"case_number", FieldType::kText, false, Ref::kNone, {}, "evidence: required", "case"}),
          Sealed({"item_type", FieldType::kText, false, Ref::kNone, {}, "evidence: required"}),
          Sealed({"identifiers", FieldType::kStringMap, false, Ref::kNone, {}, "evidence, e.g. imei"}),
          Sealed({"seized_at", FieldType::kTime, false, Ref::kNone, {}, "evidence"}),
          Sealed({"seized_place", FieldType::kText, false, Ref::kNone, {}, "evidence"}),
          {"disposition", FieldType::kChoice, false, Ref::kNone, {"destroy", "return", "retain"},
           "evidence: required"},
          {"disposition_due", FieldType::kTime, false, Ref::kNone, {}, "evidence"}},
     .numbered = true,
     .check = CheckRegister,
     .apply = ApplyRegister},
    {.type = EventType::kCheckOut,
     .name = "holding.check_out",
     .command = "issue a holding to a person",
     .fields = {{"to", FieldType::kId, true, Ref::kRecipient},
                Sealed({"purpose", FieldType::kText, true}),
                {"due_back", FieldType::kTime, true, Ref::kNone, {}, "after the event's time"}},
     .check = CheckCheckOut,
     .apply = ApplyCheckOut,
     .note = "the holding must be in store"},
    {.type = EventType::kCheckIn,
     .name = "holding.check_in",
     .command = "receive a holding back",
     .fields = {{"location", FieldType::kId, false, Ref::kLocation, {},
                 "in the same facility; default: where it was"}},
     .check = CheckCheckIn,
     .apply = ApplyCheckIn},
    {.type = EventType::kTransfer,
     .name = "holding.transfer",
     .command = "hand a checked-out holding to another person",
     .fields = {{"to", FieldType::kId, true, Ref::kRecipient}},
     .check = CheckTransfer,
     .apply = ApplyTransfer,
     .note = "the holding must be checked out"},
    {.type = EventType::kMove,
     .name = "holding.move",
     .command = "move a holding within its facility",
     .fields = {{"location", FieldType::kId, true, Ref::kLocation, {}, "in the same facility"}},
     .check = CheckMove,
     .apply = ApplyMove,
     .note = "the holding must be in store"},
    {.type = EventType::kDestroy,
     .name = "holding.destroy",
     .command = "destroy a holding (opens a request; a witness approves it)",
     .fields = {Sealed({"method", FieldType::kText, true})},
     .check = CheckDestroy,
     .apply = ApplyDestroy,
     .note = "always two-person: the witness signs; the holding must be in store; evidence only "
             "if its disposition is destroy"},
    {.type = EventType::kRelease,
     .name = "holding.release",
     .command = "release evidence to its owner or by court order",
     .fields = {{"to", FieldType::kChoice, true, Ref::kNone, {"owner", "court"}},
                Sealed({"recipient", FieldType::kText, true}),
                Sealed({"court_order", FieldType::kText, false, Ref::kNone, {}, "required for court"})},
     .check = CheckRelease,
     .apply = ApplyRelease,
     .note = "evidence only; to the owner only if its disposition is return"},
    {.type = EventType::kInspect,
     .name = "holding.inspect",
     .command = "record an inspection of a holding",
     .fields = {{"result", FieldType::kChoice, true, Ref::kNone, {"seen", "missing", "seal_broken"}},
                Sealed({"note", FieldType::kText, false})},
     .check = CheckInspect,
     .apply = ApplyInspect,
     .note = "missing and seal_broken are flagged on the holding"},
    {.type = EventType::kHold,
     .name = "holding.hold",
     .command = "place a legal hold on a holding (no destruction or release until lifted)",
     .fields = {Sealed({"reference", FieldType::kText, true, Ref::kNone, {}, "the case, order or matter"}),
                Sealed({"reason", FieldType::kText, true})},
     .check = CheckHold,
     .apply = ApplyHold,
     .note = "by a security manager; its disposition deadline stops running"},
    {.type = EventType::kLiftHold,
     .name = "holding.lift_hold",
     .command = "lift a holding's legal hold",
     .fields = {Sealed({"reason", FieldType::kText, true})},
     .check = CheckHold,
     .apply = ApplyHold,
     .note = "by a security manager"},
    {.type = EventType::kExtendDisposition,
     .name = "holding.extend_disposition",
     .command = "extend an evidence item's disposition deadline (the case officer, with a reason)",
     .fields = {{"disposition_due", FieldType::kTime, true, Ref::kNone, {}, "the new deadline"},
                Sealed({"reason", FieldType::kText, true})},
     .actor_reads = true,
     .check = CheckExtend,
     .apply = ApplyExtend,
     .note = "by someone with need-to-know on it who neither registered nor holds it, nor is a "
             "custodian of its facility; before the deadline passes; at most 366 days ahead"},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> HoldingKinds() { return Kinds(); }

}  // namespace strongroom
