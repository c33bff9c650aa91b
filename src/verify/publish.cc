#include "verify/publish.h"

#include "base/file.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"

namespace strongroom {
namespace {

Status WriteTile(const std::string& out_dir, const TileId& id, const std::string& data,
                 PublishStats* stats) {
  const std::string path = out_dir + "/" + TilePath(id);
  if (id.full() && PathExists(path)) return OkStatus();  // full tiles never change
  SR_RETURN_IF_ERROR(MakeDirs(path.substr(0, path.find_last_of('/'))));
  SR_RETURN_IF_ERROR(WriteFileAtomic(path, data, 0644, /*durable=*/false));
  ++stats->files_written;
  return OkStatus();
}

}  // namespace

Result<PublishStats> Publish(DataDir* data, const std::string& out_dir) {
  // An empty directory name once published into "/" ("" + "/checkpoint").
  if (out_dir.empty()) return InvalidArgument("publish needs a directory to write the tree into");
  Store* store = data->store();
  const NoteVerifier verifier = data->verifier();
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, store->LatestCheckpoint());
  if (!note) return FailedPrecondition("the store has no checkpoint");
  SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(*note, verifier));
  SR_RETURN_IF_ERROR(MakeDirs(out_dir));

  PublishStats stats;
  stats.size = cp.size;
  TileNodeReader reader(
      [&](int level, uint64_t index, uint64_t) { return store->ReadTile(level, index); });
  const std::string cp_path = out_dir + "/checkpoint";
  if (PathExists(cp_path)) {
    SR_ASSIGN_OR_RETURN(std::string old_note, ReadFile(cp_path));
    auto old = OpenCheckpoint(old_note, verifier);
    if (!old.ok()) {
      return FailedPrecondition(out_dir + " holds a checkpoint this log did not sign (" +
                                old.status().message() + "); publish to an empty directory");
    }
    if (old->size > cp.size) {
      return FailedPrecondition(out_dir + " holds a larger tree (" + std::to_string(old->size) +
                                ") than this store (" + std::to_string(cp.size) + ")");
    }
    if (old->size > 0) {
      SR_ASSIGN_OR_RETURN(Hash old_root, TreeRoot(&reader, old->size));
      if (!(old_root == old->root)) {
        return DataLoss("the published checkpoint at size " + std::to_string(old->size) +
                        " is not consistent with this store: refusing to publish a fork");
      }
    }
    stats.previous_size = old->size;
  }

  // Hash tiles, from the first tile the previous publication left partial.
  for (int level = 0; level < LevelsForSize(cp.size); ++level) {
    const uint64_t first = (stats.previous_size >> (kTileHeight * level)) / kTileWidth;
    for (const TileId& id : TilesForSize(level, cp.size)) {
      if (id.index < first) continue;
      SR_ASSIGN_OR_RETURN(std::string bytes, ReadTileBytes(store, id));
      SR_RETURN_IF_ERROR(WriteTile(out_dir, id, bytes, &stats));
    }
  }
  // Entry bundles. Entries of schema 4 seal their sensitive fields; older
  // ones are in clear, and are published as they are (their leaf hashes are
  // in the tree: withheld, no auditor could check them), counted and warned
  // about (docs/entry-format.md).
  SR_RETURN_IF_ERROR(store->ScanEntries(stats.previous_size, cp.size,
                                        [&](uint64_t, std::string_view entry) {
                                          if (!entry.ends_with(",\"v\":4}")) ++stats.clear_entries;
                                          return OkStatus();
                                        }));
  for (const TileId& t : TilesForSize(0, cp.size)) {
    if (t.index < stats.previous_size / kTileWidth) continue;
    const TileId id{TileId::kEntriesLevel, t.index, t.width};
    SR_ASSIGN_OR_RETURN(std::string bundle, ReadTileBytes(store, id));
    SR_RETURN_IF_ERROR(WriteTile(out_dir, id, bundle, &stats));
  }
  SyncAll();
  SR_RETURN_IF_ERROR(WriteFileAtomic(cp_path, *note, 0644));
  ++stats.files_written;
  return stats;
}

}  // namespace strongroom
