// People: person.add (also the founding administrator's first entry),
// person.enrol and person.rekey (a person's own key), person.update,
// person.suspend, person.reinstate, person.dismiss.
#include <algorithm>

#include "base/clock.h"
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
  if (e.fields.contains("quarantine_hours") && e.fields.Int("quarantine_hours") < 24) {
    return InvalidArgument("quarantine_hours is at least 24");
  }
  d.Ground(e.actor + " founds the store as its administrator");
  return OkStatus();
}

// The roles (policy::Role bits) an event gives `person` that they lack.
uint32_t RolesGiven(const Event& e, const Person* person) {
  uint32_t had = 0, given = 0;
  if (person) {
    for (const auto& role : person->roles) had |= policy::RoleBit(role);
  }
  for (const auto& role : e.fields.List("roles")) given |= policy::RoleBit(role);
  return given & ~had;
}

// Whether `p` could be the founder's second person: enrolled, active, and
// holding a role that approves administration. The first entry after which
// someone is ends the founding period.
bool ApprovesAdministration(const Person& p) {
  return !p.public_key.empty() && p.status == PersonStatus::kActive &&
         (p.HasRole(kRoleAdministrator) || p.HasRole(kRoleSecurityManager));
}

Status CheckAddOrUpdate(Decision& d) {
  const Event& e = d.event();
  if (d.env().bootstrap) return CheckFounding(d);
  SR_RETURN_IF_ERROR(CheckPersonFields(e));
  // Whoever holds the private half of a key can act as its person: nobody
  // but the person makes it. They enrol it themself (person.enrol) with the
  // one-time code whose commitment the person.add carries. (Entries written
  // before this rule keep verifying.)
  // (For entries of schema 3 on as well, so that verify refuses a log in
  // which an administrator chose someone's key.)
  const bool new_rules = d.env().admitting || e.version >= 3;
  if (e.type == EventType::kPersonAdd && new_rules) {
    if (std::string why = NonCanonicalIdReason(e.Field("person")); !why.empty()) {
      return InvalidArgument(why);
    }
  }
  if (e.type == EventType::kPersonAdd && new_rules && e.fields.contains("public_key")) {
    return InvalidArgument(
        "a person's key is theirs to make: person.add carries an enrolment commitment, and the "
        "new person enrols their key with its code (person.enrol)");
  }
  const std::string id = e.Field("person");
  const bool exists = d.state().person(id) != nullptr;
  if (e.type == EventType::kPersonAdd && exists) {
    return AlreadyExists("person " + id + " already exists");
  }
  if (e.type == EventType::kPersonUpdate && !exists) {
    return NotFound("person " + id + " does not exist");
  }
  if (e.fields.contains("quarantine_hours")) {
    return InvalidArgument("quarantine_hours is set once, by the store's founding entry");
  }
  if (e.type == EventType::kPersonUpdate && e.fields.contains("enrolment") &&
      !d.state().person(id)->public_key.empty()) {
    return FailedPrecondition(id + " is enrolled: a new enrolment code is for someone who is not");
  }
  if (std::string f = e.Field("facility"); !f.empty() && !d.state().facility(f)) {
    return NotFound("facility " + f + " does not exist");
  }
  // Adding a person, or giving a role that acts in or approves two-person
  // actions, needs a second administrator or security manager (bar the
  // founder setting up the store alone: policy::Context::founding).
  policy::Resource r = Named(policy::Kind::kPerson, id);
  if (new_rules) {
    // (A new enrolment code is as good as adding the person anew: whoever
    // holds it enrols as them.)
    r.new_person = e.type == EventType::kPersonAdd || e.fields.contains("enrolment");
    r.roles_given = RolesGiven(e, d.state().person(id));
  }
  // The person themself is no second person to their own addition or role.
  d.Ask(Action::kAdminister, r, id);
  return OkStatus();
}

