#include "ledger/log_writer.h"

#include <charconv>
#include <cstring>

#include "base/encoding.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"

namespace strongroom {
namespace {

// The committed head's text: not a C2SP checkpoint (its second line is not a
// tree size), so no checkpoint verifier accepts it.
constexpr std::string_view kHeadTitle = "strongroom committed tree head\nnot a checkpoint\n";

}  // namespace

Result<std::string> SignCommittedHead(const NoteSigner& signer, uint64_t size, const Hash& root) {
  return SignNote(std::string(kHeadTitle) + signer.name() + "\n" + std::to_string(size) + "\n" +
                      Base64Encode(root.view()) + "\n",
                  signer);
}

Result<std::pair<uint64_t, Hash>> OpenCommittedHead(std::string_view note,
                                                    const NoteVerifier& verifier) {
  auto opened = OpenNote(note, verifier);
  if (!opened.ok()) return DataLoss("no valid committed head: " + opened.status().message());
  std::string_view text = opened->text;
  const std::string prefix = std::string(kHeadTitle) + verifier.name() + "\n";
  if (text.substr(0, prefix.size()) != prefix) return DataLoss("not a committed head of this log");
  text.remove_prefix(prefix.size());
  const size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return DataLoss("a malformed committed head");
  uint64_t size = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + nl, size);
  if (ec != std::errc() || end != text.data() + nl) return DataLoss("a malformed committed head");
  std::string_view root_text = text.substr(nl + 1);
  if (root_text.empty() || root_text.back() != '\n') return DataLoss("a malformed committed head");
  root_text.remove_suffix(1);
  auto root = Base64Decode(root_text);
  if (!root.ok() || root->size() != 32) return DataLoss("a malformed committed head");
  Hash h;
  std::memcpy(h.bytes.data(), root->data(), 32);
  return std::make_pair(size, h);
}

Result<TreeBuilder> LoadVerifiedTree(Store* store, const NoteVerifier& verifier,
                                     std::optional<Checkpoint>* latest) {
  SR_ASSIGN_OR_RETURN(uint64_t entries, store->CountEntries());
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, store->LatestCheckpoint());
  if (!note) {
    if (entries != 0) {
      return DataLoss("the store holds " + std::to_string(entries) +
                      " entries but no checkpoint; refusing to open the store");
    }
    return TreeBuilder();
  }
  auto cp = OpenCheckpoint(*note, verifier);
  if (!cp.ok()) {
    return DataLoss("the latest stored checkpoint is not valid (" + cp.status().message() +
                    "); refusing to open the store");
  }
  if (entries < cp->size) {
    // A store rolled back behind what was signed: going on would fork the
    // log. The log halts instead.
    return DataLoss("the store holds " + std::to_string(entries) +
                    " entries but its latest checkpoint covers " + std::to_string(cp->size) +
                    "; refusing to open the store");
  }
  // The tree of every committed entry, from the stored right-edge tiles.
  std::vector<std::string> partial;
  for (int level = 0; level < LevelsForSize(entries); ++level) {
    const uint64_t width = (entries >> (kTileHeight * level)) % kTileWidth;
    if (width == 0) {
      partial.emplace_back();
      continue;
    }
    SR_ASSIGN_OR_RETURN(std::string data,
                        store->ReadTile(level, entries >> (kTileHeight * (level + 1))));
    partial.push_back(std::move(data));
  }
  auto builder = TreeBuilder::FromPartialTiles(entries, partial);
  if (!builder.ok()) {
    return DataLoss("the stored tiles do not fit the committed entries (" +
                    builder.status().message() + "); refusing to open the store");
  }
  // Entries past the checkpoint (the writer stopped between committing them
  // and signing) are the log's only if its sequencer committed them: the
  // committed head it stored with them says so. Entries someone wrote into
  // the database are never signed.
  if (entries > cp->size) {
    SR_ASSIGN_OR_RETURN(std::optional<std::string> head, store->GetMeta("committed_head"));
    auto committed = OpenCommittedHead(head.value_or(""), verifier);
    if (!committed.ok() || committed->first != entries || !(committed->second == builder->Root())) {
      return DataLoss("the store holds " + std::to_string(entries - cp->size) +
                      " entries beyond its latest checkpoint that its sequencer did not commit" +
                      (committed.ok() ? "" : " (" + committed.status().message() + ")") +
                      "; refusing to open the store");
    }
  }
  // It must extend what was signed: the root at the checkpoint's size, from
  // the same tiles, is the signed root.
  Hash signed_root = builder->Root();
  if (entries != cp->size && cp->size > 0) {
    TileNodeReader reader(
        [&](int level, uint64_t index, uint64_t) { return store->ReadTile(level, index); });
    auto root = TreeRoot(&reader, cp->size);
    if (!root.ok())
      return DataLoss("the stored tiles do not hold the signed tree: " + root.status().message());
    signed_root = *root;
  } else if (cp->size == 0) {
    signed_root = TreeBuilder().Root();
  }
  if (!(signed_root == cp->root)) {
    return DataLoss("the latest checkpoint (size " + std::to_string(cp->size) +
                    ") does not match the stored tiles; refusing to open the store "
                    "(run 'strongroom verify' to locate the damage)");
  }
  if (latest) *latest = *cp;
  return builder;
}

