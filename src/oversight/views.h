// How inspections, findings and detections are shown: the JSON both the
// command line (--json) and strongroomd answer with, and the one-line
// summaries the command line prints.
#ifndef STRONGROOM_OVERSIGHT_VIEWS_H_
#define STRONGROOM_OVERSIGHT_VIEWS_H_

#include <string>

#include "json/canonical.h"
#include "oversight/detection.h"
#include "oversight/inspection.h"

namespace strongroom::oversight {

// An inspection with its live discrepancies (sampled items not found as
// registered, items found not on record) and the sampled items not yet
// recorded; never the population's ids.
Json InspectionJson(const Inspection& v);
// "INSP-9 drawn by I-001 in F-NORTH: fixed, 8 of 30 on hand; 3 recorded, 1 discrepant"
std::string InspectionLine(const Inspection& v);

// A finding, with the id its detection has (or will have).
Json FindingJson(const Finding& f);
std::string FindingLine(const Finding& f);

// A detection's record.
Json DetectionJson(const OversightRecord& r);
std::string DetectionLine(const OversightRecord& r);

}  // namespace strongroom::oversight

#endif  // STRONGROOM_OVERSIGHT_VIEWS_H_
