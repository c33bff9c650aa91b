// The detection event kinds: detection.raise (a rule's finding, once per
// cause, true when raised) and detection.review (acknowledge, dismiss with a
// reason, escalate). Their rules are in docs/oversight.md ("Detections").
#include <algorithm>
#include <optional>

#include "base/clock.h"

#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"
#include "oversight/detection.h"

namespace strongroom::oversight {
namespace {

bool Reviews(const Person& p) {
  return p.HasRole(kRoleInspector) || p.HasRole(kRoleSecurityManager);
}

// The record a cause names: "INSP-17", "INSP-17:H-5", "INSP-17:H-5@<time>",
// "D-40", "P-7@2026-12-07".
std::string RecordOfCause(const std::string& cause) {
  return cause.substr(0, std::min(cause.find(':'), cause.find('@')));
}

// The person a person finding's cause names ("C:NORTH-9@2026-12-07": ids
// may hold ':', never '@'); likewise the facility of a facility finding's.
std::string IdOfCause(const std::string& cause) { return cause.substr(0, cause.rfind('@')); }

// The UTC day a person finding's cause names, or nullopt.
std::optional<int64_t> DayOfCause(const std::string& cause) {
  const size_t at = cause.rfind('@');
  if (at == std::string::npos) return std::nullopt;
  auto day = ParseRfc3339(cause.substr(at + 1) + "T00:00:00Z");
  if (!day.ok() || cause.size() != at + 11) return std::nullopt;
  return *day;
}

constexpr int64_t kDayMicros = 24LL * 3600 * 1000000;

Finding Stated(const Event& e) {
  return {e.Field("rule"),     e.Field("cause"),    e.holdings.empty() ? "" : e.holdings[0],
          e.Field("subject"),  e.Field("facility"), e.Field("severity")};
}

// ---- detection.raise

Status LoadRaise(const Event& e, Projection* s) {
  SR_RETURN_IF_ERROR(s->LoadOversightRecord(DetectionId(e.Field("rule"), e.Field("cause"))));
  SR_RETURN_IF_ERROR(s->LoadOversightRecord(kThresholdsId));
  const Rule* rule = FindRule(e.Field("rule"));
  if (!rule) return OkStatus();  // the choice list refuses it
  const std::string& cause = e.Field("cause");
  switch (rule->source) {
    case Source::kInspection:
      return s->LoadOversightRecord(RecordOfCause(cause));
    case Source::kDispatch:
      return s->LoadDispatch(RecordOfCause(cause));
    case Source::kPerson:
      // The person, whose record the rule reads (a cause may name anyone).
      SR_RETURN_IF_ERROR(s->LoadPerson(IdOfCause(cause)));
      if (auto day = DayOfCause(cause)) {
        return s->LoadDenialCount(IdOfCause(cause), *day, *day + kDayMicros);
      }
      return OkStatus();
    case Source::kRequest:
      return s->LoadRequest(cause);
    case Source::kFacility:
      return s->LoadFacility(IdOfCause(cause));
    case Source::kHolding:
      return OkStatus();  // the event's holding is loaded
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
  const Thresholds t = ThresholdsOf(s.oversight_record(kThresholdsId), d.now());
  const int64_t now = d.now();
  std::vector<Finding> found;
  switch (FindRule(stated.rule)->source) {
    case Source::kInspection:
      if (const OversightRecord* r = s.oversight_record(RecordOfCause(stated.cause));
          r && r->kind == kInspectionKind) {
        SR_ASSIGN_OR_RETURN(Inspection v, Inspection::FromRecord(*r));
        found = InspectionFindings(v, now, t);
      }
      break;
    case Source::kDispatch:
      if (const Dispatch* dispatch = s.dispatch(RecordOfCause(stated.cause))) {
        found = DispatchFindings(*dispatch, now, t);
      }
      break;
    case Source::kPerson:
      if (auto day = DayOfCause(stated.cause); day && *day <= now) {
        const std::string person = IdOfCause(stated.cause);
        const Person* p = s.person(person);
        found = DenialFindings(person, p ? p->facility : "", *day, s.denial_count(person, *day), t);
      }
      break;
    case Source::kRequest:
      if (const Request* r = s.request(stated.cause)) {
        found = RequestFindings(*r, stated.holding.empty() ? nullptr : s.holding(stated.holding));
      }
      break;
    case Source::kFacility:
      if (const Facility* f = s.facility(IdOfCause(stated.cause))) found = FacilityFindings(*f, now);
      break;
    case Source::kHolding:
      if (!stated.holding.empty()) {
        if (const Holding* h = s.holding(stated.holding)) found = HoldingFindings(*h, now, t);
      }
      break;
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
  if (const OversightRecord* r = s->oversight_record(e.Field("detection")); r && !r->facility.empty()) {
    SR_RETURN_IF_ERROR(s->LoadFacility(r->facility));  // under heightened control?
  }
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
  if (!r->subject.empty() && r->subject == e.actor) {
    d.Deny("nobody reviews a detection about themself (" + r->id + " concerns " + e.actor + ")");
  }
  if (action == "dismiss") {
    // The policy's: a high-severity one takes a second person, and the
    // person it concerns (its beneficiary) approves nothing.
    policy::Resource finding = FacilityResource(d.state(), r->facility);
    finding.kind = policy::Kind::kNone;
    finding.id = r->id;
    finding.grave = r->body.value("severity", "") == "high";
    d.Ask(policy::Action::kDismiss, finding, r->subject);
  } else if (!Reviews(d.actor())) {
    d.Deny("only inspectors and security managers review detections");
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

// ---- detection.configure

Status LoadConfigure(const Event&, Projection* s) { return s->LoadOversightRecord(kThresholdsId); }

const Threshold* FindThreshold(std::string_view name) {
  for (const Threshold& t : kThresholds) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Status CheckConfigure(Decision& d) {
  const Event& e = d.event();
  const Threshold* t = FindThreshold(e.Field("threshold"));
  const int64_t value = e.fields.Int("value");
  if (value < t->min || value > t->max) {
    return InvalidArgument(std::string(t->name) + " is from " + std::to_string(t->min) + " to " +
                           std::to_string(t->max) + ", not " + std::to_string(value));
  }
  const Thresholds to_be = ThresholdsOf(d.state().oversight_record(kThresholdsId), INT64_MAX);
  if (to_be.*t->value == value) {
    return FailedPrecondition(std::string(t->name) + " is " + std::to_string(value) +
                              " already (or will be, once its last change takes effect)");
  }
  if (!d.actor().HasRole(kRoleSecurityManager)) {
    d.Deny("only security managers change the detections' thresholds");
  }
  return OkStatus();
}

void ApplyConfigure(const Event& e, int64_t index, Projection* s) {
  const OversightRecord* old = s->oversight_record(kThresholdsId);
  OversightRecord r;
  if (old) {
    r = *old;
  } else {
    r.id = kThresholdsId;
    r.kind = "thresholds";
    r.status = "set";
    r.index = index;
    r.body = {{"changes", Json::array()}};
  }
  auto at = ParseRfc3339(e.time);  // set by the sequencer: always a time
  r.last_index = index;
  r.body["changes"].push_back({{"threshold", e.Field("threshold")},
                               {"value", e.fields.Int("value")},
                               {"by", e.actor},
                               {"index", index},
                               {"from", FormatRfc3339((at.ok() ? *at : 0) + kThresholdDelayMicros)}});
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
                {"facility", FieldType::kId, false},
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
     .note = "never by the person it concerns; dismissing a high-severity one takes a second "
             "person (a request), who is not the person it concerns either"},
    {.type = EventType::kDetectionConfigure,
     .name = "detection.configure",
     .command = "change a detection rule's threshold (security managers)",
     .fields = {{"threshold", FieldType::kChoice, true, Ref::kNone,
                 {kThresholdNames.begin(), kThresholdNames.end()}},
                {"value", FieldType::kCount, true},
                Sealed({"reason", FieldType::kText, true})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckConfigure,
     .load = LoadConfigure,
     .apply = ApplyConfigure,
     .note = "by a security manager, with a reason; takes effect 24 hours after its entry"},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> DetectionKinds() { return Kinds(); }

}  // namespace strongroom::oversight
