// C2SP tlog-tiles geometry and paths (https://c2sp.org/tlog-tiles).
//
// A hash tile at level L, index N holds up to 256 consecutive node hashes of
// tree height 8·L: tile (0, N) holds leaf hashes 256·N…256·N+255, tile (1, N)
// the roots of the 256-leaf subtrees, and so on. A partial tile (width W <
// 256) is the prefix of the tile that a tree of the current size completes.
// Entry bundles are tiled the same way at level "entries", each entry
// prefixed by its 2-byte big-endian length.
#ifndef STRONGROOM_LEDGER_TILES_H_
#define STRONGROOM_LEDGER_TILES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strongroom {

class Store;

constexpr int kTileHeight = 8;
constexpr uint64_t kTileWidth = 256;
constexpr size_t kMaxEntrySize = 65535;  // the 2-byte length prefix of entry bundles

// A tile's coordinates. level == kEntriesLevel means an entry bundle.
struct TileId {
  static constexpr int kEntriesLevel = -1;
  int level = 0;
  uint64_t index = 0;
  uint64_t width = kTileWidth;  // 1..256; 256 means full

  bool operator==(const TileId&) const = default;
  bool full() const { return width == kTileWidth; }
};

// "tile/0/x001/234.p/5", "tile/entries/000".
std::string TilePath(const TileId& id);
// Parses a tile path as above (without a leading slash).
Result<TileId> ParseTilePath(std::string_view path);

// The tiles at `level` that a tree of `size` leaves has, in index order, the
// last possibly partial. Level 0 counts leaves; the entry bundles have the
// same geometry as level 0.
std::vector<TileId> TilesForSize(int level, uint64_t size);
// The number of levels with at least one (possibly partial) tile.
int LevelsForSize(uint64_t size);

// Splits an entry bundle into its entries; DataLoss if malformed.
Result<std::vector<std::string>> SplitEntryBundle(std::string_view bundle);
void AppendToEntryBundle(std::string_view entry, std::string* bundle);

// Tile `id` as served and published, from a store whose log covers it: the
// first `width` hashes of a hash tile, or the entry bundle of `width`
// entries. DataLoss if the stored tile is short.
Result<std::string> ReadTileBytes(Store* store, const TileId& id);

}  // namespace strongroom

#endif  // STRONGROOM_LEDGER_TILES_H_
