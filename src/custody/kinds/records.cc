// The record itself: record.correct (history is annotated, never edited),
// denied (written by the sequencer, wrapping a refused event), access.read
// (a read of the log or of a holding, logged only when refused).
#include "base/clock.h"
#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

using policy::Action;

Status CheckCorrect(Decision& d) {
  const int64_t corrected = d.event().fields.Int("corrects");
  if (static_cast<uint64_t>(corrected) >= d.env().index) {
    return InvalidArgument("entry " + std::to_string(corrected) + " does not exist yet");
  }
  d.Ask(Action::kCorrect, Named(policy::Kind::kNone, ""));
  return OkStatus();
}

void ApplyCorrect(const Event& e, int64_t index, Projection* s) {
  s->AddCorrection(static_cast<uint64_t>(e.fields.Int("corrects")),
                   static_cast<uint64_t>(index), e.Field("reason"));
}

void ApplyDenied(const Event& e, int64_t index, Projection* s) {
  auto at = ParseRfc3339(e.time);  // set by the sequencer: always a time
  s->AddDenial(static_cast<uint64_t>(index), e.actor, e.Field("attempted"), at.ok() ? *at : 0);
}

Status CheckAccessRead(Decision& d) {
  const Event& e = d.event();
  const std::string& what = e.Field("what");
  const bool log = what != "holding";
  if (e.holdings.size() != (log ? 0u : 1u)) {
    return InvalidArgument(log ? "a read of the log or of oversight records names no holding"
                               : "a read of a holding names one holding");
  }
  if (what == "oversight") {
    // Inspections and detections name holdings, people and findings: for
    // the people who inspect and oversee, nobody else.
    const Person& p = d.actor();
    if (!p.HasRole(kRoleInspector) && !p.HasRole(kRoleSecurityManager)) {
      d.Deny("only inspectors and security managers read inspections and detections");
    }
    return OkStatus();
  }
  if (log) {
    d.Ask(Action::kReadLog, Named(policy::Kind::kNone, ""));
    return OkStatus();
  }
  // Records of destroyed and released holdings stay readable.
  const Holding* h = d.state().holding(e.holdings[0]);
  if (!h) return NotFound("holding " + e.holdings[0] + " does not exist");
  d.AskOnHolding(Action::kReadHolding, *h);
  return OkStatus();
}

// Never accepted: the sequencer logs only refused reads, wrapped in denied.
void ApplyAccessRead(const Event&, int64_t, Projection*) {}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kCorrect,
     .name = "record.correct",
     .command = "annotate an erroneous entry (history is never edited)",
     .fields = {{"corrects", FieldType::kIndex, true, Ref::kNone, {}, "an earlier index", "entry"},
                Sealed({"reason", FieldType::kText, true})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckCorrect,
     .apply = ApplyCorrect,
     .note = "history is annotated, never edited"},
    {.type = EventType::kDenied,
     .name = "denied",
     .fields = {{"attempted", FieldType::kText, true, Ref::kNone, {}, "the refused event's type"},
                {"fields", FieldType::kObject, true, Ref::kNone, {}, "of the refused event"},
                Sealed({"reasons", FieldType::kTextList, true})},
     .min_holdings = 0,
     .max_holdings = 256,
     .wrapper = true,
     .apply = ApplyDenied,
     .note = "written by the sequencer only"},
    {.type = EventType::kAccessRead,
     .name = "access.read",
     .fields = {{"what", FieldType::kChoice, true, Ref::kNone, {"log", "holding", "oversight"}}},
     .min_holdings = 0,
     .max_holdings = 1,
     .actor_reads = true,
     .refusals_only = true,
     .check = CheckAccessRead,
     .apply = ApplyAccessRead,
     .note = "one holding when `holding`; `oversight`: inspections and detections (inspectors "
             "and security managers); never an entry of its own: strongroomd logs a refused "
             "read of the log's entries, of a holding's record or of oversight records as a "
             "`denied` entry wrapping it "
             "(a permitted read is not logged)"},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> RecordKinds() { return Kinds(); }

}  // namespace strongroom
