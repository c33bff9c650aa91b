// The log as C2SP serves it: tiles and entry bundles, proofs, and witness
// cosignatures of checkpoints.
#include <map>

#include "base/file.h"
#include "custody/queries.h"
#include "ledger/cosignature.h"
#include "ledger/tiles.h"
#include "server/requests.h"
#include "server/responses.h"
#include "server/service.h"

namespace strongroom {
namespace {

constexpr uint64_t kCosignatureClockSkew = 300;  // seconds a witness's clock may run ahead

}  // namespace

void Service::Proof(bool inclusion, const HttpRequest& request, Respond respond) {
  auto params = inclusion ? QueryParams(request.query, {"index", "size"})
                          : QueryParams(request.query, {"from", "to"});
  if (!params.ok()) return respond(ErrorResponse(params.status()));
  auto first = CountParam(*params, inclusion ? "index" : "from");
  auto size = CountParam(*params, inclusion ? "size" : "to");
  if (!first.ok()) return respond(ErrorResponse(first.status()));
  if (!size.ok()) return respond(ErrorResponse(size.status()));
  if (!*first) {
    return respond(ErrorResponse(
        400, std::string("query parameter '") + (inclusion ? "index" : "from") + "' is required"));
  }
  // Proofs are hashes: like hash tiles, anyone may have them.
  WithReader(respond, [this, inclusion, first = *first, size = *size, respond](DataDir* reader) {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    const std::string checkpoint = sequencer_->checkpoint();
    auto proof = ProofData(reader->store(), reader->verifier(), inclusion ? first : std::nullopt,
                           inclusion ? std::nullopt : first, size, &checkpoint);
    respond(JsonOrError(proof));
  });
}

std::string Service::CosignedCheckpoint() {
  std::string note = sequencer_->checkpoint();
  std::lock_guard<std::mutex> lock(cosign_mu_);
  if (cosignatures_.empty()) return note;
  // Only the latest checkpoint's cosignatures belong on it.
  const size_t first = note.find('\n') + 1;
  const std::string size = note.substr(first, note.find('\n', first) - first);
  if (size != std::to_string(cosigned_.size)) return note;
  for (const auto& [name, line] : cosignatures_) note += line;
  return note;
}

void Service::AcceptCosignatures(const HttpRequest& request, Respond respond) {
  if (witnesses_.empty()) {
    return respond(ErrorResponse(403, "this log accepts no witnesses (serve --witness VKEY)"));
  }
  auto note = OpenNote(request.body, data_->verifier());
  if (!note.ok()) {
    return respond(
        ErrorResponse(400, "not a checkpoint signed by this log: " + note.status().message()));
  }
  auto cp = ParseCheckpointBody(note->text);
  if (!cp.ok()) return respond(ErrorResponse(400, cp.status().message()));
  const int64_t now = clock_->Now() / 1'000'000;
  std::map<std::string, std::string> lines;
  for (const NoteVerifier& w : witnesses_) {
    auto stamp = VerifyCosignature(*note, w);
    if (stamp.status().code() == StatusCode::kNotFound) continue;
    if (!stamp.ok()) return respond(ErrorResponse(400, stamp.status().message()));
    if (*stamp > static_cast<uint64_t>(now) + kCosignatureClockSkew) {
      return respond(ErrorResponse(400, "the cosignature of " + w.name() + " is from the future"));
    }
    for (const NoteSignature& sig : note->signatures) {
      if (sig.name == w.name() && sig.key_id == w.key_id()) lines[w.name()] = SignatureLineOf(sig);
    }
  }
  if (lines.empty()) {
    return respond(ErrorResponse(403, "no cosignature by a witness this log accepts"));
  }
  std::lock_guard<std::mutex> lock(cosign_mu_);
  if (cp->size < cosigned_.size) {
    return respond(ErrorResponse(409, "a later checkpoint (size " + std::to_string(cosigned_.size) +
                                          ") is cosigned already"));
  }
  if (cp->size > cosigned_.size) cosignatures_.clear();
  cosigned_ = *cp;
  for (auto& [name, line] : lines) cosignatures_[name] = std::move(line);
  // Kept (a restart serves them again): the checkpoint, the log's signature
  // and every cosignature it has.
  std::string kept = note->text + "\n";
  for (const NoteSignature& sig : note->signatures) {
    if (sig.name == data_->verifier().name() && sig.key_id == data_->verifier().key_id()) {
      kept += SignatureLineOf(sig);
      break;
    }
  }
  Json names = Json::array();
  for (const auto& [name, line] : cosignatures_) {
    kept += line;
    names.push_back(name);
  }
  if (Status st = cosigned_store_->Keep(kept); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  cosigned_note_ = std::move(kept);
  respond(JsonResponse(200, {{"tree_size", cp->size}, {"cosigned_by", names}}));
}

void Service::ServeTile(const std::string& path, const HttpRequest& request, Respond respond) {
  auto parsed = ParseTilePath(path);
  if (!parsed.ok()) return respond(ErrorResponse(400, parsed.status().message()));
  const TileId id = *parsed;
  const uint64_t size = sequencer_->size();
  const bool entries = id.level == TileId::kEntriesLevel;
  const uint64_t available = entries ? size : size >> (kTileHeight * id.level);
  if (id.index * kTileWidth + id.width > available) {
    return respond(ErrorResponse(
        404, "tile " + path + " is beyond the tree (size " + std::to_string(size) + ")"));
  }
  auto tile_response = [entries](std::string body) {
    HttpResponse r{200, "application/octet-stream", std::move(body), {}};
    r.headers.emplace_back("Cache-Control", std::string(entries ? "private" : "public") +
                                                ", max-age=31536000, immutable");
    return r;
  };
  if (entries) {
    // Entry bundles reveal every entry in them: only for people the policy
    // lets read the log and every holding the entries name (a refusal is
    // logged).
    auto person = Authenticated(request, respond);
    if (!person) return;
    const uint64_t first = id.index * kTileWidth;
    return ReadEntries(
        *person, first, first + id.width, "entry bundle " + path,
        request,
        [id, tile_response](DataDir* d) -> HttpResponse {
          auto bytes = ReadTileBytes(d->store(), id);
          return bytes.ok() ? tile_response(std::move(*bytes)) : ErrorResponse(bytes.status());
        },
        std::move(respond));
  }
  // A hash tile's bytes never change once it exists (a partial tile of
  // width W included): answer from memory when we can, on this thread.
  std::optional<std::string> cached;
  {
    std::lock_guard<std::mutex> lock(tiles_mu_);
    if (auto it = tiles_.find(path); it != tiles_.end()) cached = it->second;
  }
  if (cached) return respond(tile_response(std::move(*cached)));
  WithReader(respond, [this, id, path, tile_response, respond](DataDir* reader) {
    if (!reader) return respond(ErrorResponse(503, "the store cannot be read"));
    auto bytes = ReadTileBytes(reader->store(), id);
    if (!bytes.ok()) return respond(ErrorResponse(bytes.status()));
    std::string body = std::move(*bytes);
    {
      std::lock_guard<std::mutex> lock(tiles_mu_);
      if (tile_bytes_ + body.size() > kTileCacheBytes) {  // crude, and enough: start again
        tiles_.clear();
        tile_bytes_ = 0;
      }
      tile_bytes_ += body.size();
      tiles_.emplace(path, body);
    }
    respond(tile_response(std::move(body)));
  });
}

}  // namespace strongroom
