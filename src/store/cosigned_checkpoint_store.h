// The latest cosigned checkpoint — the checkpoint with the log's signature
// and its witnesses' cosignature lines (C2SP tlog-cosignature) — kept where
// a restarted strongroomd, or another one of a cluster, finds it. Behind an
// interface a database can implement; here, a file beside the store
// (written atomically) and process memory (tests).
#ifndef STRONGROOM_STORE_COSIGNED_CHECKPOINT_STORE_H_
#define STRONGROOM_STORE_COSIGNED_CHECKPOINT_STORE_H_

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"

namespace strongroom {

// Thread-safe.
class CosignedCheckpointStore {
 public:
  virtual ~CosignedCheckpointStore() = default;
  // The note kept last, if any.
  virtual Result<std::optional<std::string>> Load() = 0;
  // Replaces it (the caller checks that it grows or cosigns the same tree).
  virtual Status Keep(const std::string& note) = 0;
};

std::unique_ptr<CosignedCheckpointStore> CosignedCheckpointFile(std::string path);
std::unique_ptr<CosignedCheckpointStore> CosignedCheckpointInMemory();

}  // namespace strongroom

#endif  // STRONGROOM_STORE_COSIGNED_CHECKPOINT_STORE_H_
