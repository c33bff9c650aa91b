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
  if (h->status == HoldingStatus::kWrittenOff) {
    return FailedPrecondition("holding " + id + " was written off as missing");
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

namespace {

constexpr std::string_view kWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// "HH:MM" as minutes of the day, or -1.
int MinuteOfDay(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return -1;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0'), m = (text[3] - '0') * 10 + (text[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

}  // namespace

bool ValidWorkingHours(const std::string& hours) {
  if (hours == "always") return true;
  if (hours.size() != 11 || hours[5] != '-') return false;
  const int from = MinuteOfDay(std::string_view(hours).substr(0, 5));
  const int to = MinuteOfDay(std::string_view(hours).substr(6));
  return from >= 0 && to >= 0 && from != to;
}

int WeekdayNumber(std::string_view day) {
  for (int i = 0; i < 7; ++i) {
    if (kWeekdays[i] == day) return i;
  }
  return -1;
}

std::optional<int> UtcOffsetMinutes(const std::string& offset) {
  if (offset.size() != 6 || (offset[0] != '+' && offset[0] != '-')) return std::nullopt;
  const int minutes = MinuteOfDay(std::string_view(offset).substr(1));
  if (minutes < 0 || minutes > 14 * 60) return std::nullopt;
  return offset[0] == '-' ? -minutes : minutes;
}

bool OutsideWorkingHours(const Facility& f, const std::string& rfc3339) {
  const bool hours = !f.working_hours.empty() && ValidWorkingHours(f.working_hours);
  if (!hours && f.working_days.empty()) return false;
  auto at = ParseRfc3339(rfc3339);
  if (!at.ok()) return false;
  constexpr int64_t kMinute = 60LL * 1000000;
  const int64_t utc_minute = *at >= 0 ? *at / kMinute : (*at - kMinute + 1) / kMinute;  // floor
  const int64_t local = utc_minute + UtcOffsetMinutes(f.utc_offset).value_or(0);
  const int64_t day = local >= 0 ? local / 1440 : (local - 1439) / 1440;
  const int minute = static_cast<int>(local - day * 1440);
  // Working days without hours: the whole of each day.
  const int from = hours ? MinuteOfDay(std::string_view(f.working_hours).substr(0, 5)) : 0;
  const int to = hours ? MinuteOfDay(std::string_view(f.working_hours).substr(6)) : 1440;
  // An overnight shift belongs to the day it starts on.
  const bool in_hours = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  const int64_t shift_day = from > to && minute < to ? day - 1 : day;
  const int weekday = static_cast<int>(((shift_day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  const bool working_day =
      f.working_days.empty() ||
      std::find(f.working_days.begin(), f.working_days.end(), std::string(kWeekdays[weekday])) !=
          f.working_days.end();
  return !(in_hours && working_day);
}

void NoteAfterHours(const Event& e, const Facility& f, Holding& h) {
  if (OutsideWorkingHours(f, e.time)) h.after_hours.push_back(e.time + " " + e.actor);
}

void NoteLateCustody(const Event& e, Holding& h) {
  auto at = ParseRfc3339(e.time);
  if (!at.ok()) return;
  auto after = [&](const std::string& time) {
    auto t = ParseRfc3339(time);
    return !time.empty() && t.ok() && *at > *t;
  };
  const bool past_deadline = (h.disposition == "destroy" || h.disposition == "return") &&
                             h.legal_hold.empty() && after(h.disposition_due);
  const bool disposal_pending = !h.disposal_request.empty() && !after(h.disposal_request_expires);
  if (past_deadline || disposal_pending) h.late_custody.push_back(e.time + " " + e.actor);
}

}  // namespace strongroom
