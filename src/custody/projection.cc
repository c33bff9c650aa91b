#include "custody/projection.h"

#include <algorithm>

#include "base/clock.h"

namespace strongroom {

template <typename T>
Status Projection::Load(const std::string& id) {
  constexpr size_t table = RecordType<T>::kTable;
  auto& cache = std::get<Cache<T>>(caches_);
  if (cache.count(id)) return OkStatus();
  if (!store_) {
    cache.emplace(id, std::nullopt);
    return OkStatus();
  }
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store_->GetRow(table, {id}));
  if (!row) {
    cache.emplace(id, std::nullopt);
    return OkStatus();
  }
  SR_ASSIGN_OR_RETURN(std::string_view text, RowText(*row));
  auto value = RecordType<T>::FromText(text);
  if (!value.ok()) return value.status().Annotate(ProjectionTables()[table].name + " " + id + ": ");
  cache.emplace(id, std::move(value).value());
  return OkStatus();
}

template <typename T>
const T* Projection::Find(const std::string& id) const {
  const auto& cache = std::get<Cache<T>>(caches_);
  auto it = cache.find(id);
  SR_CHECK(it != cache.end());  // callers Load() first
  return it->second ? &*it->second : nullptr;
}

Status Projection::LoadFacility(const std::string& id) { return Load<Facility>(id); }
Status Projection::LoadLocation(const std::string& id) { return Load<Location>(id); }
Status Projection::LoadPerson(const std::string& id) { return Load<Person>(id); }
Status Projection::LoadHolding(const std::string& id) { return Load<Holding>(id); }
Status Projection::LoadRequest(const std::string& id) { return Load<Request>(id); }
Status Projection::LoadDispatch(const std::string& id) { return Load<Dispatch>(id); }
Status Projection::LoadOversightRecord(const std::string& id) { return Load<OversightRecord>(id); }

Status Projection::LoadGrant(const std::string& id) {
  if (std::get<Cache<Grant>>(caches_).count(id)) return OkStatus();
  SR_RETURN_IF_ERROR(Load<Grant>(id));
  if (const Grant* g = grant(id)) IndexGrant(nullptr, *g);
  return OkStatus();
}

namespace {

std::optional<policy::Scope> ScopeOf(std::string_view scope) {
  if (scope == "holding") return policy::Scope::kHolding;
  if (scope == "case") return policy::Scope::kCase;
  if (scope == "compartment") return policy::Scope::kCompartment;
  return std::nullopt;
}

std::string GrantKey(std::string_view person, std::string_view scope, std::string_view target) {
  std::string key;
  key.reserve(person.size() + scope.size() + target.size() + 2);
  key.append(person).push_back('\x1f');
  key.append(scope).push_back('\x1f');
  key.append(target);
  return key;
}

}  // namespace

void Projection::IndexGrant(const Grant* old, const Grant& now) {
  if (old) {
    auto it = grant_index_.find(GrantKey(old->person, old->scope, old->target));
    if (it != grant_index_.end()) {
      std::erase_if(it->second, [&](const policy::Grant& g) { return g.id == old->id; });
    }
  }
  if (now.status != GrantStatus::kLive) return;
  const auto scope = ScopeOf(now.scope);
  const auto expires = ParseRfc3339(now.expires);
  if (!scope || !expires.ok()) return;  // not live for the policy (records are validated on load)
  grant_index_[GrantKey(now.person, now.scope, now.target)].push_back(
      policy::Grant{now.id, *scope, now.target, *expires, now.grantor});
}

