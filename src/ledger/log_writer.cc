#include "ledger/log_writer.h"

namespace strongroom {

Result<TreeBuilder> LoadVerifiedTree(Store* store, const NoteVerifier& verifier) {
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, store->LatestCheckpoint());
  if (!note) return TreeBuilder();
  auto cp = OpenCheckpoint(*note, verifier);
  if (!cp.ok()) {
    return DataLoss("the latest stored checkpoint is not valid (" + cp.status().message() +
                    "); refusing to open the store");
  }
  std::vector<std::string> partial;
  for (int level = 0; level < LevelsForSize(cp->size); ++level) {
    const uint64_t width = (cp->size >> (kTileHeight * level)) % kTileWidth;
    if (width == 0) {
      partial.emplace_back();
      continue;
    }
    SR_ASSIGN_OR_RETURN(std::string data,
                        store->ReadTile(level, cp->size >> (kTileHeight * (level + 1))));
    partial.push_back(std::move(data));
  }
  auto builder = TreeBuilder::FromPartialTiles(cp->size, partial);
  if (!builder.ok()) {
    return DataLoss("the stored tiles do not fit the latest checkpoint (" +
                    builder.status().message() + "); refusing to open the store");
  }
  if (!(builder->Root() == cp->root)) {
    return DataLoss("the latest checkpoint (size " + std::to_string(cp->size) +
                    ") does not match the stored tiles; refusing to open the store "
                    "(run 'strongroom verify' to locate the damage)");
  }
  SR_ASSIGN_OR_RETURN(uint64_t entries, store->CountEntries());
  if (entries != cp->size) {
    return DataLoss("the store holds " + std::to_string(entries) +
                    " entries but its latest checkpoint covers " + std::to_string(cp->size) +
                    "; refusing to open the store");
  }
  return builder;
}

Result<LogWriter> LogWriter::Open(Store* store, NoteSigner signer) {
  LogWriter w(store, std::move(signer));
  SR_RETURN_IF_ERROR(w.Reload());
  return w;
}

Status LogWriter::Reload() {
  SR_ASSIGN_OR_RETURN(builder_, LoadVerifiedTree(store_, signer_.Verifier()));
  return OkStatus();
}

std::string LogWriter::SignCheckpoint() const {
  Checkpoint cp{signer_.name(), builder_.size(), builder_.Root(), {}};
  return SignNote(cp.Body(), signer_);
}

LogBatch LogWriter::Prepare(std::vector<std::string> entries) {
  LogBatch batch;
  batch.first_index = builder_.size();
  for (const std::string& e : entries) builder_.Append(LeafHash(e));
  for (TileData& t : builder_.TakeChangedTiles()) {
    batch.tiles.push_back({t.id.level, t.id.index, std::move(t.data)});
  }
  batch.entries = std::move(entries);
  batch.checkpoint = SignCheckpoint();
  return batch;
}

}  // namespace strongroom
