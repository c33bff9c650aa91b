// How inspections, findings and detections are shown: the JSON both the
// command line (--json) and strongroomd answer with, and the one-line
// summaries the command line prints.
#ifndef STRONGROOM_OVERSIGHT_VIEWS_H_
#define STRONGROOM_OVERSIGHT_VIEWS_H_

#include <string>

#include "base/status.h"
#include "json/canonical.h"
#include "store/store.h"
#include "oversight/detection.h"
#include "oversight/inspection.h"

namespace strongroom::oversight {

// An inspection with its live discrepancies (sampled items not found as
// registered, items found not on record) and the sampled items not yet
// recorded; never the population's ids.
Json InspectionJson(const Inspection& v);
// "INSP-9 drawn by I-001 in F-NORTH: fixed, 8 of 30 on hand; 3 recorded, 1 discrepant",
// of InspectionJson's (with or without the sample).
std::string InspectionLine(const Json& shown);

// A finding, with the id its detection has (or will have).
Json FindingJson(const Finding& f);
// "DET-… disposition_overdue H-7@… (normal, concerns C-1)", of a finding
// or of FindingJson's.
std::string FindingLine(const Finding& f);
std::string FindingLine(const Json& finding);

// What `inspection show|list` and `detection list` answer, from `store`'s
// projection (the command line's and strongroomd's same JSON):
// the inspection `id` (NotFound); {"inspections":[...]} without their
// samples (nor what of them is not yet recorded); {"detections":[...]}. Status and facility "" for any.
Result<Json> InspectionData(Store* store, const std::string& id);
Result<Json> InspectionListData(Store* store, const std::string& status, const std::string& facility);
Result<Json> DetectionListData(Store* store, const std::string& status, const std::string& facility);

// A detection's record.
Json DetectionJson(const OversightRecord& r);
// "DET-… raised disposition_overdue H-7@… (normal)", of DetectionJson's.
std::string DetectionLine(const Json& detection);

}  // namespace strongroom::oversight

#endif  // STRONGROOM_OVERSIGHT_VIEWS_H_
