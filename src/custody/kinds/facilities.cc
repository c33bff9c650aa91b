// Facilities and their locations: facility.add, facility.control,
// location.add.
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
  s->Put(Facility{e.Field("facility"), e.Field("name"), false, 0});
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
