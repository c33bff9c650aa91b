// Inclusion and consistency proofs (RFC 9162 §2.1.3, §2.1.4): generation from
// any source of complete node hashes, in particular C2SP hash tiles, and
// verification needing nothing but hashes.
#ifndef STRONGROOM_LEDGER_PROOF_H_
#define STRONGROOM_LEDGER_PROOF_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "crypto/sha256.h"

namespace strongroom {

// Supplies the hash of a complete node: the perfect subtree of `height`
// covering leaves [index << height, (index + 1) << height).
class NodeReader {
 public:
  virtual ~NodeReader() = default;
  virtual Result<Hash> ReadNode(int height, uint64_t index) = 0;
};

// MTH(D[begin:end]) as RFC 9162 defines it, for the ranges its recursion
// produces (begin a multiple of the largest power of two below end-begin).
Result<Hash> SubtreeHash(NodeReader* reader, uint64_t begin, uint64_t end);
// The root of the tree of `size` leaves.
Result<Hash> TreeRoot(NodeReader* reader, uint64_t size);
// PATH(index, D[0:size]); InvalidArgument unless index < size.
Result<std::vector<Hash>> InclusionProof(NodeReader* reader, uint64_t index, uint64_t size);
// PROOF(size1, D[0:size2]); InvalidArgument unless 0 < size1 <= size2.
Result<std::vector<Hash>> ConsistencyProof(NodeReader* reader, uint64_t size1, uint64_t size2);

// The root that `proof` leads to from `leaf_hash` at `index` in a tree of
// `size` leaves; InvalidArgument / DataLoss if the proof cannot be one.
Result<Hash> RootFromInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                               const std::vector<Hash>& proof);
// OK iff `proof` proves `leaf_hash` is at `index` in the tree with `root`.
Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                       const std::vector<Hash>& proof, const Hash& root);
// OK iff `proof` proves the tree (size2, root2) extends (size1, root1).
Status VerifyConsistency(uint64_t size1, uint64_t size2, const Hash& root1, const Hash& root2,
                         const std::vector<Hash>& proof);

// Reads nodes from C2SP hash tiles. `fetch(level, index, min_width)` returns
// the bytes of hash tile (level, index) holding at least min_width hashes.
// Each fetched tile is expanded once into all 8 levels of its subtree, so a
// node of any height costs a lookup; expanded tiles are cached (bounded,
// cleared when full). Thread-compatible.
class TileNodeReader : public NodeReader {
 public:
  using FetchTile =
      std::function<Result<std::string>(int level, uint64_t index, uint64_t min_width)>;
  explicit TileNodeReader(FetchTile fetch, size_t max_cached_tiles = 4096)
      : fetch_(std::move(fetch)), max_cached_(max_cached_tiles) {}

  Result<Hash> ReadNode(int height, uint64_t index) override;
  void ClearCache() { cache_.clear(); }

 private:
  // levels[r] holds the complete nodes of height r within the tile.
  struct Expanded {
    std::vector<std::vector<Hash>> levels;
  };
  FetchTile fetch_;
  size_t max_cached_;
  std::map<std::pair<int, uint64_t>, Expanded> cache_;
};

}  // namespace strongroom

#endif  // STRONGROOM_LEDGER_PROOF_H_
