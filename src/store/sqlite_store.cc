#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace strongroom {

std::string ValueToString(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  return std::get<std::string>(v);
}

namespace {

const char* FilterOpSql(FilterOp op) {
  switch (op) {
    case FilterOp::kEq:
      return "=";
    case FilterOp::kLt:
      return "<";
    case FilterOp::kLe:
      return "<=";
    case FilterOp::kGt:
      return ">";
    case FilterOp::kGe:
      return ">=";
  }
  return "=";
}

class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~Stmt() { sqlite3_finalize(s_); }
  sqlite3_stmt* get() const { return s_; }

 private:
  sqlite3_stmt* s_ = nullptr;
};

// WAL checkpoints on a thread and connection of their own: the committing
// thread (the sequencer) then only appends to the WAL and syncs it, while
// copying pages back into the database file happens beside it. A PASSIVE
// checkpoint never blocks the writer or readers.
class Checkpointer {
 public:
  // Checkpoint once the WAL holds this many pages (SQLite's own default).
  static constexpr int kPages = 1000;

  explicit Checkpointer(const std::string& path) : path_(path), thread_([this] { Run(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  // Called by the writer's connection after each commit (sqlite3_wal_hook).
  void Committed(int wal_pages) {
    if (wal_pages < kPages) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      wanted_ = true;
    }
    cv_.notify_one();
  }

 private:
  void Run() {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
      sqlite3_close_v2(db);
      db = nullptr;  // no checkpoints here; the WAL is checkpointed when the store closes
    }
    if (db) {
      sqlite3_busy_timeout(db, 1000);
      // A connection learns that the database is in WAL mode only when it
      // first reads it; until then sqlite3_wal_checkpoint_v2 does nothing
      // and says nothing (SQLITE_OK, -1 frames) — and the WAL grew without
      // bound, every read slower as it grew.
      (void)sqlite3_exec(db, "PRAGMA journal_mode", nullptr, nullptr, nullptr);
    }
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || wanted_; });
      if (stop_) break;
      wanted_ = false;
      lock.unlock();
      if (db)
        (void)sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
    sqlite3_close_v2(db);
  }

  std::string path_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;    // guarded by mu_
  bool wanted_ = false;  // guarded by mu_
  std::thread thread_;
};

class SqliteStore : public Store {
 public:
  SqliteStore(sqlite3* db, std::vector<TableSpec> tables) : Store(std::move(tables)), db_(db) {
    for (const TableSpec& t : tables_) {
      // A true upsert: an existing row is UPDATEd, so SQLite touches only the
      // indexes whose columns changed (INSERT OR REPLACE deletes the row and
      // inserts it again, rewriting every index entry of it).
      std::string sql = "INSERT INTO " + t.name + "(" + ColumnList(t) + ") VALUES(";
      for (size_t i = 0; i < t.columns.size(); ++i) sql += i ? ", ?" : "?";
      sql += ") ON CONFLICT(";
      for (size_t i = 0; i < t.key_columns; ++i) sql += (i ? ", " : "") + t.columns[i];
      sql += ")";
      if (t.key_columns == t.columns.size()) {
        sql += " DO NOTHING";
      } else {
        sql += " DO UPDATE SET ";
        for (size_t i = t.key_columns; i < t.columns.size(); ++i) {
          sql += (i > t.key_columns ? ", " : "") + t.columns[i] + "=excluded." + t.columns[i];
        }
      }
      upsert_sql_.push_back(sql);
    }
  }
  ~SqliteStore() override {
    checkpointer_.reset();  // its connection closes first: ours, the last, checkpoints all
    cache_.clear();
    update_cache_.clear();
    idle_queries_.clear();
    sqlite3_close_v2(db_);
  }

  void StartCheckpointer(const std::string& path) {
    checkpointer_ = std::make_unique<Checkpointer>(path);
    sqlite3_wal_autocheckpoint(db_, 0);  // (also clears its own WAL hook)
    sqlite3_wal_hook(
        db_,
        [](void* self, sqlite3*, const char*, int pages) {
          static_cast<Checkpointer*>(self)->Committed(pages);
          return SQLITE_OK;
        },
        checkpointer_.get());
  }