Result<LogWriter> LogWriter::Open(Store* store, NoteSigner signer) {
  LogWriter w(store, std::move(signer));
  SR_RETURN_IF_ERROR(w.Reload());
  return w;
}

Status LogWriter::Reload() {
  std::optional<Checkpoint> latest;
  SR_ASSIGN_OR_RETURN(TreeBuilder builder, LoadVerifiedTree(store_, signer_.Verifier(), &latest));
  // What this writer signed before must still be there: a store that went
  // back behind it (a restored backup, a failed-over database that lost a
  // commit) halts the log instead of forking it.
  if (latest && latest->size < signed_size_) {
    return DataLoss("the store's latest checkpoint (size " + std::to_string(latest->size) +
                    ") is behind the one this writer signed (size " + std::to_string(signed_size_) +
                    "); the log halts");
  }
  if (latest && latest->size == signed_size_ && signed_size_ > 0 &&
      !(latest->root == signed_root_)) {
    return DataLoss("the store's checkpoint of size " + std::to_string(signed_size_) +
                    " is not the one this writer signed; the log halts");
  }
  builder_ = std::move(builder);
  if (latest) {
    signed_size_ = latest->size;
    signed_root_ = latest->root;
  }
  return OkStatus();
}

Result<std::string> LogWriter::SignCheckpoint() const {
  Checkpoint cp{signer_.name(), builder_.size(), builder_.Root(), {}};
  return SignNote(cp.Body(), signer_);
}

Result<std::string> LogWriter::SignCommitted() {
  return SignCommitted(builder_.size(), builder_.Root());
}

Result<std::string> LogWriter::SignCommitted(uint64_t size, const Hash& root) {
  // The in-memory tree only ever grows from what was loaded and checked, so
  // a larger tree extends the last one signed; the same size must be the
  // same tree.
  if (size < signed_size_ || (size == signed_size_ && signed_size_ > 0 && !(root == signed_root_))) {
    return Internal("refusing to sign a tree of size " + std::to_string(size) +
                    " that does not extend the one signed at size " +
                    std::to_string(signed_size_));
  }
  Checkpoint cp{signer_.name(), size, root, {}};
  SR_ASSIGN_OR_RETURN(std::string note, SignNote(cp.Body(), signer_));
  signed_size_ = size;
  signed_root_ = root;
  return note;
}

Result<LogBatch> LogWriter::Prepare(std::vector<std::string> entries) {
  LogBatch batch;
  batch.first_index = builder_.size();
  for (const std::string& e : entries) builder_.Append(LeafHash(e));
  for (TileData& t : builder_.TakeChangedTiles()) {
    batch.tiles.push_back({t.id.level, t.id.index, std::move(t.data)});
  }
  batch.entries = std::move(entries);
  SR_ASSIGN_OR_RETURN(batch.head, SignCommittedHead(signer_, builder_.size(), builder_.Root()));
  return batch;
}

}  // namespace strongroom
