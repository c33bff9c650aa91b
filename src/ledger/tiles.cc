#include "ledger/tiles.h"

#include <cstdio>

#include "store/store.h"

namespace strongroom {
namespace {

// The C2SP index encoding: zero-padded 3-digit groups, all but the last
// prefixed by "x": 1234067 -> "x001/x234/067".
std::string EncodeIndex(uint64_t n) {
  std::vector<int> groups;
  do {
    groups.push_back(static_cast<int>(n % 1000));
    n /= 1000;
  } while (n > 0);
  std::string out;
  for (size_t i = groups.size(); i-- > 0;) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s%03d", i ? "x" : "", groups[i]);
    out += buf;
    if (i) out += '/';
  }
  return out;
}

bool ParseDigits3(std::string_view s, uint64_t* out) {
  if (s.size() != 3) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string TilePath(const TileId& id) {
  std::string out = "tile/";
  out += id.level == TileId::kEntriesLevel ? "entries" : std::to_string(id.level);
  out += '/';
  out += EncodeIndex(id.index);
  if (!id.full()) out += ".p/" + std::to_string(id.width);
  return out;
}

Result<TileId> ParseTilePath(std::string_view path) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("bad tile path '" + std::string(path) + "': " + why);
  };
  if (path.substr(0, 5) != "tile/") return bad("must start with tile/");
  path.remove_prefix(5);
  TileId id;
  size_t slash = path.find('/');
  if (slash == std::string_view::npos) return bad("missing index");
  std::string_view level = path.substr(0, slash);
  if (level == "entries") {
    id.level = TileId::kEntriesLevel;
  } else if (level.size() == 1 && level[0] >= '0' && level[0] <= '9') {
    id.level = level[0] - '0';
  } else {
    return bad("level must be 0-9 or 'entries'");
  }
  path.remove_prefix(slash + 1);
  // Optional partial suffix.
  size_t p = path.find(".p/");
  if (p != std::string_view::npos) {
    std::string_view w = path.substr(p + 3);
    if (w.empty() || w.size() > 3 || w[0] == '0') return bad("bad partial width");
    uint64_t width = 0;
    for (char c : w) {
      if (c < '0' || c > '9') return bad("bad partial width");
      width = width * 10 + static_cast<uint64_t>(c - '0');
    }
    if (width < 1 || width > 255) return bad("partial width must be 1-255");
    id.width = width;
    path = path.substr(0, p);
  }
  const std::string_view index_text = path;
  uint64_t index = 0;
  int groups = 0;
  for (;;) {
    size_t next = path.find('/');
    std::string_view group = path.substr(0, next);
    bool last = next == std::string_view::npos;
    if (!last) {
      if (group.empty() || group[0] != 'x') return bad("non-final index groups start with x");
      group.remove_prefix(1);
    }
    uint64_t g;
    if (!ParseDigits3(group, &g)) return bad("index groups are 3 digits");
    if (++groups > 7) return bad("index too large");
    index = index * 1000 + g;
    if (last) break;
    path.remove_prefix(next + 1);
  }
  // Exactly one spelling per index: "x000/123" is not 123.
  if (EncodeIndex(index) != index_text) return bad("non-canonical index");
  id.index = index;
  return id;
}

std::vector<TileId> TilesForSize(int level, uint64_t size) {
  uint64_t nodes = size;
  if (level > 0) nodes = size >> (kTileHeight * level);
  std::vector<TileId> out;
  for (uint64_t i = 0; i < nodes / kTileWidth; ++i) out.push_back({level, i, kTileWidth});
  if (nodes % kTileWidth) out.push_back({level, nodes / kTileWidth, nodes % kTileWidth});
  return out;
}

int LevelsForSize(uint64_t size) {
  int levels = 0;
  while (size > 0) {
    ++levels;
    size >>= kTileHeight;
  }
  return levels;
}

Result<std::vector<std::string>> SplitEntryBundle(std::string_view bundle) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < bundle.size()) {
    if (pos + 2 > bundle.size()) return DataLoss("entry bundle truncated in a length prefix");
    size_t len = static_cast<size_t>(static_cast<unsigned char>(bundle[pos])) << 8 |
                 static_cast<unsigned char>(bundle[pos + 1]);
    pos += 2;
    if (pos + len > bundle.size()) return DataLoss("entry bundle truncated in an entry");
    out.emplace_back(bundle.substr(pos, len));
    pos += len;
  }
  return out;
}

void AppendToEntryBundle(std::string_view entry, std::string* bundle) {
  SR_CHECK(entry.size() <= kMaxEntrySize);
  bundle->push_back(static_cast<char>(entry.size() >> 8));
  bundle->push_back(static_cast<char>(entry.size() & 255));
  bundle->append(entry);
}

Result<std::string> ReadTileBytes(Store* store, const TileId& id) {
  if (id.level == TileId::kEntriesLevel) {
    std::string bundle;
    SR_RETURN_IF_ERROR(store->ScanEntries(id.index * kTileWidth, id.index * kTileWidth + id.width,
                                          [&](uint64_t, std::string_view entry) {
                                            AppendToEntryBundle(entry, &bundle);
                                            return OkStatus();
                                          }));
    return bundle;
  }
  SR_ASSIGN_OR_RETURN(std::string bytes, store->ReadTile(id.level, id.index));
  if (bytes.size() < id.width * 32) {
    return DataLoss("stored tile " + TilePath(id) + " is short; run 'strongroom verify'");
  }
  bytes.resize(id.width * 32);
  return bytes;
}

}  // namespace strongroom
