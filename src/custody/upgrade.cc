#include "custody/upgrade.h"

#include "custody/event.h"
#include "custody/model.h"
#include "custody/projection.h"
#include "custody/rules.h"

namespace strongroom {

Result<uint64_t> RebuildProjection(Store* store, const std::string& origin, int schema) {
  SR_ASSIGN_OR_RETURN(uint64_t size, store->CountEntries());  // the projection holds them all
  Projection state(nullptr);
  SR_RETURN_IF_ERROR(store->ScanEntries(0, size, [&](uint64_t index, std::string_view entry) {
    const std::string where = "entry " + std::to_string(index) + ": ";
    auto event = Event::FromEntry(entry);
    if (!event.ok()) return DataLoss(where + event.status().message());
    SR_RETURN_IF_ERROR(LoadReferences(*event, &state).Annotate(where));
    CheckEnv env{false, origin, index};
    if (event->type == EventType::kPersonAdd) {
      SR_ASSIGN_OR_RETURN(bool any, state.AnyPerson());
      env.bootstrap = !any;
    }
    auto verdict = Check(*event, state, env);
    if (!verdict.ok() || verdict->kind != Verdict::Kind::kAccept) {
      return DataLoss(where + "the custody rules refuse this " + EventTypeName(event->type) +
                      (verdict.ok() ? std::string() : ": " + verdict.status().message()) +
                      " (run 'strongroom verify')");
    }
    Apply(*event, index, &state);
    return OkStatus();
  }));
  std::vector<RowWrite> rows;
  const auto all = state.AllRows();
  std::vector<size_t> tables;
  for (size_t table = 0; table < all.size(); ++table) {
    tables.push_back(table);
    for (const Row& row : all[table]) rows.push_back({table, row});
  }
  SR_RETURN_IF_ERROR(store->ReplaceTables(tables, rows, {{"schema", std::to_string(schema)}}));
  return size;
}

}  // namespace strongroom
