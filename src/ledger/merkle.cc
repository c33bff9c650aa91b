#include "ledger/merkle.h"

#include <cstring>

namespace strongroom {
namespace {
constexpr int kMaxLevels = 8;  // 256^8 = 2^64 leaves
}

Hash PerfectSubtreeRoot(const Hash* hashes, size_t n) {
  SR_CHECK(n > 0 && (n & (n - 1)) == 0);
  if (n == 1) return hashes[0];
  Hash level[128];
  for (size_t i = 0; i < n / 2; ++i) level[i] = NodeHash(hashes[2 * i], hashes[2 * i + 1]);
  for (size_t width = n / 2; width > 1; width /= 2) {
    for (size_t i = 0; i < width / 2; ++i) level[i] = NodeHash(level[2 * i], level[2 * i + 1]);
  }
  return level[0];
}

Hash TileHashAt(std::string_view tile_data, size_t i) {
  return Hash::FromBytes(tile_data.substr(i * 32, 32));
}

TreeBuilder::TreeBuilder() : tails_(kMaxLevels), tail_changed_(kMaxLevels, false) {}

Result<TreeBuilder> TreeBuilder::FromPartialTiles(uint64_t size,
                                                  const std::vector<std::string>& partial_tiles) {
  TreeBuilder b;
  b.size_ = size;
  const int levels = LevelsForSize(size);
  for (int level = levels - 1; level >= 0; --level) {
    const uint64_t width = (size >> (kTileHeight * level)) % kTileWidth;
    const std::string empty;
    const std::string& data = static_cast<size_t>(level) < partial_tiles.size()
                                  ? partial_tiles[static_cast<size_t>(level)]
                                  : empty;
    if (data.size() != width * 32) {
      return DataLoss("tile at level " + std::to_string(level) + " holds " +
                      std::to_string(data.size() / 32) + " hashes; a tree of size " +
                      std::to_string(size) + " needs " + std::to_string(width));
    }
    b.tails_[static_cast<size_t>(level)] = data;
    std::vector<Hash> hashes(width);
    for (uint64_t i = 0; i < width; ++i) hashes[i] = TileHashAt(data, i);
    uint64_t offset = 0;
    for (int bit = kTileHeight - 1; bit >= 0; --bit) {
      const uint64_t n = uint64_t{1} << bit;
      if (width & n) {
        b.right_edge_.push_back(
            {PerfectSubtreeRoot(hashes.data() + offset, n), kTileHeight * level + bit});
        offset += n;
      }
    }
  }
  return b;
}

void TreeBuilder::AddTileNode(int level, const Hash& h) {
  std::string& tail = tails_[static_cast<size_t>(level)];
  tail.append(h.view());
  tail_changed_[static_cast<size_t>(level)] = true;
  if (tail.size() == kTileWidth * 32) {
    const uint64_t node_index = (size_ >> (kTileHeight * level)) - 1;
    changed_.push_back({{level, node_index / kTileWidth, kTileWidth}, std::move(tail)});
    tail.clear();
  }
}

void TreeBuilder::Append(const Hash& leaf_hash) {
  ++size_;
  AddTileNode(0, leaf_hash);
  Hash h = leaf_hash;
  int height = 0;
  while (!right_edge_.empty() && right_edge_.back().height == height) {
    h = NodeHash(right_edge_.back().hash, h);
    right_edge_.pop_back();
    ++height;
    if (height % kTileHeight == 0) AddTileNode(height / kTileHeight, h);
  }
  right_edge_.push_back({h, height});
}

Hash TreeBuilder::Root() const {
  if (right_edge_.empty()) return EmptyTreeRoot();
  Hash root = right_edge_.back().hash;
  for (size_t i = right_edge_.size() - 1; i-- > 0;) root = NodeHash(right_edge_[i].hash, root);
  return root;
}

TileData TreeBuilder::PartialTile(int level) const {
  const std::string& tail = tails_[static_cast<size_t>(level)];
  const uint64_t nodes = size_ >> (kTileHeight * level);
  return {{level, nodes / kTileWidth, tail.size() / 32}, tail};
}

std::vector<TileData> TreeBuilder::TakeChangedTiles() {
  std::vector<TileData> out = std::move(changed_);
  changed_.clear();
  for (int level = 0; level < kMaxLevels; ++level) {
    const auto l = static_cast<size_t>(level);
    if (tail_changed_[l] && !tails_[l].empty()) out.push_back(PartialTile(level));
    tail_changed_[l] = false;
  }
  return out;
}

std::vector<TileData> TreeBuilder::PartialTiles() const {
  std::vector<TileData> out;
  for (int level = 0; level < kMaxLevels; ++level) {
    if (!tails_[static_cast<size_t>(level)].empty()) out.push_back(PartialTile(level));
  }
  return out;
}

}  // namespace strongroom