// The person sets their own key, with the code issued when they were added.
Status CheckEnrol(Decision& d) {
  const Event& e = d.event();
  if (e.Field("person") != e.actor) return InvalidArgument("a person enrols only themself");
  if (e.Field("public_key").empty() || e.Field("code").empty()) {
    return InvalidArgument("person.enrol carries the new key and the enrolment code");
  }
  SR_ASSIGN_OR_RETURN(const Person* p, NeedPerson(d.state(), e.actor));
  if (!p->public_key.empty()) {
    return FailedPrecondition(p->id + " is enrolled already (a new key is person.rekey)");
  }
  if (p->status != PersonStatus::kActive) {
    return FailedPrecondition(p->id + " is " + Name(p->status) + ": no enrolment");
  }
  if (p->enrolment.empty()) return FailedPrecondition(p->id + " was issued no enrolment code");
  if (Micros(e.time) >= Micros(p->enrolment_expires)) {
    return FailedPrecondition("the enrolment code of " + p->id + " expired at " +
                              p->enrolment_expires + ": an administrator issues a new one");
  }
  if (EnrolmentCommitment(e.Field("code")) != p->enrolment) {
    return FailedPrecondition("that is not the enrolment code issued to " + p->id);
  }
  d.Ground(p->id + " enrols the key they made, with the code issued to them");
  return OkStatus();
}

