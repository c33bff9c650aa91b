// Detections: the rules that find misused custody in the state, each
// finding raised once per cause as a detection.raise entry (so none is
// suppressed unseen), then acknowledged, dismissed with a reason, or
// escalated (detection.review). Their thresholds have documented defaults
// that a security manager changes with detection.configure (logged).
// docs/oversight.md states every rule.
#ifndef STRONGROOM_OVERSIGHT_DETECTION_H_
#define STRONGROOM_OVERSIGHT_DETECTION_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "custody/event.h"
#include "custody/kinds/kind.h"
#include "custody/model.h"
#include "custody/projection.h"
#include "oversight/inspection.h"
#include "store/store.h"

namespace strongroom::oversight {

inline constexpr const char* kDetectionKind = "detection";

// What a rule's findings are about: it decides which record a
// detection.raise is checked against.
enum class Source : uint8_t { kHolding, kInspection, kDispatch, kPerson, kRequest, kFacility };

struct Rule {
  std::string_view name;
  Source source;
};
inline constexpr std::array<Rule, 16> kRules = {{
    {"disposition_overdue", Source::kHolding},        // past its disposition deadline, not done
    {"activity_after_deadline", Source::kHolding},    // out, moved or handed on after that deadline
    {"overdue_return", Source::kHolding},             // checked out past its due-back time
    {"copy_not_recalled", Source::kHolding},          // a distributed copy past its return-by date
    {"copy_unacknowledged", Source::kHolding},        // a distributed copy nobody acknowledged
    {"in_transit_too_long", Source::kDispatch},       // dispatched, not received in time
    {"receipt_discrepancy", Source::kDispatch},       // received with missing items or seal mismatches
    {"inspection_missing", Source::kInspection},      // an item an inspection found missing, still open
    {"finding_overdue", Source::kInspection},         // an inspection finding open past its due date
    {"inspection_not_drawn", Source::kInspection},    // opened and not drawn in time
    {"repeated_denials", Source::kPerson},            // many policy denials of one person in one day
    {"disposal_under_hold", Source::kRequest},        // destruction or release requested of a held item
    {"checkout_out_of_hours", Source::kHolding},      // checked out outside its facility's working hours
    {"inventory_due", Source::kFacility},             // no full inventory within the facility's interval
    {"same_enroller", Source::kRequest},              // a two-person action by two people one person added
    {"inspection_cancelled", Source::kInspection},    // an inspection cancelled before it closed
}};
inline constexpr std::array<std::string_view, kRules.size()> kDetectionRules = [] {
  std::array<std::string_view, kRules.size()> names{};
  for (size_t i = 0; i < kRules.size(); ++i) names[i] = kRules[i].name;
  return names;
}();
// The rule named `name`, if any.
const Rule* FindRule(std::string_view name);

// The thresholds, with their defaults; detection.configure changes one.
struct Thresholds {
  int64_t undrawn_hours = 24;           // inspection_not_drawn
  int64_t transit_days_top_secret = 10; // in_transit_too_long, TOP SECRET consignments
  int64_t transit_days = 60;            // in_transit_too_long, any other
  int64_t copy_ack_days = 7;            // copy_unacknowledged
  int64_t denials_per_day = 5;          // repeated_denials
};
struct Threshold {
  std::string_view name;
  int64_t Thresholds::*value;
  int64_t min, max;
};
inline constexpr std::array<Threshold, 5> kThresholds = {{
    {"undrawn_hours", &Thresholds::undrawn_hours, 1, 24 * 30},
    {"transit_days_top_secret", &Thresholds::transit_days_top_secret, 1, 365},
    {"transit_days", &Thresholds::transit_days, 1, 365},
    {"copy_ack_days", &Thresholds::copy_ack_days, 1, 365},
    {"denials_per_day", &Thresholds::denials_per_day, 2, 1000},
}};
inline constexpr std::array<std::string_view, kThresholds.size()> kThresholdNames = [] {
  std::array<std::string_view, kThresholds.size()> names{};
  for (size_t i = 0; i < kThresholds.size(); ++i) names[i] = kThresholds[i].name;
  return names;
}();
// The record that holds the thresholds set so far.
inline constexpr const char* kThresholdsId = "DETECTION-THRESHOLDS";
// A change takes effect this long after its entry: whatever the old value
// finds meanwhile is raised by the detect runs of that day, so nobody makes
// a finding about themself vanish by changing the threshold that finds it.
inline constexpr int64_t kThresholdDelayMicros = 24LL * 3600 * 1000000;
// The thresholds in force at `now` (changes take effect kThresholdDelayMicros
// after their entry); with now = INT64_MAX, as they will be.
Thresholds ThresholdsOf(const OversightRecord* r, int64_t now);
Result<Thresholds> ReadThresholds(Store* store, int64_t now);

// One finding of a rule: what a detection.raise states.
struct Finding {
  std::string rule;
  std::string cause;     // what makes it this finding and no other ("H-7@2027-01-31T00:00:00Z")
  std::string holding;   // the holding concerned, if any
  std::string subject;   // the person it concerns, if any
  std::string facility;  // where, if anywhere
  std::string severity;  // normal | high
  bool operator==(const Finding&) const = default;
};

// "DET-" and 16 hex digits of SHA-256(rule "\n" cause): one id per cause.
std::string DetectionId(const std::string& rule, const std::string& cause);

// The findings each kind of record gives at `now` (microseconds). The same
// functions decide what `Due` lists and whether a detection.raise is true.
std::vector<Finding> HoldingFindings(const Holding& h, int64_t now, const Thresholds& t);
std::vector<Finding> InspectionFindings(const Inspection& v, int64_t now, const Thresholds& t);
std::vector<Finding> DispatchFindings(const Dispatch& d, int64_t now, const Thresholds& t);
// A request: approved by someone added by the requester's own enroller;
// open, to destroy or release `held`, the holding it names, now under a
// legal hold (null: not loaded, or not one holding).
std::vector<Finding> RequestFindings(const Request& r, const Holding* held);
// A facility whose full inventory is overdue.
std::vector<Finding> FacilityFindings(const Facility& f, int64_t now);
// A person's denials on the UTC day starting at `day` (microseconds).
std::vector<Finding> DenialFindings(const std::string& person, const std::string& facility,
                                    int64_t day, int64_t denials, const Thresholds& t);
// The UTC day (its start, microseconds) of `time`; a person finding's cause
// is "<person>@<YYYY-MM-DD>".
int64_t DayOf(int64_t time);

// Every finding due at `now` in `store`'s projection, found through its
// indexed columns, in a stable order.
Result<std::vector<Finding>> Due(Store* store, int64_t now);

// Whether `f` was raised as a detection in `store`'s projection.
Result<bool> Raised(Store* store, const Finding& f);
// Due(store, now) without the findings raised already: what detect raises.
Result<std::vector<Finding>> Unraised(Store* store, int64_t now);
// The detection.raise of `f` by `actor` (unsigned).
Event RaiseEvent(const std::string& actor, const Finding& f);

// The detection event kinds, installed by oversight::Install().
std::span<const EventKind> DetectionKinds();

}  // namespace strongroom::oversight

#endif  // STRONGROOM_OVERSIGHT_DETECTION_H_
