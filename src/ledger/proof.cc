#include "ledger/proof.h"

#include <bit>

#include "ledger/merkle.h"
#include "ledger/tiles.h"

namespace strongroom {
namespace {

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

Status Path(NodeReader* r, uint64_t m, uint64_t begin, uint64_t end, std::vector<Hash>* out) {
  const uint64_t n = end - begin;
  if (n == 1) return OkStatus();
  const uint64_t k = SplitPoint(n);
  if (m < k) {
    SR_RETURN_IF_ERROR(Path(r, m, begin, begin + k, out));
    SR_ASSIGN_OR_RETURN(Hash h, SubtreeHash(r, begin + k, end));
    out->push_back(h);
  } else {
    SR_RETURN_IF_ERROR(Path(r, m - k, begin + k, end, out));
    SR_ASSIGN_OR_RETURN(Hash h, SubtreeHash(r, begin, begin + k));
    out->push_back(h);
  }
  return OkStatus();
}

Status SubProof(NodeReader* r, uint64_t m, uint64_t begin, uint64_t end, bool whole,
                std::vector<Hash>* out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!whole) {
      SR_ASSIGN_OR_RETURN(Hash h, SubtreeHash(r, begin, end));
      out->push_back(h);
    }
    return OkStatus();
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    SR_RETURN_IF_ERROR(SubProof(r, m, begin, begin + k, whole, out));
    SR_ASSIGN_OR_RETURN(Hash h, SubtreeHash(r, begin + k, end));
    out->push_back(h);
  } else {
    SR_RETURN_IF_ERROR(SubProof(r, m - k, begin + k, end, false, out));
    SR_ASSIGN_OR_RETURN(Hash h, SubtreeHash(r, begin, begin + k));
    out->push_back(h);
  }
  return OkStatus();
}

}  // namespace

Result<Hash> SubtreeHash(NodeReader* reader, uint64_t begin, uint64_t end) {
  SR_CHECK(end > begin);
  const uint64_t n = end - begin;
  if (std::has_single_bit(n) && begin % n == 0) {
    return reader->ReadNode(std::countr_zero(n), begin / n);
  }
  const uint64_t k = SplitPoint(n);
  SR_ASSIGN_OR_RETURN(Hash left, SubtreeHash(reader, begin, begin + k));
  SR_ASSIGN_OR_RETURN(Hash right, SubtreeHash(reader, begin + k, end));
  return NodeHash(left, right);
}

Result<Hash> TreeRoot(NodeReader* reader, uint64_t size) {
  if (size == 0) return EmptyTreeRoot();
  return SubtreeHash(reader, 0, size);
}

Result<std::vector<Hash>> InclusionProof(NodeReader* reader, uint64_t index, uint64_t size) {
  if (index >= size) {
    return InvalidArgument("leaf index " + std::to_string(index) + " is not in a tree of size " +
                           std::to_string(size));
  }
  std::vector<Hash> out;
  SR_RETURN_IF_ERROR(Path(reader, index, 0, size, &out));
  return out;
}

Result<std::vector<Hash>> ConsistencyProof(NodeReader* reader, uint64_t size1, uint64_t size2) {
  if (size1 == 0 || size1 > size2) {
    return InvalidArgument("no consistency proof from size " + std::to_string(size1) + " to size " +
                           std::to_string(size2) + " (need 0 < size1 <= size2)");
  }
  std::vector<Hash> out;
  SR_RETURN_IF_ERROR(SubProof(reader, size1, 0, size2, true, &out));
  return out;
}

Result<Hash> RootFromInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                               const std::vector<Hash>& proof) {
  if (index >= size) return InvalidArgument("leaf index is not below the tree size");
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return DataLoss("inclusion proof is too long");
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return DataLoss("inclusion proof is too short");
  return r;
}

Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                       const std::vector<Hash>& proof, const Hash& root) {
  SR_ASSIGN_OR_RETURN(Hash r, RootFromInclusion(leaf_hash, index, size, proof));
  if (!(r == root)) return DataLoss("inclusion proof does not lead to the root");
  return OkStatus();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, const Hash& root1, const Hash& root2,
                         const std::vector<Hash>& proof) {
  if (size1 > size2)
    return DataLoss("tree shrank from " + std::to_string(size1) + " to " + std::to_string(size2));
  if (size1 == size2) {
    if (!proof.empty()) return DataLoss("consistency proof between equal sizes must be empty");
    if (!(root1 == root2)) return DataLoss("two different roots for the same tree size");
    return OkStatus();
  }
  if (size1 == 0) {
    if (!proof.empty()) return DataLoss("consistency proof from the empty tree must be empty");
    return OkStatus();
  }
  std::vector<Hash> path;
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  if (path.empty()) return DataLoss("consistency proof is empty");
  uint64_t fn = size1 - 1, sn = size2 - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return DataLoss("consistency proof is too long");
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return DataLoss("consistency proof is too short");
  if (!(fr == root1)) return DataLoss("consistency proof does not match the earlier root");
  if (!(sr == root2)) return DataLoss("consistency proof does not match the later root");
  return OkStatus();
}

Result<Hash> TileNodeReader::ReadNode(int height, uint64_t index) {
  const int level = height / kTileHeight;
  const int rest = height % kTileHeight;
  const uint64_t tile_index = (index << rest) / kTileWidth;
  const uint64_t k = index % (kTileWidth >> rest);  // the node's index within its tile level
  const uint64_t min_width = (k + 1) << rest;
  const auto key = std::make_pair(level, tile_index);
  auto it = cache_.find(key);
  if (it == cache_.end() || it->second.levels[static_cast<size_t>(rest)].size() <= k) {
    SR_ASSIGN_OR_RETURN(std::string data, fetch_(level, tile_index, min_width));
    if (data.size() % 32 != 0 || data.size() < min_width * 32 || data.size() > kTileWidth * 32) {
      return DataLoss("hash tile " + TilePath({level, tile_index, data.size() / 32}) +
                      " has a bad size (" + std::to_string(data.size()) + " bytes)");
    }
    Expanded e;
    e.levels.resize(kTileHeight);
    auto& base = e.levels[0];
    base.resize(data.size() / 32);
    for (size_t i = 0; i < base.size(); ++i) base[i] = TileHashAt(data, i);
    for (size_t r = 1; r < static_cast<size_t>(kTileHeight); ++r) {
      const auto& below = e.levels[r - 1];
      auto& here = e.levels[r];
      here.resize(below.size() / 2);
      for (size_t i = 0; i < here.size(); ++i) here[i] = NodeHash(below[2 * i], below[2 * i + 1]);
    }
    if (cache_.size() >= max_cached_) {
      // Keep the upper levels: they are few and shared by every proof.
      for (auto c = cache_.begin(); c != cache_.end();) {
        c = c->first.first == 0 ? cache_.erase(c) : std::next(c);
      }
      if (cache_.size() >= max_cached_) cache_.clear();
    }
    it = cache_.insert_or_assign(key, std::move(e)).first;
  }
  return it->second.levels[static_cast<size_t>(rest)][k];
}

}  // namespace strongroom
