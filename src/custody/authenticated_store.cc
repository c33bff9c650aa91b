#include "custody/authenticated_store.h"

#include <openssl/crypto.h>

#include "base/encoding.h"
#include "crypto/sha256.h"

namespace strongroom {

std::vector<TableSpec> WithMacColumns(const std::vector<TableSpec>& tables,
                                      const std::vector<bool>& authenticated) {
  std::vector<TableSpec> out = tables;
  for (size_t t = 0; t < out.size(); ++t) {
    if (t < authenticated.size() && authenticated[t]) {
      out[t].columns.push_back("mac");
      out[t].integer.push_back(false);
    }
  }
  return out;
}

Result<std::string> ProjectionKey(const NoteSigner& log_key) {
  constexpr std::string_view kLabel = "strongroom projection mac key v1";
  if (const Ed25519PrivateKey* key = log_key.key()) return HmacSha256(key->seed(), kLabel).str();
  SR_ASSIGN_OR_RETURN(std::string signature, log_key.Sign(kLabel));
  return HmacSha256(signature, kLabel).str();
}

AuthenticatedStore::AuthenticatedStore(std::unique_ptr<Store> inner, std::vector<TableSpec> tables,
                                       std::vector<bool> authenticated)
    : Store(std::move(tables)), inner_(std::move(inner)), authenticated_(std::move(authenticated)) {
  authenticated_.resize(tables_.size(), false);
}

void AuthenticatedStore::SetKey(std::string key,
                                std::function<void(const std::string&)> on_failure) {
  key_ = std::move(key);
  on_failure_ = std::move(on_failure);
}

// The table's name and each value, tagged and length-prefixed, so that no
// two rows (of two tables) share the bytes a MAC covers.
std::string AuthenticatedStore::Mac(size_t table, const std::vector<Value>& values) const {
  std::string text = "strongroom projection row v1\n" + tables_[table].name + "\n";
  auto be64 = [&](uint64_t v) {
    for (int i = 7; i >= 0; --i) text.push_back(static_cast<char>(v >> (8 * i)));
  };
  for (const Value& v : values) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      text.push_back('i');
      be64(static_cast<uint64_t>(*i));
    } else {
      const std::string& s = std::get<std::string>(v);
      text.push_back('s');
      be64(s.size());
      text += s;
    }
  }
  return Base64Encode(HmacSha256(key_, text).view());
}

Result<Row> AuthenticatedStore::Opened(size_t table, Row stored) const {
  if (table >= authenticated_.size() || !authenticated_[table]) return stored;
  if (stored.values.empty()) return DataLoss("a row of " + tables_[table].name + " has no MAC");
  const Value mac = std::move(stored.values.back());
  stored.values.pop_back();
  if (!keyed()) return stored;
  const auto* text = std::get_if<std::string>(&mac);
  const std::string want = Mac(table, stored.values);
  if (!text || text->size() != want.size() ||
      CRYPTO_memcmp(text->data(), want.data(), want.size()) != 0) {
    std::string what = "the " + tables_[table].name + " row " +
                       (stored.values.empty() ? std::string() : ValueToString(stored.values[0])) +
                       " does not check out against its MAC: it was written or edited outside "
                       "strongroom (run strongroom verify)";
    if (on_failure_) on_failure_(what);
    return DataLoss(what);
  }
  return stored;
}

Result<std::vector<RowWrite>> AuthenticatedStore::Sealed(const std::vector<RowWrite>& writes,
                                                         bool unkeyed_ok) const {
  std::vector<RowWrite> out = writes;
  for (RowWrite& w : out) {
    if (w.table >= authenticated_.size() || !authenticated_[w.table]) continue;
    if (!keyed() && !unkeyed_ok) {
      return FailedPrecondition("the projection is written only by a process holding the log key");
    }
    w.row.values.push_back(keyed() ? Mac(w.table, w.row.values) : std::string());
  }
  return out;
}

