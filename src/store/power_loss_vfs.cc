#include "store/power_loss_vfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace strongroom {
namespace {

// A file of the shim: the real file's handle follows it in the same block.
struct ShimFile {
  sqlite3_file base;
  PowerLossVfs* vfs;
  std::string* path;  // null for temporary files (never durable anyway)
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

ShimFile* Shim(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f); }
PowerLossVfs* Owner(sqlite3_vfs* v) { return static_cast<PowerLossVfs*>(v->pAppData); }

// The bytes of `f` in [offset, offset + n) that exist now, and its size.
int ReadOld(ShimFile* f, int64_t offset, int64_t n, PowerLossVfs::Undo* undo) {
  sqlite3_int64 size = 0;
  if (int rc = f->real()->pMethods->xFileSize(f->real(), &size); rc != SQLITE_OK) return rc;
  undo->offset = offset;
  undo->old_size = size;
  const int64_t have = std::max<int64_t>(0, std::min<int64_t>(offset + n, size) - offset);
  undo->old_bytes.resize(static_cast<size_t>(have));
  if (have == 0) return SQLITE_OK;
  return f->real()->pMethods->xRead(f->real(), undo->old_bytes.data(), static_cast<int>(have),
                                    offset);
}

int Close(sqlite3_file* file) {
  ShimFile* f = Shim(file);
  const int rc = f->real()->pMethods ? f->real()->pMethods->xClose(f->real()) : SQLITE_OK;
  delete f->path;
  f->path = nullptr;
  return rc;
}

int Read(sqlite3_file* file, void* out, int n, sqlite3_int64 offset) {
  ShimFile* f = Shim(file);
  return f->real()->pMethods->xRead(f->real(), out, n, offset);
}

int Write(sqlite3_file* file, const void* data, int n, sqlite3_int64 offset) {
  ShimFile* f = Shim(file);
  if (!f->vfs->powered()) return SQLITE_IOERR_WRITE;
  if (f->path) {
    PowerLossVfs::Undo undo;
    if (int rc = ReadOld(f, offset, n, &undo); rc != SQLITE_OK) return rc;
    undo.changed = static_cast<uint64_t>(n);
    f->vfs->Record(*f->path, std::move(undo));
  }
  return f->real()->pMethods->xWrite(f->real(), data, n, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  ShimFile* f = Shim(file);
  if (!f->vfs->powered()) return SQLITE_IOERR_TRUNCATE;
  if (f->path) {
    sqlite3_int64 old = 0;
    if (int rc = f->real()->pMethods->xFileSize(f->real(), &old); rc != SQLITE_OK) return rc;
    if (old > size) {
      PowerLossVfs::Undo undo;
      if (int rc = ReadOld(f, size, old - size, &undo); rc != SQLITE_OK) return rc;
      undo.changed = static_cast<uint64_t>(old - size);
      f->vfs->Record(*f->path, std::move(undo));
    }
  }
  return f->real()->pMethods->xTruncate(f->real(), size);
}

int Sync(sqlite3_file* file, int flags) {
  ShimFile* f = Shim(file);
  if (!f->vfs->powered()) return SQLITE_IOERR_FSYNC;
  const int rc = f->real()->pMethods->xSync(f->real(), flags);
  if (rc == SQLITE_OK && f->path) f->vfs->Synced(*f->path);
  return rc;
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  return Shim(file)->real()->pMethods->xFileSize(Shim(file)->real(), size);
}
int Lock(sqlite3_file* file, int level) {
  return Shim(file)->real()->pMethods->xLock(Shim(file)->real(), level);
}
int Unlock(sqlite3_file* file, int level) {
  return Shim(file)->real()->pMethods->xUnlock(Shim(file)->real(), level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Shim(file)->real()->pMethods->xCheckReservedLock(Shim(file)->real(), out);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
  return Shim(file)->real()->pMethods->xFileControl(Shim(file)->real(), op, arg);
}
int SectorSize(sqlite3_file* file) {
  return Shim(file)->real()->pMethods->xSectorSize(Shim(file)->real());
}
int DeviceCharacteristics(sqlite3_file* file) {
  return Shim(file)->real()->pMethods->xDeviceCharacteristics(Shim(file)->real());
}
int ShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return Shim(file)->real()->pMethods->xShmMap(Shim(file)->real(), region, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Shim(file)->real()->pMethods->xShmLock(Shim(file)->real(), offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) { Shim(file)->real()->pMethods->xShmBarrier(Shim(file)->real()); }
int ShmUnmap(sqlite3_file* file, int remove) {
  return Shim(file)->real()->pMethods->xShmUnmap(Shim(file)->real(), remove);
}
// No memory-mapped reads: every read goes through Read().
int Fetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int Unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

const sqlite3_io_methods kMethods = {
    3,        Close,   Read,    Write,   Truncate, Sync,    FileSize,  Lock,
    Unlock,   CheckReservedLock, FileControl, SectorSize, DeviceCharacteristics,
    ShmMap,   ShmLock, ShmBarrier, ShmUnmap, Fetch, Unfetch};

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  PowerLossVfs* owner = Owner(vfs);
  ShimFile* f = Shim(file);
  f->base.pMethods = nullptr;
  f->vfs = owner;
  f->path = nullptr;
  const int rc = owner->real()->xOpen(owner->real(), name, f->real(), flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  if (name) f->path = new std::string(name);
  f->base.pMethods = &kMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  PowerLossVfs* owner = Owner(vfs);
  if (!owner->powered()) return SQLITE_IOERR_DELETE;
  const int rc = owner->real()->xDelete(owner->real(), name, sync_dir);
  if (rc == SQLITE_OK) owner->Forget(name);
  return rc;
}

int Access(sqlite3_vfs* v, const char* name, int flags, int* out) {
  return Owner(v)->real()->xAccess(Owner(v)->real(), name, flags, out);
}
int FullPathname(sqlite3_vfs* v, const char* name, int n, char* out) {
  return Owner(v)->real()->xFullPathname(Owner(v)->real(), name, n, out);
}
void* DlOpen(sqlite3_vfs* v, const char* name) {
  return Owner(v)->real()->xDlOpen(Owner(v)->real(), name);
}
void DlError(sqlite3_vfs* v, int n, char* out) { Owner(v)->real()->xDlError(Owner(v)->real(), n, out); }
void (*DlSym(sqlite3_vfs* v, void* h, const char* sym))(void) {
  return Owner(v)->real()->xDlSym(Owner(v)->real(), h, sym);
}
void DlClose(sqlite3_vfs* v, void* h) { Owner(v)->real()->xDlClose(Owner(v)->real(), h); }
int Randomness(sqlite3_vfs* v, int n, char* out) {
  return Owner(v)->real()->xRandomness(Owner(v)->real(), n, out);
}
int Sleep(sqlite3_vfs* v, int us) { return Owner(v)->real()->xSleep(Owner(v)->real(), us); }
int CurrentTime(sqlite3_vfs* v, double* out) {
  return Owner(v)->real()->xCurrentTime(Owner(v)->real(), out);
}
int GetLastError(sqlite3_vfs* v, int n, char* out) {
  return Owner(v)->real()->xGetLastError(Owner(v)->real(), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* v, sqlite3_int64* out) {
  return Owner(v)->real()->xCurrentTimeInt64(Owner(v)->real(), out);
}

}  // namespace

PowerLossVfs::PowerLossVfs() : real_(sqlite3_vfs_find(nullptr)) {
  SR_CHECK(real_ != nullptr && real_->iVersion >= 2);
  std::memset(&vfs_, 0, sizeof vfs_);
  vfs_.iVersion = 2;
  vfs_.szOsFile = static_cast<int>(sizeof(ShimFile)) + real_->szOsFile;
  vfs_.mxPathname = real_->mxPathname;
  vfs_.zName = "strongroom-power-loss";
  vfs_.pAppData = this;
  vfs_.xOpen = Open;
  vfs_.xDelete = Delete;
  vfs_.xAccess = Access;
  vfs_.xFullPathname = FullPathname;
  vfs_.xDlOpen = DlOpen;
  vfs_.xDlError = DlError;
  vfs_.xDlSym = DlSym;
  vfs_.xDlClose = DlClose;
  vfs_.xRandomness = Randomness;
  vfs_.xSleep = Sleep;
  vfs_.xCurrentTime = CurrentTime;
  vfs_.xGetLastError = GetLastError;
  vfs_.xCurrentTimeInt64 = CurrentTimeInt64;
  SR_CHECK(sqlite3_vfs_register(&vfs_, /*makeDflt=*/1) == SQLITE_OK);
}

PowerLossVfs::~PowerLossVfs() {
  sqlite3_vfs_unregister(&vfs_);
  sqlite3_vfs_register(real_, /*makeDflt=*/1);
}

bool PowerLossVfs::powered() const {
  std::lock_guard<std::mutex> lock(mu_);
  return powered_;
}

void PowerLossVfs::CutPower() {
  std::lock_guard<std::mutex> lock(mu_);
  powered_ = false;
}

void PowerLossVfs::Record(const std::string& path, Undo undo) {
  std::lock_guard<std::mutex> lock(mu_);
  unsynced_[path].push_back(std::move(undo));
}

void PowerLossVfs::Synced(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  unsynced_.erase(path);
}

void PowerLossVfs::Forget(const std::string& path) { Synced(path); }

uint64_t PowerLossVfs::unsynced_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t n = 0;
  for (const auto& [path, undos] : unsynced_) {
    for (const Undo& u : undos) n += u.changed;
  }
  return n;
}

Result<uint64_t> PowerLossVfs::RestoreDurableState() {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t undone = 0;
  for (auto& [path, undos] : unsynced_) {
    const int fd = ::open(path.c_str(), O_RDWR);
    if (fd < 0) continue;  // deleted since: nothing of it to keep
    for (auto u = undos.rbegin(); u != undos.rend(); ++u) {
      const auto n = static_cast<ssize_t>(u->old_bytes.size());
      if ((n > 0 && ::pwrite(fd, u->old_bytes.data(), static_cast<size_t>(n), u->offset) != n) ||
          ::ftruncate(fd, u->old_size) != 0) {
        ::close(fd);
        return Internal("cannot restore " + path);
      }
      undone += u->changed;
    }
    ::fsync(fd);
    ::close(fd);
  }
  unsynced_.clear();
  powered_ = true;
  return undone;
}

}  // namespace strongroom