  Status Init(bool create, bool read_only) {
    SR_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL"));
    SR_RETURN_IF_ERROR(Exec("PRAGMA synchronous=FULL"));
    SR_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=OFF"));
    // No memory map: a database file truncated under a running process
    // (by an insider, or a full disk's repair) made the next read of a
    // mapped page past the new end a SIGBUS that killed the service
    // (SqliteStoreTest.ATruncatedDatabaseFileGivesErrorsNotACrash). Reads
    // go through SQLite's page cache and pread; see docs/performance.md
    // for what that costs proofs.
    SR_RETURN_IF_ERROR(Exec("PRAGMA mmap_size=0"));
    SR_RETURN_IF_ERROR(Exec("PRAGMA cache_size=-65536"));
    sqlite3_busy_timeout(db_, 10000);
    // Disclosures came after the log's other tables: a store written before
    // them gets the table when it is next opened for writing.
    static constexpr char kDisclosures[] =
        "CREATE TABLE IF NOT EXISTS disclosures(idx INTEGER PRIMARY KEY, data BLOB NOT NULL);";
    if (!create) return read_only ? OkStatus() : Exec(kDisclosures);
    std::string ddl = kDisclosures;
    ddl +=
        "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL);"
        "CREATE TABLE IF NOT EXISTS tiles(level INTEGER NOT NULL, idx INTEGER NOT NULL,"
        " data BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;"
        "CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);";
    for (const TableSpec& t : tables_) ddl += TableDdl(t);
    return Exec(ddl);
  }

  Result<std::optional<std::string>> GetMeta(const std::string& key) override {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare("SELECT value FROM meta WHERE key=?"));
    Bind(s, 1, key);
    int rc = sqlite3_step(s);
    std::optional<std::string> out;
    if (rc == SQLITE_ROW) out = ColumnText(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("reading meta");
    return out;
  }

