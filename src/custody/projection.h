// The projection: current custody state, derived only from events.
//
// A Projection is an in-memory working set over a Store (or over nothing, for
// a scratch rebuild). The sequencer first Load()s every record an event names
// (the only step that can fail), then the rules read and change records
// through infallible accessors, and TakeWrites() yields the rows to commit
// with the log batch. If a commit fails, Discard() drops everything cached so
// state is re-read from the store.
#ifndef STRONGROOM_CUSTODY_PROJECTION_H_
#define STRONGROOM_CUSTODY_PROJECTION_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "custody/model.h"
#include "policy/policy.h"
#include "store/store.h"

namespace strongroom {

// Thread-compatible.
class Projection {
 public:
  // `store` may be null: a scratch projection that starts empty.
  explicit Projection(Store* store) : store_(store) {}

  // Ensures the named records are cached (absent ones are remembered as
  // absent). Fails only on storage errors or corrupt rows.
  Status LoadFacility(const std::string& id);
  Status LoadLocation(const std::string& id);
  Status LoadPerson(const std::string& id);
  Status LoadHolding(const std::string& id);
  Status LoadGrant(const std::string& id);
  Status LoadRequest(const std::string& id);
  Status LoadDispatch(const std::string& id);
  Status LoadOversightRecord(const std::string& id);
  // Every live grant of a person (to end them all), and every holding a
  // person holds.
  Status LoadGrantsOf(const std::string& person);
  // The person's live grants that can give need-to-know for holding `h`: on
  // the holding, on its original, on its case, on one of its compartments.
  // Each (person, scope, target) is read from the store once and then kept
  // true by Put(), so a decision costs the same whatever else the person
  // holds.
  Status LoadGrantsCovering(const std::string& person, const Holding& h);
  Status LoadHeldBy(const std::string& person);
  // Every holding whose facility is `facility` (an inventory's scope).
  Status LoadHoldingsIn(const std::string& facility);
  // Every oversight record whose subject is `person`.
  Status LoadOversightOf(const std::string& person);
  // Whether any person exists (the first person bootstraps the store).
  Result<bool> AnyPerson();

  // The denials of `actor` dated in [from, to) (Unix microseconds): those
  // in the store and those appended here since (a scratch projection's:
  // every one). Read back with denial_count(actor, from).
  Status LoadDenialCount(const std::string& actor, int64_t from, int64_t to);
  int64_t denial_count(const std::string& actor, int64_t from) const;

  // Loaded records, or null if they do not exist.
  const Facility* facility(const std::string& id) const;
  const Location* location(const std::string& id) const;
  const Person* person(const std::string& id) const;
  const Holding* holding(const std::string& id) const;
  const Grant* grant(const std::string& id) const;
  const Request* request(const std::string& id) const;
  const Dispatch* dispatch(const std::string& id) const;
  const OversightRecord* oversight_record(const std::string& id) const;
  // After LoadGrantsOf / LoadHeldBy: the ids, sorted (grants: live ones only).
  const std::set<std::string>& grants_of(const std::string& person) const;
  // After LoadGrantsCovering (for the holding `r` describes): the person's
  // live grants that cover `r`, as the policy engine takes them, in id
  // order. False if some of them were never loaded (a caller's bug).
  bool CoveringGrants(const std::string& person, const policy::Resource& r,
                      std::vector<policy::Grant>* out) const;
  const std::set<std::string>& held_by(const std::string& person) const;
  // After LoadHoldingsIn: the ids, sorted.
  const std::set<std::string>& holdings_in(const std::string& facility) const;
  // After LoadOversightOf: the ids, sorted.
  const std::set<std::string>& oversight_of(const std::string& person) const;

  // Adds or changes a record (written by the next TakeWrites()).
  template <typename T>
  void Put(T v) {
    auto& cache = std::get<Cache<T>>(caches_);
    if (store_) {
      // The first change since the last TakeWrites(): remember the row's
      // columns as the store has them (or will, once the batches before
      // commit), so that the store writes only the columns that change.
      auto [it, first] = dirty_.try_emplace({RecordType<T>::kTable, v.id});
      if (first) {
        auto old = cache.find(v.id);
        if (old != cache.end() && old->second) it->second = Columns(*old->second);
      }
    }
    cache[v.id] = std::move(v);
  }
  // People, holdings and grants also keep the indexes loaded for them true.
  void Put(Person v);
  void Put(Holding v);
  void Put(Grant v);
  void Put(OversightRecord v);
  void AddHoldingEvent(const std::string& holding, uint64_t index);
  void AddDenial(uint64_t index, const std::string& actor, const std::string& type, int64_t at);
  void AddCorrection(uint64_t corrected, uint64_t index, const std::string& reason);

  // The row writes since the last call.
  std::vector<RowWrite> TakeWrites();
  // Forgets every cached record and pending write.
  void Discard();
  // Records cached now, present or known absent.
  size_t cached_records() const;

  // Every row of every table, sorted by key: only meaningful for a scratch
  // projection, whose cache is the whole state. Indexed by ProjectionTable.
  std::vector<std::vector<Row>> AllRows() const;

 private:
  template <typename T>
  using Cache = std::unordered_map<std::string, std::optional<T>>;
  // Every record type's cache; a new record type is one more here.
  using Caches = std::tuple<Cache<Facility>, Cache<Location>, Cache<Person>, Cache<Holding>,
                            Cache<Grant>, Cache<Request>, Cache<Dispatch>,
                            Cache<OversightRecord>>;
  template <typename T>
  Status Load(const std::string& id);
  template <typename T>
  const T* Find(const std::string& id) const;
  Status LoadIndex(size_t table, std::vector<Filter> filters, const std::string& person,
                   std::unordered_map<std::string, std::set<std::string>>* index,
                   const std::function<Status(const std::string&)>& load);
  void Append(RowWrite w);

  Store* store_;
  Caches caches_;
  // person -> ids, for the people whose grants / held holdings are loaded.
  std::unordered_map<std::string, std::set<std::string>> grants_of_, held_by_;
  std::unordered_map<std::string, std::set<std::string>> in_facility_;  // facility -> holdings
  std::unordered_map<std::string, std::set<std::string>> oversight_of_;  // subject -> records
  std::map<std::pair<std::string, int64_t>, int64_t> denial_counts_;     // (actor, from) -> count
  // Live grants by person, scope and target (GrantKey()), for every grant
  // cached; and the keys whose grants have all been read from the store.
  void IndexGrant(const Grant* old, const Grant& now);
  std::unordered_map<std::string, std::vector<policy::Grant>> grant_index_;
  std::unordered_set<std::string> grant_keys_loaded_;
  bool any_person_ = false;
  // The records changed since the last TakeWrites(), with their columns
  // before the first change (empty for a new record).
  std::map<std::pair<size_t, std::string>, std::vector<Value>> dirty_;
  std::vector<RowWrite> append_rows_;   // holding events, denials, corrections
  std::vector<RowWrite> all_appended_;  // scratch only: every appended row
};

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_PROJECTION_H_