Status Projection::LoadGrantsCovering(const std::string& person, const Holding& h) {
  auto load = [&](const char* scope, const std::string& target) -> Status {
    if (target.empty()) return OkStatus();
    std::string key = GrantKey(person, scope, target);
    if (!store_ || grant_keys_loaded_.count(key)) return OkStatus();
    std::vector<std::string> ids;
    SR_RETURN_IF_ERROR(store_->QueryRows(kGrantsTable,
                                         {{"person", person},
                                          {"scope", std::string(scope)},
                                          {"target", target},
                                          {"status", std::string("live")}},
                                         0, [&](const Row& row) -> Status {
                                           const auto* id =
                                               std::get_if<std::string>(&row.values[0]);
                                           if (id) ids.push_back(*id);
                                           return OkStatus();
                                         }));
    for (const auto& id : ids) SR_RETURN_IF_ERROR(LoadGrant(id));
    grant_keys_loaded_.insert(std::move(key));
    return OkStatus();
  };
  SR_RETURN_IF_ERROR(load("holding", h.id));
  SR_RETURN_IF_ERROR(load("holding", h.copy_of));
  SR_RETURN_IF_ERROR(load("case", h.case_number));
  for (const auto& c : h.compartments) SR_RETURN_IF_ERROR(load("compartment", c));
  return OkStatus();
}

bool Projection::CoveringGrants(const std::string& person, const policy::Resource& r,
                                std::vector<policy::Grant>* out) const {
  out->clear();
  bool loaded = true;
  auto add = [&](const char* scope, const std::string& target) {
    if (target.empty()) return;
    const std::string key = GrantKey(person, scope, target);
    if (store_ && !grant_keys_loaded_.count(key)) loaded = false;
    auto it = grant_index_.find(key);
    if (it != grant_index_.end()) out->insert(out->end(), it->second.begin(), it->second.end());
  };
  add("holding", r.id);
  if (r.series != r.id) add("holding", r.series);
  add("case", r.case_number);
  for (const auto& c : r.compartments) add("compartment", c);
  // The order the policy saw them in when it walked all of a person's grants
  // (by id, as text): ties between equally long grants resolve the same way.
  std::sort(out->begin(), out->end(),
            [](const policy::Grant& a, const policy::Grant& b) { return a.id < b.id; });
  return loaded;
}

Status Projection::LoadIndex(size_t table, std::vector<Filter> filters, const std::string& person,
                             std::unordered_map<std::string, std::set<std::string>>* index,
                             const std::function<Status(const std::string&)>& load) {
  if (index->count(person)) return OkStatus();
  std::set<std::string> ids;
  if (store_) {
    SR_RETURN_IF_ERROR(store_->QueryRows(table, filters, 0, [&](const Row& row) {
      ids.insert(std::get<std::string>(row.values[0]));
      return OkStatus();
    }));
  }
  for (const auto& id : ids) SR_RETURN_IF_ERROR(load(id));
  // Records cached before the index was loaded may have changed owner.
  (*index)[person] = std::move(ids);
  return OkStatus();
}

Status Projection::LoadGrantsOf(const std::string& person) {
  if (grants_of_.count(person)) return OkStatus();
  SR_RETURN_IF_ERROR(LoadIndex(kGrantsTable, {{"person", person}, {"status", std::string("live")}},
                               person, &grants_of_,
                               [&](const std::string& id) { return LoadGrant(id); }));
  for (const auto& [id, g] : std::get<Cache<Grant>>(caches_)) {
    if (g && g->person == person && g->status == GrantStatus::kLive) grants_of_[person].insert(id);
  }
  return OkStatus();
}

Status Projection::LoadHeldBy(const std::string& person) {
  if (held_by_.count(person)) return OkStatus();
  SR_RETURN_IF_ERROR(LoadIndex(kHoldingsTable, {{"holder", person}}, person, &held_by_,
                               [&](const std::string& id) { return LoadHolding(id); }));
  auto& ids = held_by_[person];
  for (const auto& [id, h] : std::get<Cache<Holding>>(caches_)) {
    if (h && h->holder == person)
      ids.insert(id);
    else
      ids.erase(id);
  }
  return OkStatus();
}

Status Projection::LoadHoldingsIn(const std::string& facility) {
  if (in_facility_.count(facility)) return OkStatus();
  SR_RETURN_IF_ERROR(LoadIndex(kHoldingsTable, {{"facility", facility}}, facility, &in_facility_,
                               [&](const std::string& id) { return LoadHolding(id); }));
  auto& ids = in_facility_[facility];
  for (const auto& [id, h] : std::get<Cache<Holding>>(caches_)) {
    if (h && h->facility == facility)
      ids.insert(id);
    else
      ids.erase(id);
  }
  return OkStatus();
}

