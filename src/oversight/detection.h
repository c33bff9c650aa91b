// Detections: the rules that find misused custody in the state, each
// finding raised once per cause as a detection.raise entry (so none is
// suppressed unseen), then acknowledged, dismissed with a reason, or
// escalated (detection.review). docs/oversight.md states every rule.
#ifndef STRONGROOM_OVERSIGHT_DETECTION_H_
#define STRONGROOM_OVERSIGHT_DETECTION_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "custody/kinds/kind.h"
#include "custody/model.h"
#include "oversight/inspection.h"
#include "store/store.h"

namespace strongroom::oversight {

inline constexpr const char* kDetectionKind = "detection";

// The rules, by name.
inline constexpr std::array<std::string_view, 4> kDetectionRules = {
    "disposition_overdue",  // evidence past its disposition deadline, neither destroyed nor returned
    "overdue_return",       // checked out past its due-back time
    "inspection_missing",   // an item an inspection found missing, still an open finding
    "inspection_not_drawn", // an inspection opened and not drawn within a day
};
// An inspection not drawn this long after it was opened is a detection.
inline constexpr int64_t kUndrawnMicros = 24LL * 3600 * 1000000;

// One finding of a rule: what a detection.raise states.
struct Finding {
  std::string rule;
  std::string cause;     // what makes it this finding and no other ("H-7@2027-01-31T00:00:00Z")
  std::string holding;   // the holding concerned, if any
  std::string subject;   // the person it concerns, if any
  std::string facility;
  std::string severity;  // normal | high
  bool operator==(const Finding&) const = default;
};

// "DET-" and 16 hex digits of SHA-256(rule "\n" cause): one id per cause.
std::string DetectionId(const std::string& rule, const std::string& cause);

// The findings each kind of record gives at `now` (microseconds): a
// holding's, an inspection's. The same functions decide what `Due` lists
// and whether a detection.raise is true.
std::vector<Finding> HoldingFindings(const Holding& h, int64_t now);
std::vector<Finding> InspectionFindings(const Inspection& v, int64_t now);

// Every finding due at `now` in `store`'s projection, found through its
// indexed columns, in a stable order.
Result<std::vector<Finding>> Due(Store* store, int64_t now);

// The detection event kinds, installed by oversight::Install().
std::span<const EventKind> DetectionKinds();

}  // namespace strongroom::oversight

#endif  // STRONGROOM_OVERSIGHT_DETECTION_H_
