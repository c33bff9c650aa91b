// Facilities and their locations: facility.add, facility.control,
// facility.configure, location.add.
#include <algorithm>

#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

using policy::Action;

Status CheckFacilityAdd(Decision& d) {
  const Event& e = d.event();
  if (d.state().facility(e.Field("facility"))) {
    return AlreadyExists("facility " + e.Field("facility") + " already exists");
  }
  d.Ask(Action::kAdminister, Named(policy::Kind::kFacility, e.Field("facility")));
  return OkStatus();
}

void ApplyFacilityAdd(const Event& e, int64_t, Projection* s) {
  Facility f;
  f.id = e.Field("facility");
  f.name = e.Field("name");
  s->Put(std::move(f));
}

Status CheckFacilityControl(Decision& d) {
  const Event& e = d.event();
  const Facility* f = d.state().facility(e.Field("facility"));
  if (!f) return NotFound("facility " + e.Field("facility") + " does not exist");
  const bool on = e.fields.Bool("heightened");
  if (f->heightened_control == on) {
    return FailedPrecondition("facility " + f->id + " is already " + (on ? "under" : "out of") +
                              " heightened control");
  }
  d.Ask(Action::kControl, FacilityResource(d.state(), f->id));
  return OkStatus();
}

void ApplyFacilityControl(const Event& e, int64_t index, Projection* s) {
  Facility f = *s->facility(e.Field("facility"));
  f.heightened_control = e.fields.Bool("heightened");
  f.control_index = index;
  s->Put(std::move(f));
}

constexpr std::string_view kOptionalSettings[] = {"working_hours", "working_days", "utc_offset",
                                                 "inventory_days"};

Status CheckFacilityConfigure(Decision& d) {
  const Event& e = d.event();
  const Facility* f = d.state().facility(e.Field("facility"));
  if (!f) return NotFound("facility " + e.Field("facility") + " does not exist");
  if (std::none_of(std::begin(kOptionalSettings), std::end(kOptionalSettings),
                   [&](std::string_view name) { return e.fields.contains(name); })) {
    return InvalidArgument("facility.configure sets working_hours, working_days, utc_offset or "
                           "inventory_days");
  }
  if (e.fields.contains("working_hours") && !ValidWorkingHours(e.Field("working_hours"))) {
    return InvalidArgument("working_hours '" + e.Field("working_hours") +
                           "' is not HH:MM-HH:MM (two different times of day) or always");
  }
  for (const std::string& day : e.fields.List("working_days")) {
    if (WeekdayNumber(day) < 0) {
      return InvalidArgument("working day '" + day + "' is none of mon, tue, wed, thu, fri, sat, sun");
    }
  }
  if (e.fields.contains("utc_offset") && !UtcOffsetMinutes(e.Field("utc_offset"))) {
    return InvalidArgument("utc_offset '" + e.Field("utc_offset") + "' is not +HH:MM or -HH:MM (at most 14 hours)");
  }
  if (e.fields.contains("inventory_days") && e.fields.Int("inventory_days") > 3660) {
    return InvalidArgument("inventory_days is at most 3660 (0: no interval)");
  }
  d.Ask(Action::kControl, FacilityResource(d.state(), f->id));
  return OkStatus();
}

void ApplyFacilityConfigure(const Event& e, int64_t, Projection* s) {
  Facility f = *s->facility(e.Field("facility"));
  if (e.fields.contains("working_hours")) {
    f.working_hours = e.Field("working_hours") == "always" ? "" : e.Field("working_hours");
  }
  if (e.fields.contains("working_days")) f.working_days = e.fields.List("working_days");
  if (e.fields.contains("utc_offset")) f.utc_offset = e.Field("utc_offset");
  if (e.fields.contains("inventory_days")) {
    f.inventory_days = e.fields.Int("inventory_days");
    if (f.inventory_counted_from.empty()) f.inventory_counted_from = e.time;
  }
  s->Put(std::move(f));
}

Status CheckLocationAdd(Decision& d) {
  const Event& e = d.event();
  if (d.state().location(e.Field("location"))) {
    return AlreadyExists("location " + e.Field("location") + " already exists");
  }
  if (!d.state().facility(e.Field("facility"))) {
    return NotFound("facility " + e.Field("facility") + " does not exist");
  }
  d.Ask(Action::kAdminister, FacilityResource(d.state(), e.Field("facility")));
  return OkStatus();
}

void ApplyLocationAdd(const Event& e, int64_t, Projection* s) {
  s->Put(Location{e.Field("location"), e.Field("facility"), e.Field("name"), e.Field("kind")});
}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kFacilityAdd,
     .name = "facility.add",
     .command = "add a facility",
     .fields = {{"facility", FieldType::kId, true, Ref::kFacility, {}, {}, "id"},
                Sealed({"name", FieldType::kText, true})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckFacilityAdd,
     .apply = ApplyFacilityAdd},
    {.type = EventType::kFacilityControl,
     .name = "facility.control",
     .command = "put a facility under heightened control, or end it",
     .fields = {{"facility", FieldType::kId, true, Ref::kFacility},
                {"heightened", FieldType::kBool, true},
                Sealed({"reason", FieldType::kText, true})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckFacilityControl,
     .apply = ApplyFacilityControl,
     .note = "under heightened control every action in the facility but a read needs a second person"},
    {.type = EventType::kFacilityConfigure,
     .name = "facility.configure",
     .command = "set a facility's working hours or inventory interval (oversight)",
     .fields = {{"facility", FieldType::kId, true, Ref::kFacility},
                {"working_hours", FieldType::kText, false, Ref::kNone, {},
                 "local HH:MM-HH:MM, or always"},
                {"working_days", FieldType::kIdList, false, Ref::kNone, {}, "mon ... sun; none: every day"},
                {"utc_offset", FieldType::kText, false, Ref::kNone, {}, "of local time: +01:00"},
                {"inventory_days", FieldType::kCount, false, Ref::kNone, {},
                 "a full inventory at least this often (0: none)"},
                Sealed({"reason", FieldType::kText, true})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckFacilityConfigure,
     .apply = ApplyFacilityConfigure,
     .note = "by a security manager; a check-out outside the working hours is noted on the holding "
             "and detected"},
    {.type = EventType::kLocationAdd,
     .name = "location.add",
     .command = "add a location",
     .fields = {{"location", FieldType::kId, true, Ref::kLocation, {}, {}, "id"},
                {"facility", FieldType::kId, true, Ref::kFacility},
                Sealed({"name", FieldType::kText, true}),
                {"kind", FieldType::kChoice, true, Ref::kNone,
                 {"vault", "safe", "shelf", "bin", "room"}}},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckLocationAdd,
     .apply = ApplyLocationAdd},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> FacilityKinds() { return Kinds(); }

}  // namespace strongroom
