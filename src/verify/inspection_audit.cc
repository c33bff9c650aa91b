#include "verify/inspection_audit.h"

#include <algorithm>
#include <charconv>

#include "base/encoding.h"
#include "custody/event.h"
#include "oversight/inspection.h"
#include "oversight/sample.h"
#include "verify/replay.h"

namespace strongroom {
namespace {

// "INSP-17" -> 17.
Result<uint64_t> OpenIndexOf(const std::string& id) {
  const size_t prefix = oversight::kInspectionIdPrefix.size();
  uint64_t index = 0;
  auto [end, ec] = std::from_chars(id.data() + std::min(prefix, id.size()), id.data() + id.size(), index);
  if (id.compare(0, prefix, oversight::kInspectionIdPrefix) != 0 || id.size() == prefix ||
      ec != std::errc() || end != id.data() + id.size() || oversight::InspectionId(index) != id) {
    return InvalidArgument("'" + id.substr(0, 64) + "' is not an inspection id (INSP-<index>)");
  }
  return index;
}

}  // namespace

Result<Json> VerifyInspectionSample(Store* store, const std::string& origin, const std::string& id) {
  SR_ASSIGN_OR_RETURN(const uint64_t open_index, OpenIndexOf(id));
  SR_ASSIGN_OR_RETURN(const uint64_t size, store->LogSize());
  if (open_index >= size) return NotFound("inspection " + id + ": the log has no entry " + std::to_string(open_index));
  AuditReport report;
  LogReplayer replay(&report, origin, [](const TileData&) {});
  std::optional<Event> open;
  SR_RETURN_IF_ERROR(ScanDisclosedEntries(store, 0, open_index + 1,
                                          [&](uint64_t index, std::string_view entry,
                                              std::string_view disclosure) -> Status {
                                            replay.Add(index, entry, disclosure);
                                            if (index == open_index) {
                                              SR_ASSIGN_OR_RETURN(open, Event::FromEntry(entry, disclosure));
                                            }
                                            return OkStatus();
                                          }));
  if (open->type != EventType::kInspectionOpen) {
    return FailedPrecondition("entry " + std::to_string(open_index) + " is a " +
                              EventTypeName(open->type) + ", not an inspection.open");
  }
  if (!replay.replayed_all()) {
    std::string why = report.problems.empty() ? "entries without their disclosure" : report.problems[0];
    return FailedPrecondition("the log up to " + id + " could not be replayed: " + why);
  }
  const Hash root = replay.root();  // of the tree that ends with the open entry
  Projection& state = *replay.mutable_state();
  const oversight::Scope scope = oversight::ScopeOf(*open);
  SR_RETURN_IF_ERROR(state.LoadHoldingsIn(scope.facility));
  std::vector<std::string> population = oversight::Population(state, scope);
  const std::string population_hash = oversight::PopulationHash(&population);
  Json out = {{"inspection", id},
              {"open_index", open_index},
              {"root", Base64Encode(root.view())},
              {"population", population.size()},
              {"population_hash", population_hash},
              {"population_matches",
               static_cast<int64_t>(population.size()) == open->fields.Int("population") &&
                   population_hash == open->Field("population_hash")}};
  // The draw: the first inspection.draw of this inspection after it.
  std::optional<Event> draw;
  uint64_t draw_index = 0;
  SR_RETURN_IF_ERROR(ScanDisclosedEntries(store, open_index + 1, size,
                                          [&](uint64_t index, std::string_view entry,
                                              std::string_view disclosure) -> Status {
                                            if (draw) return OkStatus();
                                            auto e = Event::FromEntry(entry, disclosure);
                                            if (e.ok() && e->type == EventType::kInspectionDraw &&
                                                e->Field("inspection") == id) {
                                              draw = std::move(e).value();
                                              draw_index = index;
                                            }
                                            return OkStatus();
                                          }));
  if (!draw) {
    out["drawn"] = false;
    return out;
  }
  auto reveal = Base64Decode(draw->Field("reveal"));
  if (!reveal.ok()) return DataLoss("the draw at entry " + std::to_string(draw_index) + " has no valid reveal");
  oversight::SizeRule rule;
  SR_ASSIGN_OR_RETURN(rule.method, oversight::ParseMethod(open->Field("method")));
  rule.fixed = static_cast<uint64_t>(open->fields.Int("sample_size"));
  rule.confidence = open->Field("confidence");
  rule.rate = open->Field("detect_rate");
  rule.margin = open->Field("margin");
  SR_ASSIGN_OR_RETURN(const uint64_t n, oversight::SampleSize(rule, population.size()));
  const auto sample =
      oversight::DrawSample(oversight::SampleSeed(root, *reveal), population, n);
  out["drawn"] = true;
  out["draw_index"] = draw_index;
  out["commitment_matches"] = oversight::Commitment(*reveal) == open->Field("commitment");
  out["root_matches"] = draw->Field("root") == Base64Encode(root.view());
  out["sample_size"] = n;
  out["sample_hash"] = oversight::SampleHash(sample);
  out["sample"] = sample;
  out["sample_matches"] = draw->Field("sample_hash") == oversight::SampleHash(sample) &&
                          static_cast<uint64_t>(draw->fields.Int("sample_size")) == n;
  return out;
}

}  // namespace strongroom
