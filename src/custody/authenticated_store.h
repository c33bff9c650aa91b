// Projection rows authenticated with a key the database does not hold.
//
// The projection is derived from the log, so whoever edits a row (an
// administrator with the database file: a holding made UNCLASSIFIED, a
// grant made to last forever) would have the service act on a lie until
// `verify` ran. Every row of an authenticated table carries, in a last
// column `mac`, HMAC-SHA256 under a key derived from the log's signing key
// (which the database does not hold: it is sealed, docs/security.md) of
// the table's name and the row's values. A keyed store checks it on every
// read and refuses a row that does not check out with DataLoss; it computes
// it on every write.
//
// Without the key (a local reader: `strongroom holding show --data`, which
// reads whatever the files hold, as `verify` does before it checks them),
// rows are read unchecked and projection writes are refused — except a
// rebuild from the log (ReplaceTables), whose rows carry no MAC until a
// keyed process rebuilds them again (meta "projection_macs" says which).
#ifndef STRONGROOM_CUSTODY_AUTHENTICATED_STORE_H_
#define STRONGROOM_CUSTODY_AUTHENTICATED_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "ledger/note.h"
#include "store/store.h"

namespace strongroom {

// The tables as the back end stores them: each authenticated one with a
// last TEXT column "mac".
std::vector<TableSpec> WithMacColumns(const std::vector<TableSpec>& tables,
                                      const std::vector<bool>& authenticated);

// The projection's MAC key, derived from the log's signing key: from its
// seed when this process holds it; from its (deterministic) signature of a
// label that is never a note's text (no final newline) when a token holds
// it. Fails only when the token does not sign.
Result<std::string> ProjectionKey(const NoteSigner& log_key);

inline constexpr const char* kProjectionMacsMeta = "projection_macs";

class AuthenticatedStore : public Store {
 public:
  // `inner` holds WithMacColumns(tables, authenticated).
  AuthenticatedStore(std::unique_ptr<Store> inner, std::vector<TableSpec> tables,
                     std::vector<bool> authenticated);

  // From now on, rows are checked and written with their MACs. `on_failure`
  // hears of every row that does not check out (an alarm).
  void SetKey(std::string key, std::function<void(const std::string&)> on_failure = nullptr);
  bool keyed() const { return !key_.empty(); }
  const std::string& key() const { return key_; }
  const std::function<void(const std::string&)>& on_failure() const { return on_failure_; }

  // Reads every row of every authenticated table: how many, if each checks
  // out.
  Result<uint64_t> CheckAll();

  Result<std::optional<std::string>> GetMeta(const std::string& key) override;
  Status PutMeta(const std::string& key, const std::string& value) override;
  Result<uint64_t> LogSize() override;
  Result<std::optional<std::string>> LatestCheckpoint() override;
  Status ScanCheckpoints(
      const std::function<Status(uint64_t size, std::string_view note)>& fn) override;
  Result<std::string> ReadTile(int level, uint64_t index) override;
  Status ScanTiles(
      const std::function<Status(int level, uint64_t index, std::string_view data)>& fn) override;
  Status ScanEntries(uint64_t begin, uint64_t end,
                     const std::function<Status(uint64_t, std::string_view)>& fn) override;
  Result<uint64_t> CountEntries() override;
  Status ScanDisclosures(uint64_t begin, uint64_t end,
                         const std::function<Status(uint64_t, std::string_view)>& fn) override;
  Result<std::optional<Row>> GetRow(size_t table, const std::vector<Value>& key) override;
  Status QueryRows(size_t table, const std::vector<Filter>& filters, size_t limit,
                   const std::function<Status(const Row&)>& fn) override;
  Status Commit(const LogBatch& batch, const std::vector<RowWrite>& writes) override;
  Status PutCheckpoint(uint64_t size, const std::string& note) override;
  Result<uint64_t> AcquireLease() override;
  void BeginReads() override { inner_->BeginReads(); }
  void EndReads() override { inner_->EndReads(); }
  Status PutRows(const std::vector<RowWrite>& writes) override;
  Status ReplaceTables(const std::vector<size_t>& tables, const std::vector<RowWrite>& rows,
                       const std::vector<std::pair<std::string, std::string>>& meta) override;

 private:
  std::string Mac(size_t table, const std::vector<Value>& values) const;
  // The row without its MAC, checked when keyed.
  Result<Row> Opened(size_t table, Row stored) const;
  // The writes with their MACs (refused without the key, unless `unkeyed_ok`).
  Result<std::vector<RowWrite>> Sealed(const std::vector<RowWrite>& writes,
                                       bool unkeyed_ok) const;

  std::unique_ptr<Store> inner_;
  std::vector<bool> authenticated_;
  std::string key_;
  std::function<void(const std::string&)> on_failure_;
};

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_AUTHENTICATED_STORE_H_
