#include "oversight/views.h"

#include "oversight/inspection_client.h"

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

std::string InspectionLine(const Json& j) {
  std::string text = j.value("id", "") + " " + j.value("status", "") + " by " + j.value("inspector", "") +
                     " in " + j.value("scope", Json::object()).value("facility", "") + ": " +
                     j.value("method", "") + ", " + std::to_string(j.value("sample_size", int64_t{0})) +
                     " of " + std::to_string(j.value("population", int64_t{0})) + " on hand";
  if (j.value("status", "") != "open") {
    size_t recorded = 0, bad = 0;
    const Json results = j.value("results", Json::object());  // (a temporary's items() dangles)
    for (const auto& [holding, item] : results.items()) {
      ++recorded;
      bad += item.value("result", "") != "found";
    }
    text += "; " + std::to_string(recorded) + " recorded, " + std::to_string(bad) + " discrepant";
    if (const size_t extra = j.value("found_unregistered", Json::array()).size()) {
      text += ", " + std::to_string(extra) + " found not on record";
    }
  }
  return text;
}

Json FindingJson(const Finding& f) {
  return {{"id", DetectionId(f.rule, f.cause)}, {"rule", f.rule},         {"cause", f.cause},
          {"holding", f.holding},               {"subject", f.subject},   {"facility", f.facility},
          {"severity", f.severity}};
}

std::string FindingLine(const Finding& f) { return FindingLine(FindingJson(f)); }

std::string FindingLine(const Json& f) {
  const std::string subject = f.value("subject", "");
  return f.value("id", "") + " " + f.value("rule", "") + " " + f.value("cause", "") + " (" +
         f.value("severity", "") + (subject.empty() ? "" : ", concerns " + subject) + ")";
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

std::string DetectionLine(const Json& d) {
  return d.value("id", "") + " " + d.value("status", "") + " " + d.value("rule", "") + " " +
         d.value("cause", "") + " (" + d.value("severity", "") + ")";
}

Result<Json> InspectionData(Store* store, const std::string& id) {
  Projection state(store);
  SR_ASSIGN_OR_RETURN(Inspection v, ReadInspection(&state, id));
  return InspectionJson(v);
}

Result<Json> InspectionListData(Store* store, const std::string& status, const std::string& facility) {
  Json list = Json::array();
  SR_RETURN_IF_ERROR(ForEachOversightRecord(store, kInspectionKind, status, facility,
                                            [&](const OversightRecord& r) -> Status {
                                              SR_ASSIGN_OR_RETURN(Inspection v, Inspection::FromRecord(r));
                                              Json j = InspectionJson(v);
                                              j.erase("sample");
                                              j.erase("not_yet_recorded");
                                              list.push_back(std::move(j));
                                              return OkStatus();
                                            }));
  return Json{{"inspections", std::move(list)}};
}

Result<Json> DetectionListData(Store* store, const std::string& status, const std::string& facility) {
  Json list = Json::array();
  SR_RETURN_IF_ERROR(ForEachOversightRecord(store, kDetectionKind, status, facility,
                                            [&](const OversightRecord& r) -> Status {
                                              list.push_back(DetectionJson(r));
                                              return OkStatus();
                                            }));
  return Json{{"detections", std::move(list)}};
}

}  // namespace strongroom::oversight
