#include "custody/upgrade.h"

#include <map>

#include "custody/event.h"
#include "custody/model.h"
#include "custody/projection.h"
#include "custody/rules.h"
#include "ledger/log_writer.h"
#include "ledger/merkle.h"
#include "ledger/note.h"

namespace strongroom {

Result<uint64_t> RebuildProjection(Store* store, const NoteVerifier& verifier, int schema) {
  const std::string& origin = verifier.name();
  // The entries replayed are the log's own: their tree must be the one the
  // latest signed checkpoint (and, past it, the sequencer's committed head)
  // vouches for, or the projection would be rebuilt from forged history.
  SR_ASSIGN_OR_RETURN(uint64_t size, store->CountEntries());  // the projection holds them all
  std::map<uint64_t, Hash> vouched;
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, store->LatestCheckpoint());
  if (note) {
    SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(*note, verifier));
    vouched[cp.size] = cp.root;
    if (size > cp.size) {
      SR_ASSIGN_OR_RETURN(std::optional<std::string> head, store->GetMeta("committed_head"));
      SR_ASSIGN_OR_RETURN(auto committed, OpenCommittedHead(head.value_or(""), verifier));
      vouched[committed.first] = committed.second;
    }
  }
  TreeBuilder tree;
  auto check_root = [&]() -> Status {
    auto it = vouched.find(tree.size());
    if (it != vouched.end() && !(it->second == tree.Root())) {
      return DataLoss("the entries do not make the tree signed at size " +
                      std::to_string(tree.size()) + "; not upgrading (run 'strongroom verify')");
    }
    return OkStatus();
  };
  SR_RETURN_IF_ERROR(check_root());
  Projection state(nullptr);
  ReplayedLog log;
  SR_RETURN_IF_ERROR(ScanDisclosedEntries(store, 0, size, [&](uint64_t index, std::string_view entry,
                                                               std::string_view disclosure) {
    tree.Append(LeafHash(entry));
    SR_RETURN_IF_ERROR(check_root());
    const std::string where = "entry " + std::to_string(index) + ": ";
    auto event = Event::FromEntry(entry, disclosure);
    if (!event.ok()) return DataLoss(where + event.status().message());
    if (event->sealed()) return DataLoss(where + "it seals fields and the store has no disclosure of it");
    log.Next(index, event->type, tree);
    SR_RETURN_IF_ERROR(LoadReferences(*event, &state).Annotate(where));
    CheckEnv env{false, origin, index};
    env.log = &log;
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
