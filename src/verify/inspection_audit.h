// `strongroom inspection verify-sample`: an inspection's population and
// sample recomputed from the log alone, as docs/oversight.md states them,
// without reading the projection the store keeps.
#ifndef STRONGROOM_VERIFY_INSPECTION_AUDIT_H_
#define STRONGROOM_VERIFY_INSPECTION_AUDIT_H_

#include <string>

#include "base/status.h"
#include "json/canonical.h"
#include "store/store.h"

namespace strongroom {

// Replays the entries of `store` (with their disclosures: the scope reads
// sealed fields such as classification) up to inspection `id`'s open
// entry; recomputes the population on hand in its scope, compares its
// count and hash with the open entry; then, if it is drawn, the seed from
// the replayed root and the draw's reveal, and the sample with the draw's.
// The report says what matched ({"population_matches", "sample_matches",
// ...}); NotFound / FailedPrecondition if `id` is no inspection.open entry.
Result<Json> VerifyInspectionSample(Store* store, const std::string& origin, const std::string& id);

}  // namespace strongroom

#endif  // STRONGROOM_VERIFY_INSPECTION_AUDIT_H_
