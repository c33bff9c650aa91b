// What an inspector's client computes for the events it signs: the open
// entry's commitment and population, and the draw's sample. The client
// keeps the reveal; the server sees it only in the draw.
#ifndef STRONGROOM_OVERSIGHT_INSPECTION_CLIENT_H_
#define STRONGROOM_OVERSIGHT_INSPECTION_CLIENT_H_

#include <string>

#include "base/status.h"
#include "crypto/sha256.h"
#include "custody/event.h"
#include "custody/projection.h"
#include "store/store.h"
#include "oversight/inspection.h"

namespace strongroom::oversight {

// Sets inspection.open's derived fields: the commitment to `reveal` (32
// bytes) and the population on hand in its scope in `s` (which this loads).
Status CompleteOpen(Projection* s, const std::string& reveal, Event* open);
// Sets only the population and its hash (strongroomd, for a client that
// sent its commitment and keeps the reveal).
Status CompletePopulation(Projection* s, Event* open);

// Sets inspection.draw's derived fields (`draw` names `v` already) for
// inspection `v` (still open),
// from the root of the tree that ends with its open entry and the reveal.
Status CompleteDraw(const Inspection& v, const Hash& root, const std::string& reveal, Event* draw);
// The same from `store`: the inspection `draw` names, still open, its open
// entry covered by the store's latest signed checkpoint, and the root read
// from the store's tiles.
Status CompleteDrawFrom(Store* store, const std::string& reveal, Event* draw);

// The inspection `id` as `s` holds it (NotFound / FailedPrecondition).
Result<Inspection> ReadInspection(Projection* s, const std::string& id);

}  // namespace strongroom::oversight

#endif  // STRONGROOM_OVERSIGHT_INSPECTION_CLIENT_H_
