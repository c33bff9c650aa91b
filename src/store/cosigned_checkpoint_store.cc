#include "store/cosigned_checkpoint_store.h"

#include <mutex>

#include "base/file.h"

namespace strongroom {
namespace {

class File : public CosignedCheckpointStore {
 public:
  explicit File(std::string path) : path_(std::move(path)) {}
  Result<std::optional<std::string>> Load() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!PathExists(path_)) return std::optional<std::string>();
    SR_ASSIGN_OR_RETURN(std::string note, ReadFile(path_));
    return std::optional<std::string>(std::move(note));
  }
  Status Keep(const std::string& note) override {
    std::lock_guard<std::mutex> lock(mu_);
    return WriteFileAtomic(path_, note);
  }

 private:
  std::mutex mu_;
  std::string path_;
};

class Memory : public CosignedCheckpointStore {
 public:
  Result<std::optional<std::string>> Load() override {
    std::lock_guard<std::mutex> lock(mu_);
    return note_;
  }
  Status Keep(const std::string& note) override {
    std::lock_guard<std::mutex> lock(mu_);
    note_ = note;
    return OkStatus();
  }

 private:
  std::mutex mu_;
  std::optional<std::string> note_;
};

}  // namespace

std::unique_ptr<CosignedCheckpointStore> CosignedCheckpointFile(std::string path) {
  return std::make_unique<File>(std::move(path));
}

std::unique_ptr<CosignedCheckpointStore> CosignedCheckpointInMemory() {
  return std::make_unique<Memory>();
}

}  // namespace strongroom
