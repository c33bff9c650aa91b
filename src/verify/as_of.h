// The projection as it stood at a past time, rebuilt from the log alone:
// how `strongroom detect --as-of` answers "what was overdue on 31
// December?" without trusting the rows the store keeps now.
#ifndef STRONGROOM_VERIFY_AS_OF_H_
#define STRONGROOM_VERIFY_AS_OF_H_

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "json/canonical.h"
#include "store/store.h"

namespace strongroom {

struct StateAsOf {
  std::unique_ptr<Store> projection;  // an in-memory store of the projection's tables
  uint64_t tree_size = 0;             // the entries it holds: those dated at or before the time
};

// Replays `store`'s entries (with their disclosures) dated at or before
// `time` (Unix microseconds) into a fresh in-memory projection.
// FailedPrecondition if they cannot be replayed (verify says why).
Result<StateAsOf> RebuildAsOf(Store* store, const std::string& origin, int64_t time);

// What the detection rules found due at `time`, from the projection
// rebuilt as of then: {"as_of", "tree_size", "due": [finding and
// "raised_by_then"]} (`strongroom detect --as-of`, POST /api/v1/detect).
Result<Json> DueAsOf(Store* store, const std::string& origin, int64_t time);

}  // namespace strongroom

#endif  // STRONGROOM_VERIFY_AS_OF_H_
