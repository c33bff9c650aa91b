#include "store/memory_store.h"

#include <algorithm>
#include <map>

namespace strongroom {
namespace {

// Values order as SQLite orders them: integers numerically, before texts,
// texts bytewise.
int Compare(const Value& a, const Value& b) {
  const bool ai = std::holds_alternative<int64_t>(a), bi = std::holds_alternative<int64_t>(b);
  if (ai != bi) return ai ? -1 : 1;
  if (ai) {
    const int64_t x = std::get<int64_t>(a), y = std::get<int64_t>(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return std::get<std::string>(a).compare(std::get<std::string>(b)) < 0   ? -1
         : std::get<std::string>(a).compare(std::get<std::string>(b)) > 0 ? 1
                                                                          : 0;
}

struct KeyLess {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (int c = Compare(a[i], b[i]); c != 0) return c < 0;
    }
    return a.size() < b.size();
  }
};

bool Matches(const Value& cell, const Filter& f) {
  const int c = Compare(cell, f.value);
  switch (f.op) {
    case FilterOp::kEq:
      return c == 0;
    case FilterOp::kLt:
      return c < 0;
    case FilterOp::kLe:
      return c <= 0;
    case FilterOp::kGt:
      return c > 0;
    case FilterOp::kGe:
      return c >= 0;
  }
  return false;
}

class MemoryStore : public Store {
 public:
  explicit MemoryStore(std::vector<TableSpec> tables)
      : Store(std::move(tables)), rows_(tables_.size()) {}

  Result<std::optional<std::string>> GetMeta(const std::string& key) override {
    auto it = meta_.find(key);
    return it == meta_.end() ? std::optional<std::string>() : it->second;
  }
  Status PutMeta(const std::string& key, const std::string& value) override {
    meta_[key] = value;
    return OkStatus();
  }
  Result<uint64_t> LogSize() override {
    return checkpoints_.empty() ? 0 : checkpoints_.rbegin()->first;
  }
  Result<std::optional<std::string>> LatestCheckpoint() override {
    if (checkpoints_.empty()) return std::optional<std::string>();
    return std::optional<std::string>(checkpoints_.rbegin()->second);
  }
  Status ScanCheckpoints(
      const std::function<Status(uint64_t size, std::string_view note)>& fn) override {
    for (const auto& [size, note] : checkpoints_) SR_RETURN_IF_ERROR(fn(size, note));
    return OkStatus();
  }
  Result<std::string> ReadTile(int level, uint64_t index) override {
    auto it = tiles_.find({level, index});
    return it == tiles_.end() ? std::string() : it->second;
  }
  Status ScanTiles(
      const std::function<Status(int level, uint64_t index, std::string_view data)>& fn) override {
    for (const auto& [id, data] : tiles_) SR_RETURN_IF_ERROR(fn(id.first, id.second, data));
    return OkStatus();
  }
  Status ScanEntries(uint64_t begin, uint64_t end,
                     const std::function<Status(uint64_t, std::string_view)>& fn) override {
    for (uint64_t i = begin; i < end; ++i) {
      if (i >= entries_.size()) return DataLoss("entry " + std::to_string(i) + " is missing");
      SR_RETURN_IF_ERROR(fn(i, entries_[i]));
    }
    return OkStatus();
  }
  Result<uint64_t> CountEntries() override { return entries_.size(); }
  Status ScanDisclosures(uint64_t begin, uint64_t end,
                         const std::function<Status(uint64_t, std::string_view)>& fn) override {
    for (auto it = disclosures_.lower_bound(begin); it != disclosures_.end() && it->first < end;
         ++it) {
      SR_RETURN_IF_ERROR(fn(it->first, it->second));
    }
    return OkStatus();
  }

  Result<std::optional<Row>> GetRow(size_t table, const std::vector<Value>& key) override {
    const auto& rows = rows_.at(table);
    auto it = rows.find(key);
    return it == rows.end() ? std::optional<Row>() : std::optional<Row>(it->second);
  }
  Status QueryRows(size_t table, const std::vector<Filter>& filters, size_t limit,
                   const std::function<Status(const Row&)>& fn) override {
    const TableSpec& t = tables_.at(table);
    std::vector<size_t> columns;
    for (const Filter& f : filters) {
      auto it = std::find(t.columns.begin(), t.columns.end(), f.column);
      if (it == t.columns.end()) return InvalidArgument("no column " + f.column + " in " + t.name);
      columns.push_back(static_cast<size_t>(it - t.columns.begin()));
    }
    // A copy: `fn` may write (the contract lets a scan nest with other calls).
    std::vector<Row> matching;
    for (const auto& [key, row] : rows_.at(table)) {
      bool all = true;
      for (size_t i = 0; i < filters.size() && all; ++i) {
        all = Matches(row.values[columns[i]], filters[i]);
      }
      if (!all) continue;
      matching.push_back(row);
      if (limit && matching.size() == limit) break;
    }
    for (const Row& row : matching) SR_RETURN_IF_ERROR(fn(row));
    return OkStatus();
  }

