// Inspections and inventories: the record an inspection keeps while it
// runs (an OversightRecord of kind "inspection"), its scope, and the event
// kinds that open, draw, record, find and close it (inspection_kinds.cc).
// docs/oversight.md states every rule.
#ifndef STRONGROOM_OVERSIGHT_INSPECTION_H_
#define STRONGROOM_OVERSIGHT_INSPECTION_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "custody/event.h"
#include "custody/kinds/kind.h"
#include "custody/model.h"
#include "custody/projection.h"
#include "oversight/sample.h"
#include "store/store.h"

namespace strongroom::oversight {

inline constexpr const char* kInspectionKind = "inspection";
// Whether a draw entry lists its sample's ids (else only their hash): at
// most 4096 ids taking at most 32 KiB, so that the entry stays well under
// the log's 64 KiB.
bool ListsSample(const std::vector<std::string>& sample);

// The id of the inspection opened at `index`: "INSP-17".
std::string InspectionId(uint64_t index);
inline constexpr std::string_view kInspectionIdPrefix = "INSP-";

// What an inspection covers: a facility, and optionally some of its
// locations, kinds of holding, evidence item types and a lowest
// classification.
struct Scope {
  std::string facility;
  std::vector<std::string> locations, holding_kinds, item_types;
  std::string min_classification;
};
Scope ScopeOf(const Event& open);

// Whether holding `h` is on hand (in store, checked out or a distributed
// copy: accounted for, not destroyed, released or in transit) and in scope.
bool InScope(const Scope& scope, const Holding& h);
// The ids of the holdings in scope on hand in `s` (after
// Projection::LoadHoldingsIn(scope.facility)), sorted.
std::vector<std::string> Population(const Projection& s, const Scope& scope);

// What an inspector records of one item.
inline constexpr std::array<std::string_view, 7> kResults = {
    "found", "missing", "wrong_location", "seal_broken", "seal_mismatch",
    "packaging_defective", "eligible_for_disposal"};

struct ItemResult {
  std::string result;
  int64_t index = 0;  // the entry that recorded it (the latest)
  std::string location_found, seal_read;
};

// The inspection record's meaning.
struct Inspection {
  std::string id;  // InspectionId(index of the open entry)
  std::string inspector;
  std::string status;  // open | drawn | closed | cancelled
  Scope scope;
  bool announced = false;
  std::string occasion;
  SizeRule rule;
  std::string commitment;
  uint64_t population = 0;
  std::string population_hash;
  int64_t open_index = 0;
  std::string opened_at;  // the open entry's time
  std::vector<std::string> population_ids;  // until drawn
  uint64_t sample_size = 0;
  std::vector<std::string> sample;          // once drawn, in rank order
  int64_t draw_index = 0;
  std::map<std::string, ItemResult> results;
  std::vector<std::string> found_unregistered;  // holdings registered as found
  int64_t close_index = 0;
  Json summary = Json::object();  // once closed: counts, rates, findings

  OversightRecord ToRecord(int64_t last_index) const;
  static Result<Inspection> FromRecord(const OversightRecord& r);
};

// The population an inspection keeps since its open, if it is the one its
// open entry states (count and hash): else DataLoss (a row edited in the
// database file is never drawn from).
Result<std::vector<std::string>> StatedPopulation(const Inspection& v);

// Every oversight record of `kind` in `store`'s projection, optionally of a
// status and facility ("" for any), in id order.
Status ForEachOversightRecord(Store* store, std::string_view kind, const std::string& status,
                              const std::string& facility,
                              const std::function<Status(const OversightRecord&)>& fn);

// The inspection event kinds, installed by oversight::Install().
std::span<const EventKind> InspectionKinds();

}  // namespace strongroom::oversight

#endif  // STRONGROOM_OVERSIGHT_INSPECTION_H_
