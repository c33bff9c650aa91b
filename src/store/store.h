// The storage contract. One interface, several back ends (SQLite now,
// PostgreSQL for clusters); nothing above this layer writes SQL.
//
// A store holds four things:
//   * the log: entries by index, C2SP hash tiles, signed checkpoints;
//   * the projection: tables of current state described by TableSpec,
//     written only through Commit together with the log entries that cause
//     the change;
//   * a few meta values (origin, verifier key, schema version).
// Commit is the single write path for log and projection: one atomic,
// durable transaction. A store is used by one sequencer at a time (the data
// directory is locked by the layer above); reads may run concurrently.
#ifndef STRONGROOM_STORE_STORE_H_
#define STRONGROOM_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.h"

namespace strongroom {

// A projection cell: an integer or a text.
using Value = std::variant<int64_t, std::string>;
std::string ValueToString(const Value& v);

// A projection table: its name, its columns (all NOT NULL), how many leading
// columns form the primary key, and its indexes (each one column, or several
// separated by commas: "person,scope,target").
struct TableSpec {
  std::string name;
  std::vector<std::string> columns;
  std::vector<bool> integer;  // per column: INTEGER (true) or TEXT (false)
  size_t key_columns = 1;
  std::vector<std::string> indexed;
};

struct Row {
  std::vector<Value> values;
  bool operator==(const Row&) const = default;
};

// Inserts or replaces a row of table `table` (an index into the store's specs).
// `before`, when the writer knows it, is what the row's leading
// before.size() columns hold in the store now (the writer read them, or
// wrote them): a store may then write only the columns that differ (an index
// whose columns did not change is not touched — most of the cost of an
// update). If the row is not there after all, the write inserts it.
struct RowWrite {
  size_t table = 0;
  Row row;
  std::vector<Value> before = {};
};

struct StoredTile {
  int level;
  uint64_t index;
  std::string data;  // width · 32 bytes
};

// One sequencer batch: entries [first_index, first_index + entries.size())
// and the hash tiles they created or grew, written by the sequencer holding
// lease `epoch`. The checkpoint that covers them is signed only once they
// are durable, and stored with PutCheckpoint (commit first, then sign:
// ../docs/storage.md says why).
struct LogBatch {
  uint64_t first_index = 0;
  std::vector<std::string> entries;
  // The disclosure of each entry that seals fields (custody/event.h: the
  // cleartext behind its commitments and the key of their salts), kept
  // beside the log and never published: empty for an entry that seals
  // nothing. Either empty or one per entry.
  std::vector<std::string> disclosures;
  std::vector<StoredTile> tiles;
  uint64_t epoch = 0;
  // The sequencer's authenticator of the tree the batch produces (not a
  // checkpoint: ledger/log_writer.h), kept as meta "committed_head" in the
  // same transaction when not empty.
  std::string head;
};

// A filter on a projection query: column <op> value (integers compare as
// numbers, texts bytewise).
enum class FilterOp { kEq, kLt, kLe, kGt, kGe };
struct Filter {
  std::string column;
  Value value;
  FilterOp op = FilterOp::kEq;
};

class Store {
 public:
  virtual ~Store() = default;

  const std::vector<TableSpec>& tables() const { return tables_; }

  virtual Result<std::optional<std::string>> GetMeta(const std::string& key) = 0;
  virtual Status PutMeta(const std::string& key, const std::string& value) = 0;

