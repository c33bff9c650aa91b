// Store upgrades. Entries are never rewritten; what changes between
// releases is the shape of the projection (its tables, columns and
// indexes), which is derived from the log and so can always be rebuilt
// from it.
#ifndef STRONGROOM_CUSTODY_UPGRADE_H_
#define STRONGROOM_CUSTODY_UPGRADE_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "ledger/note.h"
#include "store/store.h"

namespace strongroom {

// Replays every entry of `store`'s log through the custody rules on a
// scratch projection (exactly as the sequencer decided them), then replaces
// every projection table with the result, shaped as this release declares
// them, and records `schema`, in one transaction. Credentials are kept.
// DataLoss if an entry does not parse or the rules refuse it: the log is
// not one this release can replay (run `strongroom verify`). Returns the
// number of entries replayed.
// The entries must first make the tree the latest checkpoint signed (and
// the committed head past it): DataLoss otherwise, nothing changed.
Result<uint64_t> RebuildProjection(Store* store, const NoteVerifier& verifier, int schema);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_UPGRADE_H_