  Status PutMeta(const std::string& key, const std::string& value) override {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                        Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)"));
    Bind(s, 1, key);
    Bind(s, 2, value);
    return StepDone(s, "writing meta");
  }

  Result<uint64_t> LogSize() override {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare("SELECT max(size) FROM checkpoints"));
    int rc = sqlite3_step(s);
    uint64_t size = 0;
    if (rc == SQLITE_ROW) size = static_cast<uint64_t>(sqlite3_column_int64(s, 0));
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) return Error("reading log size");
    return size;
  }

  Result<std::optional<std::string>> LatestCheckpoint() override {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                        Prepare("SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1"));
    int rc = sqlite3_step(s);
    std::optional<std::string> out;
    if (rc == SQLITE_ROW) out = ColumnText(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("reading checkpoint");
    return out;
  }

  Status ScanCheckpoints(const std::function<Status(uint64_t, std::string_view)>& fn) override {
    Stmt s;
    SR_RETURN_IF_ERROR(PrepareOwned("SELECT size, note FROM checkpoints ORDER BY size", &s));
    return ForEachRow(s.get(), "reading checkpoints", [&](sqlite3_stmt* st) {
      return fn(static_cast<uint64_t>(sqlite3_column_int64(st, 0)), ColumnText(st, 1));
    });
  }

  Result<std::string> ReadTile(int level, uint64_t index) override {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                        Prepare("SELECT data FROM tiles WHERE level=? AND idx=?"));
    sqlite3_bind_int64(s, 1, level);
    sqlite3_bind_int64(s, 2, static_cast<int64_t>(index));
    int rc = sqlite3_step(s);
    std::string out;
    if (rc == SQLITE_ROW) out = ColumnText(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("reading tile");
    return out;
  }

  Status ScanTiles(const std::function<Status(int, uint64_t, std::string_view)>& fn) override {
    Stmt s;
    SR_RETURN_IF_ERROR(PrepareOwned("SELECT level, idx, data FROM tiles ORDER BY level, idx", &s));
    return ForEachRow(s.get(), "reading tiles", [&](sqlite3_stmt* st) {
      return fn(sqlite3_column_int(st, 0), static_cast<uint64_t>(sqlite3_column_int64(st, 1)),
                ColumnView(st, 2));
    });
  }

  Status ScanEntries(uint64_t begin, uint64_t end,
                     const std::function<Status(uint64_t, std::string_view)>& fn) override {
    Stmt s;
    SR_RETURN_IF_ERROR(
        PrepareOwned("SELECT idx, data FROM entries WHERE idx>=? AND idx<? ORDER BY idx", &s));
    sqlite3_bind_int64(s.get(), 1, static_cast<int64_t>(begin));
    sqlite3_bind_int64(s.get(), 2, static_cast<int64_t>(end));
    uint64_t expect = begin;
    SR_RETURN_IF_ERROR(ForEachRow(s.get(), "reading entries", [&](sqlite3_stmt* st) {
      uint64_t idx = static_cast<uint64_t>(sqlite3_column_int64(st, 0));
      if (idx != expect) return DataLoss("entry " + std::to_string(expect) + " is missing");
      ++expect;
      return fn(idx, ColumnView(st, 1));
    }));
    if (expect != end) return DataLoss("entry " + std::to_string(expect) + " is missing");
    return OkStatus();
  }

  Status ScanDisclosures(uint64_t begin, uint64_t end,
                         const std::function<Status(uint64_t, std::string_view)>& fn) override {
    Stmt s;
    // A store opened read-only may predate disclosures: then it has none.
    SR_RETURN_IF_ERROR(PrepareOwned(
        "SELECT name FROM sqlite_master WHERE type='table' AND name='disclosures'", &s));
    bool table = false;
    SR_RETURN_IF_ERROR(ForEachRow(s.get(), "reading the schema", [&](sqlite3_stmt*) {
      table = true;
      return OkStatus();
    }));
    if (!table) return OkStatus();
    Stmt q;
    SR_RETURN_IF_ERROR(
        PrepareOwned("SELECT idx, data FROM disclosures WHERE idx>=? AND idx<? ORDER BY idx", &q));
    sqlite3_bind_int64(q.get(), 1, static_cast<int64_t>(begin));
    sqlite3_bind_int64(q.get(), 2, static_cast<int64_t>(end));
    return ForEachRow(q.get(), "reading disclosures", [&](sqlite3_stmt* st) {
      return fn(static_cast<uint64_t>(sqlite3_column_int64(st, 0)), ColumnView(st, 1));
    });
  }

  Result<uint64_t> CountEntries() override {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare("SELECT coalesce(max(idx) + 1, 0) FROM entries"));
    int rc = sqlite3_step(s);
    uint64_t n = rc == SQLITE_ROW ? static_cast<uint64_t>(sqlite3_column_int64(s, 0)) : 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) return Error("counting entries");
    return n;
  }

  Result<std::optional<Row>> GetRow(size_t table, const std::vector<Value>& key) override {
    const TableSpec& t = tables_.at(table);
    std::string sql = "SELECT " + ColumnList(t) + " FROM " + t.name + " WHERE ";
    for (size_t i = 0; i < t.key_columns; ++i) sql += (i ? " AND " : "") + t.columns[i] + "=?";
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(sql));
    for (size_t i = 0; i < key.size(); ++i) BindValue(s, static_cast<int>(i + 1), key[i]);
    int rc = sqlite3_step(s);
    std::optional<Row> out;
    Status bad;
    if (rc == SQLITE_ROW) {
      auto row = ReadRow(s, t);
      if (row.ok()) {
        out = std::move(row).value();
      } else {
        bad = row.status();
      }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("reading " + t.name);
    if (!bad.ok()) return bad;
    return out;
  }

  Status QueryRows(size_t table, const std::vector<Filter>& filters, size_t limit,
                   const std::function<Status(const Row&)>& fn) override {
    const TableSpec& t = tables_.at(table);
    std::string sql = "SELECT " + ColumnList(t) + " FROM " + t.name;
    for (size_t i = 0; i < filters.size(); ++i) {
      bool known = false;
      for (const auto& c : t.columns) known |= c == filters[i].column;
      if (!known) return InvalidArgument("no column " + filters[i].column + " in " + t.name);
      sql += (i ? " AND " : " WHERE ") + filters[i].column + FilterOpSql(filters[i].op) + "?";
    }
    sql += " ORDER BY ";
    for (size_t i = 0; i < t.key_columns; ++i) sql += (i ? ", " : "") + t.columns[i];
    if (limit) sql += " LIMIT " + std::to_string(limit);
    // A prepared statement from the idle ones of this text (queries may nest:
    // each running one has its own), returned reset when the scan ends.
    Stmt s;
    if (auto& idle = idle_queries_[sql]; !idle.empty()) {
      s = std::move(idle.back());
      idle.pop_back();
    } else {
      SR_RETURN_IF_ERROR(PrepareOwned(sql, &s));
    }
    for (size_t i = 0; i < filters.size(); ++i) {
      BindValue(s.get(), static_cast<int>(i + 1), filters[i].value);
    }
    Status st = ForEachRow(s.get(), "reading " + t.name, [&](sqlite3_stmt* st) -> Status {
      SR_ASSIGN_OR_RETURN(Row row, ReadRow(st, t));
      return fn(row);
    });
    sqlite3_reset(s.get());
    sqlite3_clear_bindings(s.get());
    if (auto& idle = idle_queries_[sql]; idle.size() < 4) idle.push_back(std::move(s));
    return st;
  }

  Status Commit(const LogBatch& batch, const std::vector<RowWrite>& writes) override {
    return InTransaction([&] { return CommitInTransaction(batch, writes); });
  }

  // In WAL mode each statement outside a transaction opens and closes a read
  // transaction of its own (shared-memory locks each time): several
  // microseconds per point lookup, the main cost of a lookup that misses.
  void BeginReads() override {
    if (!reading_) reading_ = Exec("BEGIN DEFERRED").ok();
  }
  void EndReads() override {
    if (reading_ && !Exec("COMMIT").ok()) (void)Exec("ROLLBACK");
    reading_ = false;
  }

  Status PutRows(const std::vector<RowWrite>& writes) override {
    return InTransaction([&] { return WriteRows(writes); });
  }

  Status PutCheckpoint(uint64_t size, const std::string& note) override {
    // Not synced on its own: the entries it covers are durable already, and
    // signing the same tree again gives the same bytes, so a checkpoint lost
    // in a crash is signed again by the next writer (the committed head
    // vouches for the entries). The next commit's sync makes it durable.
    SR_RETURN_IF_ERROR(Exec("PRAGMA synchronous=NORMAL"));
    Status st = StoreCheckpoint(size, note);
    Status full = Exec("PRAGMA synchronous=FULL");
    return st.ok() ? full : st;
  }

  Status StoreCheckpoint(uint64_t size, const std::string& note) {
    return InTransaction([&]() -> Status {
      SR_ASSIGN_OR_RETURN(uint64_t entries, CountEntries());
      SR_ASSIGN_OR_RETURN(uint64_t latest, LogSize());
      if (size > entries) {
        return FailedPrecondition("a checkpoint of size " + std::to_string(size) + " but only " +
                                  std::to_string(entries) + " entries are committed");
      }
      SR_ASSIGN_OR_RETURN(sqlite3_stmt * find,
                          Prepare("SELECT note FROM checkpoints WHERE size=?"));
      sqlite3_bind_int64(find, 1, static_cast<int64_t>(size));
      const int rc = sqlite3_step(find);
      std::optional<std::string> stored;
      if (rc == SQLITE_ROW) stored = ColumnText(find, 0);
      sqlite3_reset(find);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("reading checkpoints");
      if (stored) {
        if (*stored == note) return OkStatus();
        return FailedPrecondition("a different checkpoint of size " + std::to_string(size) +
                                  " is stored already");
      }
      if (size < latest) {
        return FailedPrecondition("a checkpoint of size " + std::to_string(size) +
                                  " below the latest, " + std::to_string(latest));
      }
      SR_ASSIGN_OR_RETURN(sqlite3_stmt * ins,
                          Prepare("INSERT INTO checkpoints(size, note) VALUES(?, ?)"));
      sqlite3_bind_int64(ins, 1, static_cast<int64_t>(size));
      Bind(ins, 2, note);
      return StepDone(ins, "writing checkpoint");
    });
  }

  Result<uint64_t> AcquireLease() override {
    uint64_t next = 0;
    SR_RETURN_IF_ERROR(InTransaction([&]() -> Status {
      SR_ASSIGN_OR_RETURN(uint64_t epoch, Epoch());
      next = epoch + 1;
      return PutMeta("epoch", std::to_string(next));
    }));
    return next;
  }

  Status ReplaceTables(const std::vector<size_t>& tables, const std::vector<RowWrite>& rows,
                       const std::vector<std::pair<std::string, std::string>>& meta) override {
    cache_.clear();  // statements prepared against the tables being dropped
    update_cache_.clear();
    idle_queries_.clear();
    return InTransaction([&]() -> Status {
      std::string ddl;
      for (size_t table : tables) {
        const TableSpec& t = tables_.at(table);
        ddl += "DROP TABLE IF EXISTS " + t.name + ";" + TableDdl(t);
      }
      SR_RETURN_IF_ERROR(Exec(ddl));
      for (const RowWrite& w : rows) {
        if (std::find(tables.begin(), tables.end(), w.table) == tables.end()) {
          return InvalidArgument("ReplaceTables: a row for a table not being replaced");
        }
      }
      SR_RETURN_IF_ERROR(WriteRows(rows));
      for (const auto& [key, value] : meta) SR_RETURN_IF_ERROR(PutMeta(key, value));
      return OkStatus();
    });
  }

 private:
  Status InTransaction(const std::function<Status()>& work) {
    EndReads();  // a write transaction cannot start inside the read one
    SR_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status st = work();
    if (!st.ok()) {
      (void)Exec("ROLLBACK");
      return st;
    }
    st = Exec("COMMIT");
    if (!st.ok()) (void)Exec("ROLLBACK");
    return st;
  }

  // UPDATE of an existing row that sets only the columns in `changed` (a
  // bit per column).
  Result<sqlite3_stmt*> PrepareUpdate(size_t table, uint64_t changed) {
    auto it = update_cache_.find({table, changed});
    if (it != update_cache_.end()) return it->second.get();
    const TableSpec& t = tables_[table];
    std::string sql = "UPDATE " + t.name + " SET ";
    bool first = true;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (changed & (uint64_t{1} << i)) {
        sql += (first ? "" : ", ") + t.columns[i] + "=?";
        first = false;
      }
    }
    sql += " WHERE ";
    for (size_t i = 0; i < t.key_columns; ++i) sql += (i ? " AND " : "") + t.columns[i] + "=?";
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      return Error("preparing '" + sql + "'");
    }
    update_cache_.emplace(std::pair{table, changed}, Stmt(s));
    return s;
  }

  // Writes only the columns of `w` that differ from w.before (and every
  // column past it); false if the row was not there to update.
  Result<bool> UpdateChanged(const RowWrite& w, const TableSpec& t) {
    uint64_t changed = 0;
    for (size_t i = t.key_columns; i < t.columns.size(); ++i) {
      if (i >= w.before.size() || w.before[i] != w.row.values[i]) changed |= uint64_t{1} << i;
    }
    if (changed == 0) return false;  // nothing to learn from an update: upsert
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * s, PrepareUpdate(w.table, changed));
    int param = 1;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (changed & (uint64_t{1} << i)) BindValue(s, param++, w.row.values[i]);
    }
    for (size_t i = 0; i < t.key_columns; ++i) BindValue(s, param++, w.row.values[i]);
    SR_RETURN_IF_ERROR(StepDone(s, "updating a projection row"));
    return sqlite3_changes(db_) == 1;
  }

  Status WriteRows(const std::vector<RowWrite>& writes) {
    for (const RowWrite& w : writes) {
      const TableSpec& t = tables_.at(w.table);
      SR_CHECK(w.row.values.size() == t.columns.size());
      const bool same_key =
          w.before.size() >= t.key_columns && t.columns.size() <= 64 &&
          std::equal(w.before.begin(), w.before.begin() + static_cast<ptrdiff_t>(t.key_columns),
                     w.row.values.begin());
      if (same_key) {
        SR_ASSIGN_OR_RETURN(bool updated, UpdateChanged(w, t));
        if (updated) continue;
      }
      SR_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(upsert_sql_[w.table]));
      for (size_t i = 0; i < w.row.values.size(); ++i) {
        BindValue(s, static_cast<int>(i + 1), w.row.values[i]);
      }
      SR_RETURN_IF_ERROR(StepDone(s, "writing a projection row"));
    }
    return OkStatus();
  }

  Status CommitInTransaction(const LogBatch& batch, const std::vector<RowWrite>& writes) {
    SR_ASSIGN_OR_RETURN(uint64_t epoch, Epoch());
    if (batch.epoch != epoch) {
      return Aborted("the sequencer lease has moved on (epoch " + std::to_string(epoch) +
                     ", this writer holds " + std::to_string(batch.epoch) + "): nothing written");
    }
    SR_ASSIGN_OR_RETURN(uint64_t size, CountEntries());
    if (size != batch.first_index) {
      return FailedPrecondition("the log has " + std::to_string(size) + " entries, not " +
                                std::to_string(batch.first_index) + ": another writer is active");
    }
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * ins_entry,
                        Prepare("INSERT INTO entries(idx, data) VALUES(?, ?)"));
    uint64_t idx = batch.first_index;
    for (const std::string& e : batch.entries) {
      sqlite3_bind_int64(ins_entry, 1, static_cast<int64_t>(idx++));
      sqlite3_bind_blob(ins_entry, 2, e.data(), static_cast<int>(e.size()), SQLITE_STATIC);
      SR_RETURN_IF_ERROR(StepDone(ins_entry, "writing entry"));
    }
    if (!batch.disclosures.empty()) {
      SR_ASSIGN_OR_RETURN(sqlite3_stmt * ins_disclosure,
                          Prepare("INSERT INTO disclosures(idx, data) VALUES(?, ?)"));
      for (size_t i = 0; i < batch.disclosures.size(); ++i) {
        const std::string& d = batch.disclosures[i];
        if (d.empty()) continue;
        sqlite3_bind_int64(ins_disclosure, 1, static_cast<int64_t>(batch.first_index + i));
        sqlite3_bind_blob(ins_disclosure, 2, d.data(), static_cast<int>(d.size()), SQLITE_STATIC);
        SR_RETURN_IF_ERROR(StepDone(ins_disclosure, "writing a disclosure"));
      }
    }
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * ins_tile,
                        Prepare("INSERT OR REPLACE INTO tiles(level, idx, data) VALUES(?, ?, ?)"));
    for (const StoredTile& t : batch.tiles) {
      sqlite3_bind_int(ins_tile, 1, t.level);
      sqlite3_bind_int64(ins_tile, 2, static_cast<int64_t>(t.index));
      sqlite3_bind_blob(ins_tile, 3, t.data.data(), static_cast<int>(t.data.size()), SQLITE_STATIC);
      SR_RETURN_IF_ERROR(StepDone(ins_tile, "writing tile"));
    }
    if (!batch.head.empty()) SR_RETURN_IF_ERROR(PutMeta("committed_head", batch.head));
    return WriteRows(writes);
  }

  // CREATE TABLE and CREATE INDEX statements for `t`. An index entry names
  // one column or several separated by commas ("person,scope,target").
  static std::string TableDdl(const TableSpec& t) {
    std::string ddl = "CREATE TABLE IF NOT EXISTS " + t.name + "(";
    for (size_t i = 0; i < t.columns.size(); ++i) {
      ddl += (i ? ", " : "") + t.columns[i] + (t.integer[i] ? " INTEGER" : " TEXT") + " NOT NULL";
    }
    ddl += ", PRIMARY KEY(";
    for (size_t i = 0; i < t.key_columns; ++i) ddl += (i ? ", " : "") + t.columns[i];
    ddl += ")) WITHOUT ROWID;";
    for (const std::string& columns : t.indexed) {
      std::string name = t.name + "_" + columns;
      std::replace(name.begin(), name.end(), ',', '_');
      ddl += "CREATE INDEX IF NOT EXISTS " + name + " ON " + t.name + "(" + columns + ");";
    }
    return ddl;
  }

  static std::string ColumnList(const TableSpec& t) {
    std::string out;
    for (size_t i = 0; i < t.columns.size(); ++i) out += (i ? ", " : "") + t.columns[i];
    return out;
  }

  // The sequencer lease's epoch (meta "epoch"; 0 before any lease).
  Result<uint64_t> Epoch() {
    SR_ASSIGN_OR_RETURN(std::optional<std::string> text, GetMeta("epoch"));
    if (!text) return uint64_t{0};
    uint64_t epoch = 0;
    for (char c : *text) {
      if (c < '0' || c > '9' || epoch > (UINT64_MAX - 9) / 10) {
        return DataLoss("meta epoch is '" + *text + "', not a number");
      }
      epoch = epoch * 10 + static_cast<uint64_t>(c - '0');
    }
    if (text->empty()) return DataLoss("meta epoch is empty");
    return epoch;
  }

  // A row as its table declares it: DataLoss naming the table, the row's key
  // and the column if a cell is not of its column's type (someone wrote the
  // file with other tools; SQLite's type affinity does not refuse it).
  static Result<Row> ReadRow(sqlite3_stmt* s, const TableSpec& t) {
    Row r;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      int col = static_cast<int>(i);
      const int type = sqlite3_column_type(s, col);
      if (t.integer[i] && type == SQLITE_INTEGER) {
        r.values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(s, col)));
      } else if (!t.integer[i] && (type == SQLITE_TEXT || type == SQLITE_BLOB)) {
        r.values.emplace_back(ColumnText(s, col));
      } else {
        std::string key;
        for (size_t k = 0; k < t.key_columns && k < r.values.size(); ++k) {
          key += (k ? "," : "") + ValueToString(r.values[k]);
        }
        return DataLoss(t.name + " row " + (key.empty() ? "?" : key) + ": column " + t.columns[i] +
                        " is not " + (t.integer[i] ? "an integer" : "text"));
      }
    }
    return r;
  }

  static std::string ColumnText(sqlite3_stmt* s, int col) {
    return std::string(ColumnView(s, col));
  }
  static std::string_view ColumnView(sqlite3_stmt* s, int col) {
    const void* p = sqlite3_column_blob(s, col);
    int n = sqlite3_column_bytes(s, col);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n))
             : std::string_view();
  }
  static void Bind(sqlite3_stmt* s, int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  static void BindValue(sqlite3_stmt* s, int i, const Value& v) {
    if (const auto* n = std::get_if<int64_t>(&v)) {
      sqlite3_bind_int64(s, i, *n);
    } else {
      Bind(s, i, std::get<std::string>(v));
    }
  }

  Status Error(const std::string& what) {
    return Internal("SQLite error " + what + ": " + sqlite3_errmsg(db_));
  }

  Status Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      return Internal("SQLite error: " + msg);
    }
    return OkStatus();
  }

  // A cached statement, valid until the store closes; reset after use.
  Result<sqlite3_stmt*> Prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second.get();
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      return Error("preparing '" + sql + "'");
    }
    cache_.emplace(sql, Stmt(s));
    return s;
  }

  // A statement owned by the caller, for scans that may nest with others.
  Status PrepareOwned(const std::string& sql, Stmt* out) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      return Error("preparing '" + sql + "'");
    }
    *out = Stmt(s);
    return OkStatus();
  }

  // `what` is a literal: no string is built per row on the write path.
  Status StepDone(sqlite3_stmt* s, const char* what) {
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE) return Error(what);
    return OkStatus();
  }

  Status ForEachRow(sqlite3_stmt* s, const std::string& what,
                    const std::function<Status(sqlite3_stmt*)>& fn) {
    for (;;) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return OkStatus();
      if (rc != SQLITE_ROW) return Error(what);
      SR_RETURN_IF_ERROR(fn(s));
    }
  }

  sqlite3* db_;
  bool reading_ = false;                 // between BeginReads() and EndReads()
  std::vector<std::string> upsert_sql_;  // per projection table
  std::map<std::pair<size_t, uint64_t>, Stmt> update_cache_;  // (table, changed columns)
  std::map<std::string, Stmt> cache_;
  std::map<std::string, std::vector<Stmt>> idle_queries_;  // QueryRows' statements
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               std::vector<TableSpec> tables,
                                               SqliteOptions options) {
  for (auto& t : tables) {
    if (t.integer.size() != t.columns.size()) t.integer.resize(t.columns.size(), false);
  }
  int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return NotFound("cannot open store " + path + ": " + msg);
  }
  auto store = std::make_unique<SqliteStore>(db, std::move(tables));
  SR_RETURN_IF_ERROR(store->Init(options.create, options.read_only));
  if (options.background_checkpoints && !options.read_only) store->StartCheckpointer(path);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace strongroom
