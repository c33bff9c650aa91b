// The registry of event kinds: the families, in the order the docs list
// them, and lookups by type and by name.
#include <algorithm>
#include <atomic>
#include <mutex>
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

using Family = std::span<const EventKind> (*)();

// Function-local, so that a layer's static initializer may install
// before anything else of this file is initialised.
std::mutex& InstalledMu() {
  static std::mutex mu;
  return mu;
}
std::vector<Family>& Installed() {  // guarded by InstalledMu()
  static std::vector<Family> installed;
  return installed;
}
std::atomic<bool>& RegistryRead() {
  static std::atomic<bool> read{false};
  return read;
}

const Registry& TheRegistry() {
  static const Registry registry = [] {
    RegistryRead() = true;
    Registry r;
    std::vector<Family> families = {FacilityKinds, PeopleKinds, GrantKinds,
                                    HoldingKinds,  SealKinds,   DispatchKinds,
                                    CopyKinds,     RequestKinds, RecordKinds};
    {
      std::lock_guard<std::mutex> lock(InstalledMu());
      families.insert(families.end(), Installed().begin(), Installed().end());
    }
    for (auto family : families) {
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
    // Every custody type has its kind; installed types may be absent.
    const auto first_installed = static_cast<size_t>(kFirstInstalledType);
    for (size_t t = 0; t < first_installed; ++t) SR_CHECK(t < r.by_type.size() && r.by_type[t]);
    return r;
  }();
  return registry;
}

}  // namespace

void InstallKinds(Family family) {
  std::lock_guard<std::mutex> lock(InstalledMu());
  auto& installed = Installed();
  if (std::find(installed.begin(), installed.end(), family) != installed.end()) return;
  SR_CHECK(!RegistryRead());  // installed after the registry was read: a bug
  for (const EventKind& kind : family()) SR_CHECK(kind.type >= kFirstInstalledType);
  installed.push_back(family);
}

bool KnownKind(EventType type) {
  const auto& by_type = TheRegistry().by_type;
  const auto t = static_cast<size_t>(type);
  return t < by_type.size() && by_type[t] != nullptr;
}

std::span<const EventKind* const> AllKinds() { return TheRegistry().all; }

const EventKind& KindOf(EventType type) {
  SR_CHECK(KnownKind(type));  // a type never parsed in this process (not installed)
  return *TheRegistry().by_type[static_cast<size_t>(type)];
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
