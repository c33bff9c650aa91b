// A Store that forwards to another and fails on command: for tests of what
// the layers above do when a commit fails (SQLite's fault-injection loops,
// LevelDB's fault_injection_test). Thread-compatible, like the store it wraps.
#ifndef STRONGROOM_STORE_FAULT_INJECTING_STORE_H_
#define STRONGROOM_STORE_FAULT_INJECTING_STORE_H_

#include <atomic>
#include <cstdint>

#include "store/store.h"

namespace strongroom {

class FaultInjectingStore : public Store {
 public:
  enum class Fault {
    kBeforeCommit,  // the commit writes nothing and fails
    kAfterCommit,   // the commit is durable, but the caller is told it failed
                    // (a connection lost after COMMIT: the outcome is unknown)
  };

  explicit FaultInjectingStore(Store* inner) : Store(inner->tables()), inner_(inner) {}

  // The commit that would store entry `index` fails as `fault` says, once.
  void FailCommitOf(uint64_t index, Fault fault) {
    fail_index_ = index;
    fault_ = fault;
  }
  // The next PutCheckpoint fails (its batch is durable, but not signed).
  void FailNextCheckpoint() { fail_checkpoint_ = true; }
  uint64_t failed_commits() const { return failed_; }

  Result<std::optional<std::string>> GetMeta(const std::string& key) override {
    return inner_->GetMeta(key);
  }
  Status PutMeta(const std::string& key, const std::string& value) override {
    return inner_->PutMeta(key, value);
  }
  Result<uint64_t> LogSize() override { return inner_->LogSize(); }
  Result<std::optional<std::string>> LatestCheckpoint() override {
    return inner_->LatestCheckpoint();
  }
  Status ScanCheckpoints(
      const std::function<Status(uint64_t size, std::string_view note)>& fn) override {
    return inner_->ScanCheckpoints(fn);
  }
  Result<std::string> ReadTile(int level, uint64_t index) override {
    return inner_->ReadTile(level, index);
  }
  Status ScanTiles(
      const std::function<Status(int level, uint64_t index, std::string_view data)>& fn) override {
    return inner_->ScanTiles(fn);
  }
  Status ScanEntries(uint64_t begin, uint64_t end,
                     const std::function<Status(uint64_t, std::string_view)>& fn) override {
    return inner_->ScanEntries(begin, end, fn);
  }
  Result<uint64_t> CountEntries() override { return inner_->CountEntries(); }
  Status ScanDisclosures(uint64_t begin, uint64_t end,
                         const std::function<Status(uint64_t, std::string_view)>& fn) override {
    return inner_->ScanDisclosures(begin, end, fn);
  }
  Result<std::optional<Row>> GetRow(size_t table, const std::vector<Value>& key) override {
    return inner_->GetRow(table, key);
  }
  Status QueryRows(size_t table, const std::vector<Filter>& filters, size_t limit,
                   const std::function<Status(const Row&)>& fn) override {
    return inner_->QueryRows(table, filters, limit, fn);
  }
  Status Commit(const LogBatch& batch, const std::vector<RowWrite>& writes) override {
    const uint64_t end = batch.first_index + batch.entries.size();
    const bool hit = fail_index_ >= batch.first_index && fail_index_ < end;
    if (!hit) return inner_->Commit(batch, writes);
    fail_index_ = UINT64_MAX;
    ++failed_;
    if (fault_ == Fault::kAfterCommit) SR_RETURN_IF_ERROR(inner_->Commit(batch, writes));
    return Unavailable(
        "injected fault: the commit of entries " + std::to_string(batch.first_index) + ".." +
        std::to_string(end - 1) +
        (fault_ == Fault::kAfterCommit ? " was lost after it was durable" : " failed"));
  }
  Status PutCheckpoint(uint64_t size, const std::string& note) override {
    if (fail_checkpoint_) {
      fail_checkpoint_ = false;
      ++failed_;
      return Unavailable("injected fault: the checkpoint of size " + std::to_string(size) +
                         " was not stored");
    }
    return inner_->PutCheckpoint(size, note);
  }
  Result<uint64_t> AcquireLease() override { return inner_->AcquireLease(); }
  void BeginReads() override { inner_->BeginReads(); }
  void EndReads() override { inner_->EndReads(); }
  Status PutRows(const std::vector<RowWrite>& writes) override { return inner_->PutRows(writes); }
  Status ReplaceTables(const std::vector<size_t>& tables, const std::vector<RowWrite>& rows,
                       const std::vector<std::pair<std::string, std::string>>& meta) override {
    return inner_->ReplaceTables(tables, rows, meta);
  }

 private:
  Store* inner_;
  std::atomic<uint64_t> fail_index_ = UINT64_MAX;
  Fault fault_ = Fault::kBeforeCommit;
  std::atomic<uint64_t> failed_ = 0;
  std::atomic<bool> fail_checkpoint_ = false;
};

}  // namespace strongroom

#endif  // STRONGROOM_STORE_FAULT_INJECTING_STORE_H_
