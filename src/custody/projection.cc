#include "custody/projection.h"

#include <algorithm>

namespace strongroom {

template <typename T, typename Parse>
Status Projection::Load(Cache<T>* cache, size_t table, const std::string& id, Parse parse) {
  if (cache->count(id)) return OkStatus();
  if (!store_) {
    cache->emplace(id, std::nullopt);
    return OkStatus();
  }
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store_->GetRow(table, {id}));
  if (!row) {
    cache->emplace(id, std::nullopt);
    return OkStatus();
  }
  SR_ASSIGN_OR_RETURN(Json data, RowData(*row));
  auto value = parse(data);
  if (!value.ok()) return value.status().Annotate(ProjectionTables()[table].name + " " + id + ": ");
  cache->emplace(id, std::move(value).value());
  return OkStatus();
}

template <typename T>
const T* Projection::Find(const Cache<T>& cache, const std::string& id) {
  auto it = cache.find(id);
  SR_CHECK(it != cache.end());  // callers Load() first
  return it->second ? &*it->second : nullptr;
}

Status Projection::LoadFacility(const std::string& id) {
  return Load(&facilities_, kFacilitiesTable, id, FacilityFromJson);
}
Status Projection::LoadLocation(const std::string& id) {
  return Load(&locations_, kLocationsTable, id, LocationFromJson);
}
Status Projection::LoadPerson(const std::string& id) {
  return Load(&people_, kPeopleTable, id, PersonFromJson);
}
Status Projection::LoadHolding(const std::string& id) {
  return Load(&holdings_, kHoldingsTable, id, HoldingFromJson);
}

Result<bool> Projection::AnyPerson() {
  if (any_person_ || !store_) return any_person_;
  bool found = false;
  SR_RETURN_IF_ERROR(store_->QueryRows(kPeopleTable, {}, 1, [&](const Row&) {
    found = true;
    return OkStatus();
  }));
  any_person_ = found;
  return found;
}

const Facility* Projection::facility(const std::string& id) const { return Find(facilities_, id); }
const Location* Projection::location(const std::string& id) const { return Find(locations_, id); }
const Person* Projection::person(const std::string& id) const { return Find(people_, id); }
const Holding* Projection::holding(const std::string& id) const { return Find(holdings_, id); }

void Projection::Put(Facility v) {
  if (store_) dirty_.emplace(kFacilitiesTable, v.id);
  facilities_[v.id] = std::move(v);
}
void Projection::Put(Location v) {
  if (store_) dirty_.emplace(kLocationsTable, v.id);
  locations_[v.id] = std::move(v);
}
void Projection::Put(Person v) {
  any_person_ = true;
  if (store_) dirty_.emplace(kPeopleTable, v.id);
  people_[v.id] = std::move(v);
}
void Projection::Put(Holding v) {
  if (store_) dirty_.emplace(kHoldingsTable, v.id);
  holdings_[v.id] = std::move(v);
}

void Projection::AddHoldingEvent(const std::string& holding, uint64_t index) {
  if (store_) {
    event_rows_.push_back({kHoldingEventsTable, HoldingEventRow(holding, index)});
  } else {
    all_events_.emplace_back(holding, index);  // a scratch projection writes nothing
  }
}

std::vector<RowWrite> Projection::TakeWrites() {
  std::vector<RowWrite> out;
  out.reserve(dirty_.size() + event_rows_.size());
  for (const auto& [table, id] : dirty_) {
    switch (table) {
      case kFacilitiesTable:
        out.push_back({table, ToRow(*Find(facilities_, id))});
        break;
      case kLocationsTable:
        out.push_back({table, ToRow(*Find(locations_, id))});
        break;
      case kPeopleTable:
        out.push_back({table, ToRow(*Find(people_, id))});
        break;
      case kHoldingsTable:
        out.push_back({table, ToRow(*Find(holdings_, id))});
        break;
    }
  }
  dirty_.clear();
  for (auto& r : event_rows_) out.push_back(std::move(r));
  event_rows_.clear();
  return out;
}

void Projection::Discard() {
  facilities_.clear();
  locations_.clear();
  people_.clear();
  holdings_.clear();
  any_person_ = false;
  dirty_.clear();
  event_rows_.clear();
}

std::vector<std::vector<Row>> Projection::AllRows() const {
  std::vector<std::vector<Row>> out(ProjectionTables().size());
  auto collect = [&](const auto& cache, size_t table) {
    for (const auto& [id, v] : cache) {
      if (v) out[table].push_back(ToRow(*v));
    }
  };
  collect(facilities_, kFacilitiesTable);
  collect(locations_, kLocationsTable);
  collect(people_, kPeopleTable);
  collect(holdings_, kHoldingsTable);
  for (const auto& [h, i] : all_events_) out[kHoldingEventsTable].push_back(HoldingEventRow(h, i));
  for (auto& rows : out) {
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.values < b.values; });
  }
  return out;
}

}  // namespace strongroom
