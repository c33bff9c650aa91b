// Small, careful file helpers. Writes are atomic and durable: a temporary file
// is written, fsync'ed and renamed over the target, and the directory is
// fsync'ed, so a reader (or a crash) sees the old content or the new, never a
// mix.
#ifndef STRONGROOM_BASE_FILE_H_
#define STRONGROOM_BASE_FILE_H_

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace strongroom {

Result<std::string> ReadFile(const std::string& path);
// `mode` is applied to the new file before any byte is written (0600 for keys).
// With durable=false the data is not fsync'ed (the caller syncs in bulk).
Status WriteFileAtomic(const std::string& path, std::string_view data, mode_t mode = 0644,
                       bool durable = true);
// Flushes every file system buffer to disk (after non-durable writes).
void SyncAll();
// mkdir -p.
Status MakeDirs(const std::string& path, mode_t mode = 0755);
bool PathExists(const std::string& path);

}  // namespace strongroom

#endif  // STRONGROOM_BASE_FILE_H_
