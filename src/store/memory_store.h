// A Store in process memory: the storage contract at its plainest, for tests
// of the layers above and as the reference the contract suite holds every
// back end to. Nothing is durable. Thread-compatible.
#ifndef STRONGROOM_STORE_MEMORY_STORE_H_
#define STRONGROOM_STORE_MEMORY_STORE_H_

#include <map>
#include <memory>
#include <vector>

#include "store/store.h"

namespace strongroom {

std::unique_ptr<Store> NewMemoryStore(std::vector<TableSpec> tables);

}  // namespace strongroom

#endif  // STRONGROOM_STORE_MEMORY_STORE_H_
