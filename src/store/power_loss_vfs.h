// A SQLite VFS for tests that loses power: every write, truncation and sync
// goes to the default VFS, and for every file the shim remembers how to undo
// each change made since that file's last successful sync. CutPower() then
// refuses all further writing (as a machine that has stopped), and
// RestoreDurableState() undoes, file by file, everything that was never
// synced — what a power cut leaves on a disk that honours fsync and
// nothing more. (SQLite's own crash tests do the same with their test VFS.)
//
// While one exists it is the process's default VFS: every sqlite3_open
// without a VFS name goes through it. Thread-safe.
#ifndef STRONGROOM_STORE_POWER_LOSS_VFS_H_
#define STRONGROOM_STORE_POWER_LOSS_VFS_H_

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"

namespace strongroom {

class PowerLossVfs {
 public:
  PowerLossVfs();
  ~PowerLossVfs();
  PowerLossVfs(const PowerLossVfs&) = delete;
  PowerLossVfs& operator=(const PowerLossVfs&) = delete;

  // From now on every write, truncation, sync and deletion fails with an
  // I/O error.
  void CutPower();
  // Undoes what was not synced before the cut, in every file; the bytes
  // undone. Call once every connection is closed; the power is then on.
  Result<uint64_t> RestoreDurableState();
  // Bytes written (or cut off) and not yet synced, now.
  uint64_t unsynced_bytes() const;

  // The VFS's hooks (public for its C callbacks only).
  struct Undo {
    int64_t offset = 0;
    std::string old_bytes;  // what [offset, offset + size) held, up to the old end
    int64_t old_size = 0;   // the file's size before the change
    uint64_t changed = 0;   // bytes the change wrote or cut off
  };
  bool powered() const;
  void Record(const std::string& path, Undo undo);
  void Synced(const std::string& path);
  void Forget(const std::string& path);
  sqlite3_vfs* real() const { return real_; }

 private:
  sqlite3_vfs* real_;
  sqlite3_vfs vfs_;
  mutable std::mutex mu_;
  bool powered_ = true;
  std::map<std::string, std::vector<Undo>> unsynced_;
};

}  // namespace strongroom

#endif  // STRONGROOM_STORE_POWER_LOSS_VFS_H_