Result<uint64_t> AuthenticatedStore::CheckAll() {
  if (!keyed()) return FailedPrecondition("no key to check the projection's rows with");
  uint64_t rows = 0;
  for (size_t t = 0; t < tables_.size(); ++t) {
    if (!authenticated_[t]) continue;
    SR_RETURN_IF_ERROR(QueryRows(t, {}, 0, [&](const Row&) {
      ++rows;
      return OkStatus();
    }));
  }
  return rows;
}

Result<std::optional<std::string>> AuthenticatedStore::GetMeta(const std::string& key) {
  return inner_->GetMeta(key);
}
Status AuthenticatedStore::PutMeta(const std::string& key, const std::string& value) {
  return inner_->PutMeta(key, value);
}
Result<uint64_t> AuthenticatedStore::LogSize() { return inner_->LogSize(); }
Result<std::optional<std::string>> AuthenticatedStore::LatestCheckpoint() {
  return inner_->LatestCheckpoint();
}
Status AuthenticatedStore::ScanCheckpoints(
    const std::function<Status(uint64_t size, std::string_view note)>& fn) {
  return inner_->ScanCheckpoints(fn);
}
Result<std::string> AuthenticatedStore::ReadTile(int level, uint64_t index) {
  return inner_->ReadTile(level, index);
}
Status AuthenticatedStore::ScanTiles(
    const std::function<Status(int level, uint64_t index, std::string_view data)>& fn) {
  return inner_->ScanTiles(fn);
}
Status AuthenticatedStore::ScanEntries(uint64_t begin, uint64_t end,
                                       const std::function<Status(uint64_t, std::string_view)>& fn) {
  return inner_->ScanEntries(begin, end, fn);
}
Result<uint64_t> AuthenticatedStore::CountEntries() { return inner_->CountEntries(); }
// Not MAC'd: every reader checks a disclosure against the commitments of its
// entry, which the log's signature covers.
Status AuthenticatedStore::ScanDisclosures(
    uint64_t begin, uint64_t end, const std::function<Status(uint64_t, std::string_view)>& fn) {
  return inner_->ScanDisclosures(begin, end, fn);
}

Result<std::optional<Row>> AuthenticatedStore::GetRow(size_t table,
                                                      const std::vector<Value>& key) {
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, inner_->GetRow(table, key));
  if (!row) return row;
  SR_ASSIGN_OR_RETURN(Row opened, Opened(table, std::move(*row)));
  return std::optional<Row>(std::move(opened));
}

Status AuthenticatedStore::QueryRows(size_t table, const std::vector<Filter>& filters,
                                     size_t limit, const std::function<Status(const Row&)>& fn) {
  return inner_->QueryRows(table, filters, limit, [&](const Row& stored) -> Status {
    SR_ASSIGN_OR_RETURN(Row opened, Opened(table, stored));
    return fn(opened);
  });
}

Status AuthenticatedStore::Commit(const LogBatch& batch, const std::vector<RowWrite>& writes) {
  SR_ASSIGN_OR_RETURN(std::vector<RowWrite> sealed, Sealed(writes, false));
  return inner_->Commit(batch, sealed);
}

Status AuthenticatedStore::PutCheckpoint(uint64_t size, const std::string& note) {
  return inner_->PutCheckpoint(size, note);
}
Result<uint64_t> AuthenticatedStore::AcquireLease() { return inner_->AcquireLease(); }

Status AuthenticatedStore::PutRows(const std::vector<RowWrite>& writes) {
  SR_ASSIGN_OR_RETURN(std::vector<RowWrite> sealed, Sealed(writes, false));
  return inner_->PutRows(sealed);
}

Status AuthenticatedStore::ReplaceTables(
    const std::vector<size_t>& tables, const std::vector<RowWrite>& rows,
    const std::vector<std::pair<std::string, std::string>>& meta) {
  SR_ASSIGN_OR_RETURN(std::vector<RowWrite> sealed, Sealed(rows, true));
  auto with = meta;
  with.emplace_back(kProjectionMacsMeta, keyed() ? "1" : "0");
  return inner_->ReplaceTables(tables, sealed, with);
}

}  // namespace strongroom