  // The log. LogSize is the size of the latest checkpoint (0 if none): what
  // is signed and published. CountEntries (below) is what is committed,
  // which may run ahead of it between a commit and its checkpoint.
  virtual Result<uint64_t> LogSize() = 0;
  virtual Result<std::optional<std::string>> LatestCheckpoint() = 0;
  // Every stored checkpoint, by increasing size.
  virtual Status ScanCheckpoints(
      const std::function<Status(uint64_t size, std::string_view note)>& fn) = 0;
  // The stored bytes of hash tile (level, index); empty if there is none.
  virtual Result<std::string> ReadTile(int level, uint64_t index) = 0;
  virtual Status ScanTiles(
      const std::function<Status(int level, uint64_t index, std::string_view data)>& fn) = 0;
  // Entries [begin, end) in index order; DataLoss if one is missing.
  virtual Status ScanEntries(uint64_t begin, uint64_t end,
                             const std::function<Status(uint64_t, std::string_view)>& fn) = 0;
  // One past the highest stored entry index (0 if none).
  virtual Result<uint64_t> CountEntries() = 0;
  // The disclosures stored for entries [begin, end), in index order (only
  // the entries that have one).
  virtual Status ScanDisclosures(uint64_t begin, uint64_t end,
                                 const std::function<Status(uint64_t, std::string_view)>& fn) = 0;

  // The projection.
  virtual Result<std::optional<Row>> GetRow(size_t table, const std::vector<Value>& key) = 0;
  // Rows matching every filter, in primary-key order, at most `limit` (0 = all).
  virtual Status QueryRows(size_t table, const std::vector<Filter>& filters, size_t limit,
                           const std::function<Status(const Row&)>& fn) = 0;

  // Appends the batch and applies the row writes in one durable transaction.
  // Nothing is written, and: Aborted if batch.epoch is not the store's
  // current lease epoch (a newer sequencer holds the log; 0 until a lease is
  // taken); FailedPrecondition if the committed entries are not
  // batch.first_index.
  virtual Status Commit(const LogBatch& batch, const std::vector<RowWrite>& writes) = 0;
  // Stores the signed checkpoint `note` for tree size `size`, once its
  // entries are committed. FailedPrecondition if `size` is beyond the
  // committed entries or below the latest checkpoint, or if a different
  // note is stored for `size` already (storing the same one again is fine:
  // signing a state twice gives the same bytes). It need not be durable by
  // itself: a checkpoint lost in a crash is signed again, identically, by
  // the next writer.
  virtual Status PutCheckpoint(uint64_t size, const std::string& note) = 0;
  // Takes the sequencer lease: atomically increments the store's epoch and
  // returns it. From then on only batches of this epoch commit.
  virtual Result<uint64_t> AcquireLease() = 0;
  // Reads from BeginReads() to EndReads() may share one read transaction
  // (one snapshot) instead of each taking its own: the sequencer brackets a
  // batch's loads with them. A back end may ignore them.
  virtual void BeginReads() {}
  virtual void EndReads() {}
  // Rows written atomically without a log batch: only for tables the log
  // does not describe (credentials); the projection is written by Commit.
  virtual Status PutRows(const std::vector<RowWrite>& writes) = 0;
  // Drops the given projection tables, creates them again as their specs now
  // say, writes `rows` into them and sets `meta`, in one transaction: how a
  // projection is rebuilt from the log when an upgrade changes its shape.
  virtual Status ReplaceTables(const std::vector<size_t>& tables, const std::vector<RowWrite>& rows,
                               const std::vector<std::pair<std::string, std::string>>& meta) = 0;

 protected:
  explicit Store(std::vector<TableSpec> tables) : tables_(std::move(tables)) {}
  std::vector<TableSpec> tables_;
};

// Entries [begin, end) in index order, each with its disclosure ("" if it
// has none): what a reader that replays the log needs.
Status ScanDisclosedEntries(
    Store* store, uint64_t begin, uint64_t end,
    const std::function<Status(uint64_t, std::string_view entry, std::string_view disclosure)>& fn);

// BeginReads() for as long as it lives, EndReads() when it goes (also when
// an exception passes): a store handle must never go back to a pool with a
// read transaction open, or its reads would stay on an old snapshot.
class ScopedReads {
 public:
  explicit ScopedReads(Store* store) : store_(store) { store_->BeginReads(); }
  ~ScopedReads() { store_->EndReads(); }
  ScopedReads(const ScopedReads&) = delete;
  ScopedReads& operator=(const ScopedReads&) = delete;

 private:
  Store* store_;
};

}  // namespace strongroom

#endif  // STRONGROOM_STORE_STORE_H_
