// The embedded default store: one SQLite file in WAL mode with
// synchronous=FULL, so a committed batch survives a crash or power loss.
#ifndef STRONGROOM_STORE_SQLITE_STORE_H_
#define STRONGROOM_STORE_SQLITE_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace strongroom {

struct SqliteOptions {
  bool create = false;     // create the file and schema if missing
  bool read_only = false;  // open without write access
  // WAL checkpoints on a thread of their own instead of inside the commit
  // that fills the WAL past 1,000 pages: for the connection that writes.
  bool background_checkpoints = false;
};

// Opens (or creates) the store at `path` with the given projection tables.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               std::vector<TableSpec> tables,
                                               SqliteOptions options);

}  // namespace strongroom

#endif  // STRONGROOM_STORE_SQLITE_STORE_H_
