// What event kinds share about the state: the preconditions their checks
// state in the same words, the fields they read, and how an event changes a
// holding.
#ifndef STRONGROOM_CUSTODY_KINDS_STATE_H_
#define STRONGROOM_CUSTODY_KINDS_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "custody/event.h"
#include "custody/model.h"
#include "custody/projection.h"

namespace strongroom {

// ---- Fields (validated against the kind's table before any rule runs).

// An RFC 3339 time in microseconds (the value was validated).
int64_t Micros(const std::string& rfc3339);
// Sorted, without repeats.
Strings Sorted(Strings v);
// The founding period lasts at most this long after the founding entry.
inline constexpr int64_t kFoundingPeriodMicros = 30LL * 24 * 3600 * 1000000;
// Whether `p` is the store's founder still setting it up alone at `now`
// (Person::founding, and within kFoundingPeriodMicros of the founding).
bool SetsUpAlone(const Person& p, int64_t now);

// ---- Preconditions.

Result<const Person*> NeedPerson(const Projection& s, const std::string& id);
// A holding that exists and is neither destroyed nor released.
Result<const Holding*> NeedHolding(const Projection& s, const std::string& id);
// In store and in no container; else why not ("...; check it in before
// `doing`").
Status InStore(const Holding& h, const std::string& doing);
// A location that exists, in `facility` if one is given.
Result<const Location*> NeedLocation(const Projection& s, const std::string& id,
                                     const std::string& facility = "");
// Fails with InvalidArgument unless `field` of `e` is a time after the event's.
Status AfterEventTime(const Event& e, const char* field);

// ---- Loading.

// Loads holding `id` if it exists, with what deciding on it reads: its
// facility and location, its contents, its original.
Status LoadHoldingAndContext(Projection* s, const std::string& id);

// ---- Changes.

// Changes holding `id` as the event at `index` does, and adds the event to
// its chain.
template <typename Change>
void UpdateHolding(Projection* s, const std::string& id, int64_t index, Change change) {
  Holding h = *s->holding(id);
  change(h);
  h.last_index = index;
  s->Put(std::move(h));
  s->AddHoldingEvent(id, static_cast<uint64_t>(index));
}

// " (entry 91)": how flags and reasons cite the event that raised them.
std::string AtEntry(int64_t index);

// Working hours: "HH:MM-HH:MM" with two different times, or "always".
bool ValidWorkingHours(const std::string& hours);
// "mon" 0 ... "sun" 6, else -1.
int WeekdayNumber(std::string_view day);
// "+01:00" as 60 minutes ("-00:30" as -30), or nullopt if not an offset.
std::optional<int> UtcOffsetMinutes(const std::string& offset);
// Whether `rfc3339` falls outside facility `f`'s working hours (false when
// it sets none).
bool OutsideWorkingHours(const Facility& f, const std::string& rfc3339);
// Notes on `h` a check-out (`e`) outside its facility's working hours
// (Holding::after_hours).
void NoteAfterHours(const Event& e, const Facility& f, Holding& h);

// Notes on `h` a check-out, transfer, move or dispatch (`e`) made after its
// disposition deadline while no legal hold stops it (Holding::late_custody).
void NoteLateCustody(const Event& e, Holding& h);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_KINDS_STATE_H_