  Status Commit(const LogBatch& batch, const std::vector<RowWrite>& writes) override {
    if (batch.epoch != epoch_) {
      return Aborted("the sequencer lease has moved on (epoch " + std::to_string(epoch_) +
                     ", this writer holds " + std::to_string(batch.epoch) + "): nothing written");
    }
    if (entries_.size() != batch.first_index) {
      return FailedPrecondition("the log has " + std::to_string(entries_.size()) +
                                " entries, not " + std::to_string(batch.first_index) +
                                ": another writer is active");
    }
    SR_RETURN_IF_ERROR(CheckRows(writes));
    for (size_t i = 0; i < batch.disclosures.size(); ++i) {
      if (!batch.disclosures[i].empty()) disclosures_[batch.first_index + i] = batch.disclosures[i];
    }
    entries_.insert(entries_.end(), batch.entries.begin(), batch.entries.end());
    for (const StoredTile& t : batch.tiles) tiles_[{t.level, t.index}] = t.data;
    if (!batch.head.empty()) meta_["committed_head"] = batch.head;
    Write(writes);
    return OkStatus();
  }
  Status PutCheckpoint(uint64_t size, const std::string& note) override {
    if (size > entries_.size()) {
      return FailedPrecondition("a checkpoint of size " + std::to_string(size) + " but only " +
                                std::to_string(entries_.size()) + " entries are committed");
    }
    if (auto it = checkpoints_.find(size); it != checkpoints_.end()) {
      if (it->second == note) return OkStatus();
      return FailedPrecondition("a different checkpoint of size " + std::to_string(size) +
                                " is stored already");
    }
    if (!checkpoints_.empty() && size < checkpoints_.rbegin()->first) {
      return FailedPrecondition("a checkpoint of size " + std::to_string(size) +
                                " below the latest, " +
                                std::to_string(checkpoints_.rbegin()->first));
    }
    checkpoints_[size] = note;
    return OkStatus();
  }
  Result<uint64_t> AcquireLease() override { return ++epoch_; }
  Status PutRows(const std::vector<RowWrite>& writes) override {
    SR_RETURN_IF_ERROR(CheckRows(writes));
    Write(writes);
    return OkStatus();
  }
  Status ReplaceTables(const std::vector<size_t>& tables, const std::vector<RowWrite>& rows,
                       const std::vector<std::pair<std::string, std::string>>& meta) override {
    for (const RowWrite& w : rows) {
      if (std::find(tables.begin(), tables.end(), w.table) == tables.end()) {
        return InvalidArgument("ReplaceTables: a row for a table not being replaced");
      }
    }
    SR_RETURN_IF_ERROR(CheckRows(rows));
    for (size_t table : tables) rows_.at(table).clear();
    Write(rows);
    for (const auto& [key, value] : meta) meta_[key] = value;
    return OkStatus();
  }

 private:
  // Rows as their tables declare them, all checked before any is written.
  Status CheckRows(const std::vector<RowWrite>& writes) const {
    for (const RowWrite& w : writes) {
      if (w.table >= tables_.size()) return InvalidArgument("no table " + std::to_string(w.table));
      const TableSpec& t = tables_[w.table];
      if (w.row.values.size() != t.columns.size()) {
        return InvalidArgument("a row of " + t.name + " with " +
                               std::to_string(w.row.values.size()) + " values");
      }
      for (size_t i = 0; i < t.columns.size(); ++i) {
        const bool integer = i < t.integer.size() && t.integer[i];
        if (std::holds_alternative<int64_t>(w.row.values[i]) != integer) {
          return InvalidArgument(t.name + "." + t.columns[i] + " is " +
                                 (integer ? "an integer" : "text"));
        }
      }
    }
    return OkStatus();
  }
  void Write(const std::vector<RowWrite>& writes) {
    for (const RowWrite& w : writes) {
      const size_t key_columns = tables_[w.table].key_columns;
      std::vector<Value> key(w.row.values.begin(),
                             w.row.values.begin() + static_cast<ptrdiff_t>(key_columns));
      rows_[w.table][std::move(key)] = w.row;
    }
  }

  std::map<std::string, std::string> meta_;
  std::vector<std::string> entries_;
  std::map<uint64_t, std::string> disclosures_;
  std::map<std::pair<int, uint64_t>, std::string> tiles_;
  std::map<uint64_t, std::string> checkpoints_;
  uint64_t epoch_ = 0;
  std::vector<std::map<std::vector<Value>, Row, KeyLess>> rows_;
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore(std::vector<TableSpec> tables) {
  for (auto& t : tables) {
    if (t.integer.size() != t.columns.size()) t.integer.resize(t.columns.size(), false);
  }
  return std::make_unique<MemoryStore>(std::move(tables));
}

}  // namespace strongroom
