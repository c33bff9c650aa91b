// People: person.add (also the founding administrator's first entry),
// person.update, person.suspend, person.reinstate, person.dismiss.
#include <algorithm>

#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"

namespace strongroom {
namespace {

using policy::Action;

Status CheckPersonFields(const Event& e) {
  for (const auto& role : e.fields.List("roles")) {
    if (policy::RoleBit(role) == 0) return InvalidArgument("unknown role '" + role + "'");
  }
  if (e.type == EventType::kPersonUpdate && e.fields.size() < 2) {
    return InvalidArgument("person.update changes nothing: name at least one field");
  }
  return OkStatus();
}

// The first entry of a store: its founding administrator adds themself.
Status CheckFounding(Decision& d) {
  const Event& e = d.event();
  if (e.Field("person") != e.actor) {
    return FailedPrecondition(
        "the store has no people yet: the first person added must be the actor themself");
  }
  auto roles = e.fields.List("roles");
  if (std::find(roles.begin(), roles.end(), kRoleAdministrator) == roles.end()) {
    return FailedPrecondition("the first person added must have the role administrator");
  }
  SR_RETURN_IF_ERROR(CheckPersonFields(e));
  d.Ground(e.actor + " founds the store as its administrator");
  return OkStatus();
}

Status CheckAddOrUpdate(Decision& d) {
  const Event& e = d.event();
  if (d.env().bootstrap) return CheckFounding(d);
  SR_RETURN_IF_ERROR(CheckPersonFields(e));
  const std::string id = e.Field("person");
  const bool exists = d.state().person(id) != nullptr;
  if (e.type == EventType::kPersonAdd && exists) {
    return AlreadyExists("person " + id + " already exists");
  }
  if (e.type == EventType::kPersonUpdate && !exists) {
    return NotFound("person " + id + " does not exist");
  }
  if (std::string f = e.Field("facility"); !f.empty() && !d.state().facility(f)) {
    return NotFound("facility " + f + " does not exist");
  }
  d.Ask(Action::kAdminister, Named(policy::Kind::kPerson, id));
  return OkStatus();
}

Status CheckStatusChange(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(const Person* p, NeedPerson(d.state(), e.Field("person")));
  if (p->status == PersonStatus::kDismissed) return FailedPrecondition(p->id + " is dismissed");
  if (e.type == EventType::kPersonSuspend && p->status == PersonStatus::kSuspended) {
    return FailedPrecondition(p->id + " is already suspended");
  }
  if (e.type == EventType::kPersonReinstate && p->status == PersonStatus::kActive) {
    return FailedPrecondition(p->id + " is not suspended");
  }
  d.Ask(Action::kPersonStatus, Named(policy::Kind::kPerson, p->id));
  return OkStatus();
}

// Suspension and dismissal flag what the person holds; dismissal ends their
// grants.
Status LoadHeld(const Event& e, Projection* s) {
  const std::string id = e.Field("person");
  SR_RETURN_IF_ERROR(s->LoadHeldBy(id));
  if (e.type == EventType::kPersonDismiss) SR_RETURN_IF_ERROR(s->LoadGrantsOf(id));
  return OkStatus();
}

void ApplyPerson(const Event& e, int64_t index, Projection* s) {
  const std::string id = e.Field("person");
  Person p = s->person(id) ? *s->person(id) : Person{};
  p.last_index = index;
  auto set_list = [&](const char* f, Strings* v) {
    if (e.fields.contains(f)) *v = e.fields.List(f);
  };
  auto set_text = [&](const char* f, std::string* v) {
    if (e.fields.contains(f)) *v = e.Field(f);
  };
  switch (e.type) {
    case EventType::kPersonAdd:
      p.id = id;
      p.added_index = index;
      set_text("public_key", &p.public_key);
      [[fallthrough]];
    case EventType::kPersonUpdate:
      set_text("name", &p.name);
      set_text("unit", &p.unit);
      set_list("roles", &p.roles);
      set_text("clearance", &p.clearance);
      set_list("compartments", &p.compartments);
      set_list("caveats", &p.caveats);
      set_text("nationality", &p.nationality);
      set_text("facility", &p.facility);
      break;
    case EventType::kPersonReinstate:
      p.status = PersonStatus::kActive;
      p.status_reason = e.Field("reason");
      break;
    case EventType::kPersonSuspend:
    case EventType::kPersonDismiss: {
      const bool dismiss = e.type == EventType::kPersonDismiss;
      p.status = dismiss ? PersonStatus::kDismissed : PersonStatus::kSuspended;
      p.status_reason = e.Field("reason");
      const std::string why = "held by " + id + " when " + Name(p.status) + AtEntry(index);
      for (const auto& hid : Strings(s->held_by(id).begin(), s->held_by(id).end())) {
        UpdateHolding(s, hid, index, [&](Holding& h) { h.flags.push_back(why); });
      }
      if (dismiss) {
        // (Put() takes an ended grant out of grants_of: iterate a copy.)
        for (const auto& gid : Strings(s->grants_of(id).begin(), s->grants_of(id).end())) {
          Grant g = *s->grant(gid);
          g.status = GrantStatus::kEnded;
          g.ended_by = "dismissal of " + id + AtEntry(index);
          s->Put(std::move(g));
        }
      }
      break;
    }
    default:
      break;
  }
  s->Put(std::move(p));
}

// The fields a person is described by (person.add and person.update).
std::vector<FieldSpec> Description(bool add) {
  return {{"person", FieldType::kId, true, Ref::kPerson, {}, {}, "id"},
          {"name", FieldType::kText, add},
          {"unit", FieldType::kText, add},
          {"roles", FieldType::kIdList, add, Ref::kNone,
           {},
           "of administrator, custodian, holder, inspector, security_manager"},
          {"clearance", FieldType::kLevel, add},
          {"compartments", FieldType::kIdList, false},
          {"caveats", FieldType::kIdList, false},
          {"nationality", FieldType::kId, false},
          {"facility", FieldType::kId, false, Ref::kFacility, {}, "home facility"}};
}

std::vector<FieldSpec> AddFields() {
  auto fields = Description(true);
  fields.push_back({"public_key", FieldType::kKey, false, Ref::kNone, {},
                    "personal key for signatures, sealed under their credential", {},
                    /*derived=*/true});
  return fields;
}

// person.suspend, person.reinstate, person.dismiss: the person, and why.
EventKind StatusChange(EventType type, std::string_view name, std::string_view command,
                       bool flags_holdings, std::string_view note) {
  return {.type = type,
          .name = name,
          .command = command,
          .fields = {{"person", FieldType::kId, true, Ref::kPerson, {}, {}, "id"},
                     {"reason", FieldType::kText, true}},
          .min_holdings = 0,
          .max_holdings = 0,
          .check = CheckStatusChange,
          .load = flags_holdings ? LoadHeld : nullptr,
          .apply = ApplyPerson,
          .note = note};
}

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kPersonAdd,
     .name = "person.add",
     .command = "add a person",
     .fields = AddFields(),
     .min_holdings = 0,
     .max_holdings = 0,
     .founds = true,
     .check = CheckAddOrUpdate,
     .apply = ApplyPerson,
     .note = "the first entry of a store adds its founding administrator, the actor themself"},
    {.type = EventType::kPersonUpdate,
     .name = "person.update",
     .command = "change a person's unit, roles, clearance, ...",
     .fields = Description(false),
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckAddOrUpdate,
     .apply = ApplyPerson,
     .note = "changes at least one field"},
    StatusChange(EventType::kPersonSuspend, "person.suspend", "suspend a person",
                 /*flags_holdings=*/true, "flags what the person holds"),
    StatusChange(EventType::kPersonReinstate, "person.reinstate", "reinstate a suspended person",
                 /*flags_holdings=*/false, ""),
    StatusChange(EventType::kPersonDismiss, "person.dismiss",
                 "dismiss a person: their grants end, their check-outs are flagged",
                 /*flags_holdings=*/true, "flags what the person holds and ends their grants"),
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> PeopleKinds() { return Kinds(); }

}  // namespace strongroom
