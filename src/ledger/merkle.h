// The incremental Merkle tree of the log (RFC 9162 §2.1) and its tiles.
//
// TreeBuilder keeps only the right edge of the tree (at most 64 perfect
// subtree roots) plus the unfinished tile at each level, so appending costs
// one leaf hash and on average one node hash, and the C2SP tiles fall out of
// the merges for free: a merge that produces a node of height 8·L appends it
// to the level-L tile.
#ifndef STRONGROOM_LEDGER_MERKLE_H_
#define STRONGROOM_LEDGER_MERKLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "crypto/sha256.h"
#include "ledger/tiles.h"

namespace strongroom {

// A hash tile's identity and its bytes (width · 32 bytes).
struct TileData {
  TileId id;
  std::string data;
};

// Root of a perfect subtree given its `n` (a power of two) leftmost-first
// child hashes of equal height.
Hash PerfectSubtreeRoot(const Hash* hashes, size_t n);
// Reads hash i of a tile's bytes.
Hash TileHashAt(std::string_view tile_data, size_t i);

// Thread-compatible.
class TreeBuilder {
 public:
  TreeBuilder();

  // Restores the builder of a tree of `size` leaves from the unfinished tile
  // at each level: partial_tiles[L] holds ((size >> 8L) mod 256) hashes.
  // DataLoss if the tiles do not have those widths.
  static Result<TreeBuilder> FromPartialTiles(uint64_t size,
                                              const std::vector<std::string>& partial_tiles);

  void Append(const Hash& leaf_hash);
  uint64_t size() const { return size_; }
  Hash Root() const;

  // The tiles created or grown since the last call, full tiles first at each
  // level, then the level's current partial tile if it changed.
  std::vector<TileData> TakeChangedTiles();
  // The current partial tile of every level that has one.
  std::vector<TileData> PartialTiles() const;

 private:
  struct Node {
    Hash hash;
    int height;
  };
  void AddTileNode(int level, const Hash& h);
  TileData PartialTile(int level) const;

  uint64_t size_ = 0;
  std::vector<Node> right_edge_;    // perfect subtrees, left to right
  std::vector<std::string> tails_;  // unfinished tile bytes per level
  std::vector<bool> tail_changed_;
  std::vector<TileData> changed_;  // full tiles completed since last take
};

}  // namespace strongroom

#endif  // STRONGROOM_LEDGER_MERKLE_H_
