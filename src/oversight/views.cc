#include "oversight/views.h"

namespace strongroom::oversight {

Json InspectionJson(const Inspection& v) {
  Json j = v.ToRecord(0).body;
  j.erase("population_ids");
  j["id"] = v.id;
  j["status"] = v.status;
  j["open_index"] = v.open_index;
  // Live discrepancies while it runs: sampled items not found as registered.
  Json discrepancies = Json::array();
  for (const auto& [holding, item] : v.results) {
    if (item.result != "found") discrepancies.push_back({{"holding", holding}, {"result", item.result}});
  }
  for (const auto& h : v.found_unregistered) {
    discrepancies.push_back({{"holding", h}, {"result", "not_on_record"}});
  }
  j["discrepancies"] = std::move(discrepancies);
  Json pending = Json::array();
  for (const auto& id : v.sample) {
    if (!v.results.count(id)) pending.push_back(id);
  }
  j["not_yet_recorded"] = std::move(pending);
  return j;
}

std::string InspectionLine(const Inspection& v) {
  std::string text = v.id + " " + v.status + " by " + v.inspector + " in " + v.scope.facility + ": " +
                     MethodName(v.rule.method) + ", " + std::to_string(v.sample_size) + " of " +
                     std::to_string(v.population) + " on hand";
  if (v.status != "open") {
    size_t recorded = 0, bad = 0;
    for (const auto& id : v.sample) {
      auto it = v.results.find(id);
      if (it == v.results.end()) continue;
      ++recorded;
      bad += it->second.result != "found";
    }
    text += "; " + std::to_string(recorded) + " recorded, " + std::to_string(bad) + " discrepant";
    if (!v.found_unregistered.empty()) {
      text += ", " + std::to_string(v.found_unregistered.size()) + " found not on record";
    }
  }
  return text;
}

Json FindingJson(const Finding& f) {
  return {{"id", DetectionId(f.rule, f.cause)}, {"rule", f.rule},         {"cause", f.cause},
          {"holding", f.holding},               {"subject", f.subject},   {"facility", f.facility},
          {"severity", f.severity}};
}

std::string FindingLine(const Finding& f) {
  return DetectionId(f.rule, f.cause) + " " + f.rule + " " + f.cause + " (" + f.severity +
         (f.subject.empty() ? "" : ", concerns " + f.subject) + ")";
}

Json DetectionJson(const OversightRecord& r) {
  Json j = r.body;
  j["id"] = r.id;
  j["status"] = r.status;
  j["subject"] = r.subject;
  j["facility"] = r.facility;
  j["index"] = r.index;
  return j;
}

std::string DetectionLine(const OversightRecord& r) {
  return r.id + " " + r.status + " " + r.body.value("rule", "") + " " + r.body.value("cause", "") +
         " (" + r.body.value("severity", "") + ")";
}

}  // namespace strongroom::oversight
