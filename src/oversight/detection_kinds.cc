// The detection event kinds: detection.raise (a rule's finding, once per
// cause, true when raised) and detection.review (acknowledge, dismiss with a
// reason, escalate). Their rules are in docs/oversight.md ("Detections").
#include <algorithm>

#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"
#include "oversight/detection.h"

namespace strongroom::oversight {
namespace {

bool Reviews(const Person& p) {
  return p.HasRole(kRoleInspector) || p.HasRole(kRoleSecurityManager);
}

// The inspection a cause names ("INSP-17" or "INSP-17:H-5").
std::string InspectionOfCause(const std::string& cause) { return cause.substr(0, cause.find(':')); }

bool AboutInspections(const std::string& rule) { return rule.rfind("inspection_", 0) == 0; }

Finding Stated(const Event& e) {
  return {e.Field("rule"),     e.Field("cause"),    e.holdings.empty() ? "" : e.holdings[0],
          e.Field("subject"),  e.Field("facility"), e.Field("severity")};
}

// ---- detection.raise

Status LoadRaise(const Event& e, Projection* s) {
  SR_RETURN_IF_ERROR(s->LoadOversightRecord(DetectionId(e.Field("rule"), e.Field("cause"))));
  if (AboutInspections(e.Field("rule"))) {
    SR_RETURN_IF_ERROR(s->LoadOversightRecord(InspectionOfCause(e.Field("cause"))));
  }
  return OkStatus();
}

Status CheckRaise(Decision& d) {
  const Event& e = d.event();
  const Projection& s = d.state();
  const Finding stated = Stated(e);
  const std::string id = DetectionId(stated.rule, stated.cause);
  if (s.oversight_record(id)) {
    return AlreadyExists("this finding was raised before, as detection " + id);
  }
  // True now, exactly as the rule finds it: nobody raises a detection that
  // is not, or names another person or severity than the rule does.
  std::vector<Finding> found;
  if (AboutInspections(stated.rule)) {
    const OversightRecord* r = s.oversight_record(InspectionOfCause(stated.cause));
    if (r && r->kind == kInspectionKind) {
      SR_ASSIGN_OR_RETURN(Inspection v, Inspection::FromRecord(*r));
      found = InspectionFindings(v, d.now());
    }
  } else if (!stated.holding.empty()) {
    if (const Holding* h = s.holding(stated.holding)) found = HoldingFindings(*h, d.now());
  }
  if (std::find(found.begin(), found.end(), stated) == found.end()) {
    return FailedPrecondition("rule " + stated.rule + " finds no " + stated.cause +
                              " now (or finds it with another holding, subject, facility or severity)");
  }
  if (!Reviews(d.actor())) d.Deny("only inspectors and security managers raise detections");
  return OkStatus();
}

void ApplyRaise(const Event& e, int64_t index, Projection* s) {
  const Finding f = Stated(e);
  OversightRecord r;
  r.id = DetectionId(f.rule, f.cause);
  r.kind = kDetectionKind;
  r.status = "raised";
  r.facility = f.facility;
  r.subject = f.subject;
  r.index = index;
  r.last_index = index;
  r.body = {{"rule", f.rule},         {"cause", f.cause},       {"holding", f.holding},
            {"severity", f.severity}, {"raised_by", e.actor},   {"raised_at", e.time},
            {"reviews", Json::array()}};
  s->Put(std::move(r));
  if (!f.holding.empty() && s->holding(f.holding)) {
    UpdateHolding(s, f.holding, index, [&](Holding& h) {
      h.flags.push_back("detection " + DetectionId(f.rule, f.cause) + ": " + f.rule + AtEntry(index));
    });
  }
}

// ---- detection.review

Status LoadReview(const Event& e, Projection* s) {
  SR_RETURN_IF_ERROR(s->LoadOversightRecord(e.Field("detection")));
  return OkStatus();
}

Status CheckReview(Decision& d) {
  const Event& e = d.event();
  const OversightRecord* r = d.state().oversight_record(e.Field("detection"));
  if (!r || r->kind != kDetectionKind) return NotFound("detection " + e.Field("detection") + " does not exist");
  if (r->status == "dismissed" || r->status == "escalated") {
    return FailedPrecondition("detection " + r->id + " is " + r->status + " already");
  }
  const std::string& action = e.Field("action");
  if (action != "acknowledge" && e.Field("reason").empty()) {
    return InvalidArgument("a detection is " + std::string(action == "dismiss" ? "dismissed" : "escalated") +
                           " with a reason");
  }
  if (!Reviews(d.actor())) d.Deny("only inspectors and security managers review detections");
  if (!r->subject.empty() && r->subject == e.actor) {
    d.Deny("nobody reviews a detection about themself (" + r->id + " concerns " + e.actor + ")");
  }
  if (action == "dismiss" && r->body.value("severity", "") == "high" &&
      !d.actor().HasRole(kRoleSecurityManager)) {
    d.Deny("a high-severity detection is dismissed by a security manager only");
  }
  return OkStatus();
}

void ApplyReview(const Event& e, int64_t index, Projection* s) {
  OversightRecord r = *s->oversight_record(e.Field("detection"));
  const std::string& action = e.Field("action");
  r.status = action == "acknowledge" ? "acknowledged" : action == "dismiss" ? "dismissed" : "escalated";
  r.last_index = index;
  r.body["reviews"].push_back({{"action", action}, {"by", e.actor}, {"index", index}, {"at", e.time}});
  s->Put(std::move(r));
}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kDetectionRaise,
     .name = "detection.raise",
     .command = "raise a finding of a detection rule (strongroom detect raises every one due)",
     .fields = {{"rule", FieldType::kChoice, true, Ref::kNone, {kDetectionRules.begin(), kDetectionRules.end()}},
                {"cause", FieldType::kText, true, Ref::kNone, {}, "what makes it this finding"},
                {"subject", FieldType::kId, false, Ref::kPerson, {}, "the person it concerns"},
                {"facility", FieldType::kId, true},
                {"severity", FieldType::kChoice, true, Ref::kNone, {"normal", "high"}}},
     .min_holdings = 0,
     .max_holdings = 1,
     .check = CheckRaise,
     .load = LoadRaise,
     .apply = ApplyRaise,
     .note = "once per cause, and only while the rule finds it, exactly as stated"},
    {.type = EventType::kDetectionReview,
     .name = "detection.review",
     .command = "acknowledge, dismiss (with a reason) or escalate a detection",
     .fields = {{"detection", FieldType::kId, true, Ref::kNone, {}, "DET-..."},
                {"action", FieldType::kChoice, true, Ref::kNone, {"acknowledge", "dismiss", "escalate"}},
                Sealed({"reason", FieldType::kText, false})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckReview,
     .load = LoadReview,
     .apply = ApplyReview,
     .note = "never by the person it concerns; a high-severity one is dismissed by a security "
             "manager only"},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> DetectionKinds() { return Kinds(); }

}  // namespace strongroom::oversight
