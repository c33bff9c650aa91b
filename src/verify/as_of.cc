#include "verify/as_of.h"

#include "base/clock.h"
#include "custody/event.h"
#include "custody/model.h"
#include "oversight/views.h"
#include "store/memory_store.h"
#include "verify/replay.h"

namespace strongroom {

Result<StateAsOf> RebuildAsOf(Store* store, const std::string& origin, int64_t time) {
  SR_ASSIGN_OR_RETURN(const uint64_t size, store->LogSize());
  AuditReport report;
  LogReplayer replay(&report, origin, [](const TileData&) {});
  uint64_t taken = 0;
  bool past = false;
  SR_RETURN_IF_ERROR(ScanDisclosedEntries(store, 0, size,
                                          [&](uint64_t index, std::string_view entry,
                                              std::string_view disclosure) -> Status {
                                            if (past) return OkStatus();
                                            SR_ASSIGN_OR_RETURN(Event e, Event::FromEntry(entry, disclosure));
                                            SR_ASSIGN_OR_RETURN(int64_t at, ParseRfc3339(e.time));
                                            if (at > time) {
                                              past = true;  // entries are in time order
                                              return OkStatus();
                                            }
                                            replay.Add(index, entry, disclosure);
                                            taken = index + 1;
                                            return OkStatus();
                                          }));
  replay.Finish();
  if (!replay.replayed_all()) {
    return FailedPrecondition("the log up to that time could not be replayed: " +
                              (report.problems.empty() ? std::string("entries without their disclosure")
                                                       : report.problems[0]));
  }
  StateAsOf out;
  out.projection = NewMemoryStore(ProjectionTables());
  out.tree_size = taken;
  std::vector<RowWrite> rows;
  std::vector<size_t> tables;
  const auto all = replay.state().AllRows();
  for (size_t table = 0; table < all.size(); ++table) {
    tables.push_back(table);
    for (const Row& row : all[table]) rows.push_back({table, row});
  }
  SR_RETURN_IF_ERROR(out.projection->ReplaceTables(tables, rows, {}));
  return out;
}

Result<Json> DueAsOf(Store* store, const std::string& origin, int64_t time) {
  SR_ASSIGN_OR_RETURN(StateAsOf then, RebuildAsOf(store, origin, time));
  SR_ASSIGN_OR_RETURN(auto due, oversight::Due(then.projection.get(), time));
  Json out = {{"as_of", FormatRfc3339(time)}, {"tree_size", then.tree_size}, {"due", Json::array()}};
  for (const auto& f : due) {
    SR_ASSIGN_OR_RETURN(const bool raised, oversight::Raised(then.projection.get(), f));
    Json j = oversight::FindingJson(f);
    j["raised_by_then"] = raised;
    out["due"].push_back(std::move(j));
  }
  return out;
}

}  // namespace strongroom
