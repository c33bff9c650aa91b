#include "oversight/inspection.h"

#include <algorithm>

namespace strongroom::oversight {

std::string InspectionId(uint64_t index) {
  return std::string(kInspectionIdPrefix) + std::to_string(index);
}

bool ListsSample(const std::vector<std::string>& sample) {
  if (sample.size() > 4096) return false;
  size_t bytes = 0;
  for (const auto& id : sample) bytes += id.size() + 3;  // quotes and a comma
  return bytes <= 32 * 1024;
}

Scope ScopeOf(const Event& open) {
  Scope s;
  s.facility = open.Field("facility");
  s.locations = open.fields.List("locations");
  s.holding_kinds = open.fields.List("holding_kinds");
  s.item_types = open.fields.List("item_types");
  s.min_classification = open.Field("min_classification");
  return s;
}

namespace {

bool Among(const std::vector<std::string>& set, const std::string& v) {
  return set.empty() || std::find(set.begin(), set.end(), v) != set.end();
}

Json ScopeJson(const Scope& s) {
  return {{"facility", s.facility},
          {"locations", s.locations},
          {"holding_kinds", s.holding_kinds},
          {"item_types", s.item_types},
          {"min_classification", s.min_classification}};
}

}  // namespace

bool InScope(const Scope& scope, const Holding& h) {
  const bool on_hand = h.status == HoldingStatus::kInStore ||
                       h.status == HoldingStatus::kCheckedOut ||
                       h.status == HoldingStatus::kDistributed;
  if (!on_hand || h.facility != scope.facility) return false;
  if (!Among(scope.locations, h.location) || !Among(scope.holding_kinds, h.kind) ||
      !Among(scope.item_types, h.item_type)) {
    return false;
  }
  if (!scope.min_classification.empty()) {
    auto have = LevelRank(h.classification), least = LevelRank(scope.min_classification);
    if (!have.ok() || !least.ok() || *have < *least) return false;
  }
  return true;
}

std::vector<std::string> Population(const Projection& s, const Scope& scope) {
  std::vector<std::string> ids;
  for (const std::string& id : s.holdings_in(scope.facility)) {
    const Holding* h = s.holding(id);
    if (h && InScope(scope, *h)) ids.push_back(id);
  }
  return ids;  // a std::set's order: bytewise
}

Result<std::vector<std::string>> StatedPopulation(const Inspection& v) {
  std::vector<std::string> population = v.population_ids;
  if (population.size() != v.population || PopulationHash(&population) != v.population_hash) {
    return DataLoss("inspection " + v.id + "'s stored population is not the one its open entry "
                    "states (run 'strongroom verify')");
  }
  return population;
}

Status ForEachOversightRecord(Store* store, std::string_view kind, const std::string& status,
                              const std::string& facility,
                              const std::function<Status(const OversightRecord&)>& fn) {
  std::vector<Filter> filters = {{"kind", std::string(kind)}};
  if (!status.empty()) filters.push_back({"status", status});
  if (!facility.empty()) filters.push_back({"facility", facility});
  return store->QueryRows(kOversightTable, filters, 0, [&](const Row& row) -> Status {
    SR_ASSIGN_OR_RETURN(std::string_view text, RowText(row));
    SR_ASSIGN_OR_RETURN(OversightRecord r, OversightRecordFromText(text));
    return fn(r);
  });
}

OversightRecord Inspection::ToRecord(int64_t last_index) const {
  OversightRecord r;
  r.id = id;
  r.kind = kInspectionKind;
  r.status = status;
  r.facility = scope.facility;
  r.subject = inspector;
  r.index = open_index;
  r.last_index = last_index;
  Json results_json = Json::object();
  for (const auto& [holding, item] : results) {
    Json j = {{"result", item.result}, {"index", item.index}};
    if (!item.location_found.empty()) j["location_found"] = item.location_found;
    if (!item.seal_read.empty()) j["seal_read"] = item.seal_read;
    results_json[holding] = std::move(j);
  }
  r.body = {{"inspector", inspector},
            {"scope", ScopeJson(scope)},
            {"announced", announced},
            {"occasion", occasion},
            {"method", MethodName(rule.method)},
            {"fixed", static_cast<int64_t>(rule.fixed)},
            {"confidence", rule.confidence},
            {"rate", rule.rate},
            {"margin", rule.margin},
            {"commitment", commitment},
            {"population", static_cast<int64_t>(population)},
            {"population_hash", population_hash},
            {"population_ids", population_ids},
            {"opened_at", opened_at},
            {"sample_size", static_cast<int64_t>(sample_size)},
            {"sample", sample},
            {"draw_index", draw_index},
            {"results", std::move(results_json)},
            {"found_unregistered", found_unregistered},
            {"close_index", close_index},
            {"summary", summary}};
  return r;
}

Result<Inspection> Inspection::FromRecord(const OversightRecord& r) {
  if (r.kind != kInspectionKind) return FailedPrecondition(r.id + " is not an inspection");
  try {
    const Json& b = r.body;
    Inspection v;
    v.id = r.id;
    v.status = r.status;
    v.inspector = b.at("inspector").get<std::string>();
    const Json& scope = b.at("scope");
    v.scope.facility = scope.at("facility").get<std::string>();
    v.scope.locations = scope.at("locations").get<std::vector<std::string>>();
    v.scope.holding_kinds = scope.at("holding_kinds").get<std::vector<std::string>>();
    v.scope.item_types = scope.at("item_types").get<std::vector<std::string>>();
    v.scope.min_classification = scope.at("min_classification").get<std::string>();
    v.announced = b.at("announced").get<bool>();
    v.occasion = b.at("occasion").get<std::string>();
    SR_ASSIGN_OR_RETURN(v.rule.method, ParseMethod(b.at("method").get<std::string>()));
    v.rule.fixed = static_cast<uint64_t>(b.at("fixed").get<int64_t>());
    v.rule.confidence = b.at("confidence").get<std::string>();
    v.rule.rate = b.at("rate").get<std::string>();
    v.rule.margin = b.at("margin").get<std::string>();
    v.commitment = b.at("commitment").get<std::string>();
    v.population = static_cast<uint64_t>(b.at("population").get<int64_t>());
    v.population_hash = b.at("population_hash").get<std::string>();
    v.open_index = r.index;
    v.population_ids = b.at("population_ids").get<std::vector<std::string>>();
    v.opened_at = b.at("opened_at").get<std::string>();
    v.sample_size = static_cast<uint64_t>(b.at("sample_size").get<int64_t>());
    v.sample = b.at("sample").get<std::vector<std::string>>();
    v.draw_index = b.at("draw_index").get<int64_t>();
    for (const auto& [holding, j] : b.at("results").items()) {
      ItemResult item;
      item.result = j.at("result").get<std::string>();
      item.index = j.at("index").get<int64_t>();
      item.location_found = j.value("location_found", "");
      item.seal_read = j.value("seal_read", "");
      v.results.emplace(holding, std::move(item));
    }
    v.found_unregistered = b.at("found_unregistered").get<std::vector<std::string>>();
    v.close_index = b.at("close_index").get<int64_t>();
    v.summary = b.at("summary");
    return v;
  } catch (const Json::exception& e) {
    return DataLoss("inspection record " + r.id + " is malformed: " + e.what());
  }
}

}  // namespace strongroom::oversight