Status Projection::LoadOversightOf(const std::string& person) {
  if (oversight_of_.count(person)) return OkStatus();
  SR_RETURN_IF_ERROR(LoadIndex(kOversightTable, {{"subject", person}}, person, &oversight_of_,
                               [&](const std::string& id) { return LoadOversightRecord(id); }));
  auto& ids = oversight_of_[person];
  for (const auto& [id, r] : std::get<Cache<OversightRecord>>(caches_)) {
    if (r && r->subject == person)
      ids.insert(id);
    else
      ids.erase(id);
  }
  return OkStatus();
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

const Facility* Projection::facility(const std::string& id) const { return Find<Facility>(id); }
const Location* Projection::location(const std::string& id) const { return Find<Location>(id); }
const Person* Projection::person(const std::string& id) const { return Find<Person>(id); }
const Holding* Projection::holding(const std::string& id) const { return Find<Holding>(id); }
const Grant* Projection::grant(const std::string& id) const { return Find<Grant>(id); }
const Request* Projection::request(const std::string& id) const { return Find<Request>(id); }
const Dispatch* Projection::dispatch(const std::string& id) const { return Find<Dispatch>(id); }
const OversightRecord* Projection::oversight_record(const std::string& id) const {
  return Find<OversightRecord>(id);
}

const std::set<std::string>& Projection::grants_of(const std::string& person) const {
  auto it = grants_of_.find(person);
  SR_CHECK(it != grants_of_.end());  // callers LoadGrantsOf() first
  return it->second;
}
const std::set<std::string>& Projection::holdings_in(const std::string& facility) const {
  auto it = in_facility_.find(facility);
  SR_CHECK(it != in_facility_.end());  // callers LoadHoldingsIn() first
  return it->second;
}
const std::set<std::string>& Projection::oversight_of(const std::string& person) const {
  auto it = oversight_of_.find(person);
  SR_CHECK(it != oversight_of_.end());  // callers LoadOversightOf() first
  return it->second;
}
const std::set<std::string>& Projection::held_by(const std::string& person) const {
  auto it = held_by_.find(person);
  SR_CHECK(it != held_by_.end());  // callers LoadHeldBy() first
  return it->second;
}

void Projection::Put(Person v) {
  any_person_ = true;
  Put<Person>(std::move(v));
}
void Projection::Put(Holding v) {
  // Keep the loaded holder indexes true.
  const auto& holdings = std::get<Cache<Holding>>(caches_);
  if (const auto it = holdings.find(v.id); it != holdings.end() && it->second) {
    if (auto old = held_by_.find(it->second->holder); old != held_by_.end())
      old->second.erase(v.id);
  }
  if (auto now = held_by_.find(v.holder); now != held_by_.end()) now->second.insert(v.id);
  if (const auto it = holdings.find(v.id); it != holdings.end() && it->second) {
    if (auto old = in_facility_.find(it->second->facility); old != in_facility_.end())
      old->second.erase(v.id);
  }
  if (auto now = in_facility_.find(v.facility); now != in_facility_.end()) now->second.insert(v.id);
  Put<Holding>(std::move(v));
}
void Projection::Put(Grant v) {
  const auto& grants = std::get<Cache<Grant>>(caches_);
  const auto cached = grants.find(v.id);
  IndexGrant(cached != grants.end() && cached->second ? &*cached->second : nullptr, v);
  if (auto it = grants_of_.find(v.person); it != grants_of_.end()) {
    if (v.status == GrantStatus::kLive) {
      it->second.insert(v.id);
    } else {
      it->second.erase(v.id);
    }
  }
  Put<Grant>(std::move(v));
}

void Projection::Put(OversightRecord v) {
  const auto& records = std::get<Cache<OversightRecord>>(caches_);
  if (const auto it = records.find(v.id); it != records.end() && it->second) {
    if (auto old = oversight_of_.find(it->second->subject); old != oversight_of_.end())
      old->second.erase(v.id);
  }
  if (auto now = oversight_of_.find(v.subject); now != oversight_of_.end()) now->second.insert(v.id);
  Put<OversightRecord>(std::move(v));
}

Status Projection::LoadDenialCount(const std::string& actor, int64_t from, int64_t to) {
  int64_t n = 0;
  if (store_) {
    SR_RETURN_IF_ERROR(store_->QueryRows(
        kDenialsTable, {{"actor", actor}, {"at", from, FilterOp::kGe}, {"at", to, FilterOp::kLt}}, 0,
        [&](const Row&) {
          ++n;
          return OkStatus();
        }));
  }
  for (const RowWrite& w : store_ ? append_rows_ : all_appended_) {
    if (w.table != kDenialsTable) continue;
    const auto& v = w.row.values;
    const int64_t at = std::get<int64_t>(v[3]);
    n += std::get<std::string>(v[1]) == actor && at >= from && at < to;
  }
  denial_counts_[{actor, from}] = n;
  return OkStatus();
}

int64_t Projection::denial_count(const std::string& actor, int64_t from) const {
  auto it = denial_counts_.find({actor, from});
  return it == denial_counts_.end() ? 0 : it->second;
}

void Projection::Append(RowWrite w) {
  // A scratch projection writes nothing but remembers every row for AllRows().
  (store_ ? append_rows_ : all_appended_).push_back(std::move(w));
}
void Projection::AddHoldingEvent(const std::string& holding, uint64_t index) {
  Append({kHoldingEventsTable, HoldingEventRow(holding, index)});
}
void Projection::AddDenial(uint64_t index, const std::string& actor, const std::string& type,
                           int64_t at) {
  Append({kDenialsTable, DenialRow(index, actor, type, at)});
}
void Projection::AddCorrection(uint64_t corrected, uint64_t index, const std::string& reason) {
  Append({kCorrectionsTable, CorrectionRow(corrected, index, reason)});
}

std::vector<RowWrite> Projection::TakeWrites() {
  std::vector<RowWrite> out;
  out.reserve(dirty_.size() + append_rows_.size());
  for (auto& [key, before] : dirty_) {
    const auto& [table, id] = key;
    std::apply(
        [&](const auto&... cache) {
          auto one = [&]<typename T>(const Cache<T>&) {
            if (table == RecordType<T>::kTable) {
              out.push_back({table, ToRow(*Find<T>(id)), std::move(before)});
            }
          };
          (one(cache), ...);
        },
        caches_);
  }
  dirty_.clear();
  for (auto& r : append_rows_) out.push_back(std::move(r));
  append_rows_.clear();
  return out;
}

size_t Projection::cached_records() const {
  return std::apply([](const auto&... cache) { return (cache.size() + ...); }, caches_);
}

void Projection::Discard() {
  std::apply([](auto&... cache) { (cache.clear(), ...); }, caches_);
  grants_of_.clear();
  grant_index_.clear();
  grant_keys_loaded_.clear();
  held_by_.clear();
  in_facility_.clear();
  oversight_of_.clear();
  denial_counts_.clear();
  any_person_ = false;
  dirty_.clear();
  append_rows_.clear();
}

std::vector<std::vector<Row>> Projection::AllRows() const {
  std::vector<std::vector<Row>> out(ProjectionTables().size());
  std::apply(
      [&](const auto&... cache) {
        auto collect = [&]<typename T>(const Cache<T>& records) {
          for (const auto& [id, v] : records) {
            if (v) out[RecordType<T>::kTable].push_back(ToRow(*v));
          }
        };
        (collect(cache), ...);
      },
      caches_);
  for (const auto& w : all_appended_) out[w.table].push_back(w.row);
  for (auto& rows : out) {
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.values < b.values; });
  }
  return out;
}

}  // namespace strongroom
