#include "custody/kinds/state.h"

#include <algorithm>

#include "base/clock.h"

namespace strongroom {

int64_t Micros(const std::string& rfc3339) { return ParseRfc3339(rfc3339).value(); }

bool SetsUpAlone(const Person& p, int64_t now) {
  return p.founding && !p.approves_from.empty() &&
         now < Micros(p.approves_from) + kFoundingPeriodMicros;
}

Strings Sorted(Strings v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

Result<const Person*> NeedPerson(const Projection& s, const std::string& id) {
  const Person* p = s.person(id);
  if (!p) return NotFound("person " + id + " does not exist");
  return p;
}

Result<const Holding*> NeedHolding(const Projection& s, const std::string& id) {
  const Holding* h = s.holding(id);
  if (!h) return NotFound("holding " + id + " does not exist");
  if (h->status == HoldingStatus::kDestroyed) return FailedPrecondition("holding " + id + " is destroyed");
  if (h->status == HoldingStatus::kReleased) {
    return FailedPrecondition("holding " + id + " was released to " + h->released_to);
  }
  return h;
}

Status InStore(const Holding& h, const std::string& doing) {
  if (h.status == HoldingStatus::kInStore && h.container.empty()) return OkStatus();
  if (h.status == HoldingStatus::kCheckedOut) {
    return FailedPrecondition("holding " + h.id + " is checked out to " + h.holder +
                              (doing.empty() ? "" : "; check it in before " + doing));
  }
  if (h.status == HoldingStatus::kInTransit) {
    return FailedPrecondition("holding " + h.id + " is in transit under " + h.dispatch);
  }
  if (!h.container.empty()) {
    return FailedPrecondition("holding " + h.id + " is sealed in container " + h.container);
  }
  return FailedPrecondition("holding " + h.id + " is " + Name(h.status));
}

Result<const Location*> NeedLocation(const Projection& s, const std::string& id,
                                     const std::string& facility) {
  const Location* l = s.location(id);
  if (!l) return NotFound("location " + id + " does not exist");
  if (!facility.empty() && l->facility != facility) {
    return FailedPrecondition("location " + id + " is not in facility " + facility);
  }
  return l;
}

Status AfterEventTime(const Event& e, const char* field) {
  if (Micros(e.Field(field)) <= Micros(e.time)) {
    return InvalidArgument(std::string(field) + " " + e.Field(field) + " is not after " + e.time);
  }
  return OkStatus();
}

Status LoadHoldingAndContext(Projection* s, const std::string& id) {
  if (!ValidId(id)) return OkStatus();
  SR_RETURN_IF_ERROR(s->LoadHolding(id));
  const Holding* h = s->holding(id);
  if (!h) return OkStatus();
  SR_RETURN_IF_ERROR(s->LoadFacility(h->facility));
  SR_RETURN_IF_ERROR(s->LoadLocation(h->location));
  for (const auto& c : h->contents) SR_RETURN_IF_ERROR(s->LoadHolding(c));
  if (!h->copy_of.empty()) SR_RETURN_IF_ERROR(s->LoadHolding(h->copy_of));
  return OkStatus();
}

std::string AtEntry(int64_t index) { return " (entry " + std::to_string(index) + ")"; }

void NoteLateCustody(const Event& e, Holding& h) {
  if ((h.disposition != "destroy" && h.disposition != "return") || !h.legal_hold.empty()) return;
  auto due = ParseRfc3339(h.disposition_due);
  auto at = ParseRfc3339(e.time);
  if (h.disposition_due.empty() || !due.ok() || !at.ok() || *at <= *due) return;
  h.late_custody.push_back(e.time + " " + e.actor);
}

}  // namespace strongroom
