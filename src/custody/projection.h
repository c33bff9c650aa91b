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

#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "custody/model.h"
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
  // Whether any person exists (the first person bootstraps the store).
  Result<bool> AnyPerson();

  // Loaded records, or null if they do not exist.
  const Facility* facility(const std::string& id) const;
  const Location* location(const std::string& id) const;
  const Person* person(const std::string& id) const;
  const Holding* holding(const std::string& id) const;

  void Put(Facility v);
  void Put(Location v);
  void Put(Person v);
  void Put(Holding v);
  void AddHoldingEvent(const std::string& holding, uint64_t index);

  // The row writes since the last call.
  std::vector<RowWrite> TakeWrites();
  // Forgets every cached record and pending write.
  void Discard();

  // Every row of every table, sorted by key: only meaningful for a scratch
  // projection, whose cache is the whole state. Indexed by ProjectionTable.
  std::vector<std::vector<Row>> AllRows() const;

 private:
  template <typename T>
  using Cache = std::unordered_map<std::string, std::optional<T>>;
  template <typename T, typename Parse>
  Status Load(Cache<T>* cache, size_t table, const std::string& id, Parse parse);
  template <typename T>
  static const T* Find(const Cache<T>& cache, const std::string& id);

  Store* store_;
  Cache<Facility> facilities_;
  Cache<Location> locations_;
  Cache<Person> people_;
  Cache<Holding> holdings_;
  bool any_person_ = false;
  std::set<std::pair<size_t, std::string>> dirty_;
  std::vector<RowWrite> event_rows_;
  std::vector<std::pair<std::string, uint64_t>> all_events_;  // scratch only
};

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_PROJECTION_H_
