#include "store/store.h"

#include <algorithm>
#include <utility>

namespace strongroom {

Status ScanDisclosedEntries(
    Store* store, uint64_t begin, uint64_t end,
    const std::function<Status(uint64_t, std::string_view, std::string_view)>& fn) {
  // A chunk's disclosures first, then its entries beside them: two ordered
  // scans, never one query per entry.
  static constexpr uint64_t kChunk = 4096;
  std::vector<std::pair<uint64_t, std::string>> disclosures;
  for (uint64_t from = begin; from < end;) {
    const uint64_t to = std::min(end, from + kChunk);
    disclosures.clear();
    SR_RETURN_IF_ERROR(store->ScanDisclosures(from, to, [&](uint64_t i, std::string_view d) {
      disclosures.emplace_back(i, std::string(d));
      return OkStatus();
    }));
    size_t next = 0;
    SR_RETURN_IF_ERROR(store->ScanEntries(from, to, [&](uint64_t i, std::string_view entry) {
      std::string_view disclosure;
      if (next < disclosures.size() && disclosures[next].first == i) {
        disclosure = disclosures[next++].second;
      }
      return fn(i, entry, disclosure);
    }));
    from = to;
  }
  return OkStatus();
}

}  // namespace strongroom