// A new key, signed with the one it replaces (a changed credential).
Status CheckRekey(Decision& d) {
  const Event& e = d.event();
  if (e.Field("person") != e.actor) return InvalidArgument("a person replaces only their own key");
  if (e.Field("public_key").empty()) return InvalidArgument("person.rekey carries the new key");
  SR_ASSIGN_OR_RETURN(const Person* p, NeedPerson(d.state(), e.actor));
  if (p->public_key.empty()) return FailedPrecondition(p->id + " has no key yet: person.enrol");
  if (p->public_key == e.Field("public_key")) {
    return InvalidArgument("the new key is the key " + p->id + " has");
  }
  if (p->status == PersonStatus::kDismissed) return FailedPrecondition(p->id + " is dismissed");
  d.Ground(p->id + " replaces their key, signing with the old one");
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
  const Person* adder = s->person(e.actor);
  switch (e.type) {
    case EventType::kPersonAdd:
      p.id = id;
      p.added_index = index;
      p.added_by = e.actor;
      set_text("public_key", &p.public_key);
      if (id == e.actor) {  // the founding entry
        p.founding = true;
        if (e.fields.contains("quarantine_hours")) {
          p.quarantine_hours = e.fields.Int("quarantine_hours");
        }
        p.approves_from = FormatRfc3339(Micros(e.time));
      } else if (adder) {
        p.quarantine_hours = adder->quarantine_hours;
        // The team the founder sets up alone approves from the start (the
        // founding period is in the log for every auditor to see).
        if (SetsUpAlone(*adder, Micros(e.time))) {
          p.approves_from = FormatRfc3339(Micros(e.time));
          p.founding_team = true;
        }
      }
      [[fallthrough]];
    case EventType::kPersonUpdate:
      if (e.fields.contains("enrolment")) {
        p.enrolment = e.Field("enrolment");
        p.enrolment_expires = FormatRfc3339(Micros(e.time) + kEnrolmentLifetimeMicros);
      }
      set_text("name", &p.name);
      set_text("unit", &p.unit);
      set_list("roles", &p.roles);
      set_text("clearance", &p.clearance);
      set_list("compartments", &p.compartments);
      set_list("caveats", &p.caveats);
      set_text("nationality", &p.nationality);
      set_text("facility", &p.facility);
      break;
    case EventType::kPersonEnrol:
      if (p.approves_from.empty()) {
        p.approves_from = FormatRfc3339(Micros(e.time) + p.quarantine_hours * 3'600'000'000);
      }
      [[fallthrough]];
    case EventType::kPersonRekey:
      p.public_key = e.Field("public_key");
      p.enrolment.clear();  // one-time
      p.enrolment_expires.clear();
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
  // The founder sets the store up alone while nobody else could be their
  // second person: the period ends (for good) once someone is.
  if (ApprovesAdministration(p)) {
    for (const std::string& who : {e.actor, p.added_by}) {
      const Person* founder = who == id ? nullptr : s->person(who);
      if (!founder || !founder->founding) continue;
      Person ended = *founder;
      ended.founding = false;
      ended.last_index = index;
      s->Put(std::move(ended));
    }
  }
  s->Put(std::move(p));
}

// person.enrol may end the founding period: the person who added them.
Status LoadAdder(const Event& e, Projection* s) {
  SR_RETURN_IF_ERROR(s->LoadPerson(e.actor));
  const Person* p = s->person(e.actor);
  return p && !p->added_by.empty() ? s->LoadPerson(p->added_by) : OkStatus();
}

// The fields a person is described by (person.add and person.update).
std::vector<FieldSpec> Description(bool add) {
  return {{"person", FieldType::kId, true, Ref::kPerson, {}, {}, "id"},
          Sealed({"name", FieldType::kText, add}),
          Sealed({"unit", FieldType::kText, add}),
          {"roles", FieldType::kIdList, add, Ref::kNone,
           {},
           "of administrator, custodian, holder, inspector, security_manager"},
          {"clearance", FieldType::kLevel, add},
          Sealed({"compartments", FieldType::kIdList, false}),
          Sealed({"caveats", FieldType::kIdList, false}),
          Sealed({"nationality", FieldType::kId, false}),
          {"facility", FieldType::kId, false, Ref::kFacility, {}, "home facility"}};
}

FieldSpec EnrolmentField(bool add) {
  return {"enrolment", FieldType::kKey, false, Ref::kNone, {},
          add ? "commitment to the new person's one-time enrolment code (base64 SHA-256)"
              : "a new enrolment code's commitment, for a person not yet enrolled",
          {}, /*derived=*/true};
}

std::vector<FieldSpec> AddFields() {
  auto fields = Description(true);
  fields.push_back({"quarantine_hours", FieldType::kCount, false, Ref::kNone, {},
                    "the founding entry only: how long a newly enrolled person waits before "
                    "acting in or approving two-person actions (default 168, at least 24)"});
  fields.push_back({"public_key", FieldType::kKey, false, Ref::kNone, {},
                    "the founding administrator's own key (everyone else enrols theirs)", {},
                    /*derived=*/true});
  fields.push_back(EnrolmentField(true));
  return fields;
}

std::vector<FieldSpec> UpdateFields() {
  auto fields = Description(false);
  fields.push_back(EnrolmentField(false));
  return fields;
}

// person.enrol and person.rekey: the person, and the key they made.
EventKind OwnKey(EventType type, std::string_view name, std::string_view command,
                 Status (*check)(Decision&), std::string_view note) {
  // Made by the client (so not options), required by the check.
  std::vector<FieldSpec> fields = {
      {"person", FieldType::kId, false, Ref::kPerson, {}, "the actor themself", {},
       /*derived=*/true},
      {"public_key", FieldType::kKey, false, Ref::kNone, {},
       "their new personal key, sealed under their own credential", {}, /*derived=*/true}};
  if (type == EventType::kPersonEnrol) {
    fields.push_back({"code", FieldType::kId, false, Ref::kNone, {},
                      "the one-time enrolment code issued to them", {}, /*derived=*/true});
  }
  return {.type = type,
          .name = name,
          .command = command,
          .fields = std::move(fields),
          .min_holdings = 0,
          .max_holdings = 0,
          .check = check,
          .load = type == EventType::kPersonEnrol ? LoadAdder : nullptr,
          .apply = ApplyPerson,
          .note = note};
}

// person.suspend, person.reinstate, person.dismiss: the person, and why.
EventKind StatusChange(EventType type, std::string_view name, std::string_view command,
                       bool flags_holdings, std::string_view note) {
  return {.type = type,
          .name = name,
          .command = command,
          .fields = {{"person", FieldType::kId, true, Ref::kPerson, {}, {}, "id"},
                     Sealed({"reason", FieldType::kText, true})},
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
     .fields = UpdateFields(),
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckAddOrUpdate,
     .apply = ApplyPerson,
     .note = "changes at least one field"},
    OwnKey(EventType::kPersonEnrol, "person.enrol", "enrol: set your own credential and key",
           CheckEnrol,
           "the actor, with the code issued when they were added (72 hours), signs with the key "
           "they enrol"),
    OwnKey(EventType::kPersonRekey, "person.rekey", "replace your key (a new credential)",
           CheckRekey, "signed with the key it replaces"),
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
