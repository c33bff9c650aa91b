// The registry of event kinds: the families, in the order the docs list
// them, and lookups by type and by name.
#include <unordered_map>
#include <vector>

#include "custody/kinds/kind.h"

namespace strongroom {
namespace {

struct Registry {
  std::vector<const EventKind*> all;      // family order
  std::vector<const EventKind*> by_type;  // indexed by EventType
  std::unordered_map<std::string_view, const EventKind*> by_name;
};

const Registry& TheRegistry() {
  static const Registry registry = [] {
    Registry r;
    for (auto family : {FacilityKinds, PeopleKinds, GrantKinds, HoldingKinds, SealKinds,
                        DispatchKinds, CopyKinds, RequestKinds, RecordKinds}) {
      for (const EventKind& kind : family()) {
        const auto t = static_cast<size_t>(kind.type);
        if (r.by_type.size() <= t) r.by_type.resize(t + 1, nullptr);
        SR_CHECK(r.by_type[t] == nullptr);  // one kind per type
        SR_CHECK(r.by_name.emplace(kind.name, &kind).second);
        SR_CHECK(kind.min_holdings <= kind.max_holdings);
        SR_CHECK((kind.check == nullptr) == kind.wrapper && kind.apply != nullptr);
        r.by_type[t] = &kind;
        r.all.push_back(&kind);
      }
    }
    for (const EventKind* k : r.by_type) SR_CHECK(k != nullptr);  // every type has its kind
    return r;
  }();
  return registry;
}

}  // namespace

std::span<const EventKind* const> AllKinds() { return TheRegistry().all; }

const EventKind& KindOf(EventType type) {
  const auto& by_type = TheRegistry().by_type;
  const auto t = static_cast<size_t>(type);
  SR_CHECK(t < by_type.size());
  return *by_type[t];
}

const EventKind* KindNamed(std::string_view name) {
  const auto& by_name = TheRegistry().by_name;
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

const FieldSpec* EventKind::field(std::string_view field_name) const {
  for (const FieldSpec& f : fields) {
    if (f.name == field_name) return &f;
  }
  return nullptr;
}

}  // namespace strongroom
