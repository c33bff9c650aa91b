#include "custody/rules.h"

#include "base/clock.h"
#include "policy/policy.h"

namespace strongroom {
namespace {

policy::Subject SubjectOf(const Person& p) {
  policy::Subject s;
  s.id = p.id;
  s.roles = p.roles;
  s.clearance = LevelRank(p.clearance).value();
  s.compartments = p.compartments;
  s.status = p.status;
  return s;
}

policy::Resource ResourceOf(const Holding* h) {
  policy::Resource r;
  if (!h) return r;
  r.is_holding = true;
  r.classification = LevelRank(h->classification).value();
  r.compartments = h->compartments;
  r.holder = h->holder;
  return r;
}

Status Decide(const Person& subject, policy::Action action, const Holding* holding,
              const std::string& actor = "") {
  policy::Decision d = policy::Decide(SubjectOf(subject), action, ResourceOf(holding), {actor});
  if (!d.allowed) return PermissionDenied(d.Explain());
  return OkStatus();
}

Result<const Person*> NeedPerson(const Projection& s, const std::string& id) {
  const Person* p = s.person(id);
  if (!p) return NotFound("person " + id + " does not exist");
  return p;
}

Result<const Holding*> NeedLiveHolding(const Projection& s, const std::string& id) {
  const Holding* h = s.holding(id);
  if (!h) return NotFound("holding " + id + " does not exist");
  if (h->status == kDestroyed) return FailedPrecondition("holding " + id + " is destroyed");
  return h;
}

Result<const Location*> NeedLocation(const Projection& s, const std::string& id) {
  const Location* l = s.location(id);
  if (!l) return NotFound("location " + id + " does not exist");
  return l;
}

std::vector<std::string> StringList(const Json& fields, const char* name) {
  auto it = fields.find(name);
  if (it == fields.end()) return {};
  return it->get<std::vector<std::string>>();
}

int64_t Count(const Json& fields, const char* name) {
  auto it = fields.find(name);
  return it == fields.end() ? 0 : it->get<int64_t>();
}

Status CheckRegister(const Event& e, const Projection& s, const Person& actor) {
  SR_RETURN_IF_ERROR(Decide(actor, policy::Action::kRegister, nullptr));
  const std::string& id = e.holdings[0];
  if (s.holding(id)) return AlreadyExists("holding " + id + " already exists");
  if (auto loc = NeedLocation(s, e.Field("location")); !loc.ok()) return loc.status();
  static const std::vector<const char*> kDocumentOnly = {
      "classification", "compartments", "originator", "copy_number", "copies_total"};
  static const std::vector<const char*> kEvidenceOnly = {
      "case_number",  "item_type",   "identifiers",    "seized_at",
      "seized_place", "disposition", "disposition_due"};
  const bool document = e.Field("kind") == "document";
  for (const char* f : document ? kEvidenceOnly : kDocumentOnly) {
    if (e.fields.contains(f)) {
      return InvalidArgument(std::string("field '") + f + "' does not apply to " +
                             (document ? "a document" : "an evidence item"));
    }
  }
  if (document) {
    const int64_t copy = Count(e.fields, "copy_number"), total = Count(e.fields, "copies_total");
    if (copy > 0 && total > 0 && copy > total) {
      return InvalidArgument("copy " + std::to_string(copy) + " of " + std::to_string(total) +
                             " does not exist");
    }
  } else {
    for (const char* f : {"case_number", "item_type", "disposition"}) {
      if (!e.fields.contains(f)) {
        return InvalidArgument(std::string("an evidence item needs the field '") + f + "'");
      }
    }
  }
  return OkStatus();
}

}  // namespace

Status LoadReferences(const Event& e, Projection* s) {
  SR_RETURN_IF_ERROR(s->LoadPerson(e.actor));
  for (const auto& h : e.holdings) SR_RETURN_IF_ERROR(s->LoadHolding(h));
  for (const char* f : {"to", "witness", "person"}) {
    if (std::string v = e.Field(f); !v.empty()) SR_RETURN_IF_ERROR(s->LoadPerson(v));
  }
  if (std::string v = e.Field("facility"); !v.empty()) SR_RETURN_IF_ERROR(s->LoadFacility(v));
  if (std::string v = e.Field("location"); !v.empty()) SR_RETURN_IF_ERROR(s->LoadLocation(v));
  // Locations of holdings, for facility checks.
  for (const auto& h : e.holdings) {
    if (const Holding* held = s->holding(h)) SR_RETURN_IF_ERROR(s->LoadLocation(held->location));
  }
  return OkStatus();
}

Status Check(const Event& e, const Projection& s, bool bootstrap) {
  SR_RETURN_IF_ERROR(ValidateFields(e));
  const Person* actor = s.person(e.actor);
  if (e.type == EventType::kPersonAdd && bootstrap) {
    // The founding administrator registers themself; nobody else can act yet.
    if (e.Field("person") != e.actor) {
      return FailedPrecondition(
          "the store has no people yet: the first person added must be "
          "the actor themself");
    }
    auto roles = StringList(e.fields, "roles");
    if (std::find(roles.begin(), roles.end(), kRoleAdministrator) == roles.end()) {
      return FailedPrecondition("the first person added must have the role administrator");
    }
  } else if (!actor) {
    return NotFound("person " + e.actor + " does not exist");
  }

  switch (e.type) {
    case EventType::kFacilityAdd: {
      SR_RETURN_IF_ERROR(Decide(*actor, policy::Action::kAdminister, nullptr));
      if (s.facility(e.Field("facility"))) {
        return AlreadyExists("facility " + e.Field("facility") + " already exists");
      }
      return OkStatus();
    }
    case EventType::kLocationAdd: {
      SR_RETURN_IF_ERROR(Decide(*actor, policy::Action::kAdminister, nullptr));
      if (s.location(e.Field("location"))) {
        return AlreadyExists("location " + e.Field("location") + " already exists");
      }
      if (!s.facility(e.Field("facility"))) {
        return NotFound("facility " + e.Field("facility") + " does not exist");
      }
      return OkStatus();
    }
    case EventType::kPersonAdd: {
      if (!bootstrap) SR_RETURN_IF_ERROR(Decide(*actor, policy::Action::kAdminister, nullptr));
      if (s.person(e.Field("person"))) {
        return AlreadyExists("person " + e.Field("person") + " already exists");
      }
      for (const auto& role : StringList(e.fields, "roles")) {
        const auto& known = KnownRoles();
        if (std::find(known.begin(), known.end(), role) == known.end()) {
          return InvalidArgument("unknown role '" + role + "'");
        }
      }
      return OkStatus();
    }
    case EventType::kHoldingRegister:
      return CheckRegister(e, s, *actor);
    case EventType::kCheckOut: {
      SR_RETURN_IF_ERROR(Decide(*actor, policy::Action::kIssue, nullptr));
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedLiveHolding(s, e.holdings[0]));
      if (h->status != kInStore) {
        return FailedPrecondition("holding " + h->id + " is checked out to " + h->holder);
      }
      SR_ASSIGN_OR_RETURN(const Person* to, NeedPerson(s, e.Field("to")));
      SR_RETURN_IF_ERROR(Decide(*to, policy::Action::kHold, h));
      if (ParseRfc3339(e.Field("due_back")).value() <= ParseRfc3339(e.time).value()) {
        return InvalidArgument("due_back " + e.Field("due_back") + " is not after " + e.time);
      }
      return OkStatus();
    }
    case EventType::kCheckIn: {
      SR_RETURN_IF_ERROR(Decide(*actor, policy::Action::kReceive, nullptr));
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedLiveHolding(s, e.holdings[0]));
      if (h->status != kCheckedOut) {
        return FailedPrecondition("holding " + h->id + " is not checked out");
      }
      if (std::string loc = e.Field("location"); !loc.empty()) {
        SR_ASSIGN_OR_RETURN(const Location* l, NeedLocation(s, loc));
        if (l->facility != h->facility) {
          return FailedPrecondition("location " + loc + " is not in facility " + h->facility);
        }
      }
      return OkStatus();
    }
    case EventType::kTransfer: {
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedLiveHolding(s, e.holdings[0]));
      if (h->status != kCheckedOut) {
        return FailedPrecondition("holding " + h->id + " is not checked out; issue it instead");
      }
      SR_RETURN_IF_ERROR(Decide(*actor, policy::Action::kTransfer, h));
      SR_ASSIGN_OR_RETURN(const Person* to, NeedPerson(s, e.Field("to")));
      if (to->id == h->holder) return FailedPrecondition(to->id + " already holds " + h->id);
      return Decide(*to, policy::Action::kHold, h);
    }
    case EventType::kMove: {
      SR_RETURN_IF_ERROR(Decide(*actor, policy::Action::kMove, nullptr));
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedLiveHolding(s, e.holdings[0]));
      if (h->status != kInStore) {
        return FailedPrecondition("holding " + h->id + " is checked out to " + h->holder);
      }
      SR_ASSIGN_OR_RETURN(const Location* l, NeedLocation(s, e.Field("location")));
      if (l->facility != h->facility) {
        return FailedPrecondition("location " + l->id +
                                  " is in another facility; moves "
                                  "between facilities are dispatches");
      }
      if (l->id == h->location) return FailedPrecondition(h->id + " is already at " + l->id);
      return OkStatus();
    }
    case EventType::kDestroy: {
      SR_RETURN_IF_ERROR(Decide(*actor, policy::Action::kDestroy, nullptr));
      SR_ASSIGN_OR_RETURN(const Holding* h, NeedLiveHolding(s, e.holdings[0]));
      if (h->status != kInStore) {
        return FailedPrecondition("holding " + h->id + " is checked out to " + h->holder +
                                  "; check it in before destruction");
      }
      if (h->kind == "evidence" && h->disposition != "destroy") {
        return FailedPrecondition("evidence " + h->id + " has disposition '" + h->disposition +
                                  "', not 'destroy'");
      }
      SR_ASSIGN_OR_RETURN(const Person* witness, NeedPerson(s, e.Field("witness")));
      return Decide(*witness, policy::Action::kWitness, h, e.actor);
    }
  }
  return Internal("unhandled event type");
}

void Apply(const Event& e, uint64_t index, Projection* s) {
  const auto idx = static_cast<int64_t>(index);
  switch (e.type) {
    case EventType::kFacilityAdd:
      s->Put(Facility{e.Field("facility"), e.Field("name"), false});
      return;
    case EventType::kLocationAdd:
      s->Put(Location{e.Field("location"), e.Field("facility"), e.Field("name"), e.Field("kind")});
      return;
    case EventType::kPersonAdd: {
      Person p;
      p.id = e.Field("person");
      p.name = e.Field("name");
      p.unit = e.Field("unit");
      p.roles = StringList(e.fields, "roles");
      p.clearance = e.Field("clearance");
      p.compartments = StringList(e.fields, "compartments");
      s->Put(std::move(p));
      return;
    }
    default:
      break;
  }
  // Holding events.
  const std::string& id = e.holdings[0];
  Holding h = s->holding(id) ? *s->holding(id) : Holding{};
  h.last_index = idx;
  switch (e.type) {
    case EventType::kHoldingRegister: {
      h.id = id;
      h.kind = e.Field("kind");
      h.title = e.Field("title");
      h.location = e.Field("location");
      h.facility = s->location(h.location)->facility;
      if (e.fields.contains("classification")) h.classification = e.Field("classification");
      h.compartments = StringList(e.fields, "compartments");
      h.originator = e.Field("originator");
      h.copy_number = Count(e.fields, "copy_number");
      h.copies_total = Count(e.fields, "copies_total");
      h.case_number = e.Field("case_number");
      h.item_type = e.Field("item_type");
      if (auto it = e.fields.find("identifiers"); it != e.fields.end()) {
        h.identifiers = it->get<std::map<std::string, std::string>>();
      }
      h.seized_at = e.Field("seized_at");
      h.seized_place = e.Field("seized_place");
      h.disposition = e.Field("disposition");
      h.disposition_due = e.Field("disposition_due");
      h.registered_by = e.actor;
      h.registered_index = idx;
      break;
    }
    case EventType::kCheckOut:
      h.status = kCheckedOut;
      h.holder = e.Field("to");
      h.purpose = e.Field("purpose");
      h.due_back = e.Field("due_back");
      break;
    case EventType::kCheckIn:
      h.status = kInStore;
      h.holder.clear();
      h.purpose.clear();
      h.due_back.clear();
      if (std::string loc = e.Field("location"); !loc.empty()) h.location = loc;
      break;
    case EventType::kTransfer:
      h.holder = e.Field("to");
      break;
    case EventType::kMove:
      h.location = e.Field("location");
      break;
    case EventType::kDestroy:
      h.status = kDestroyed;
      h.destroyed_method = e.Field("method");
      h.destroyed_witness = e.Field("witness");
      break;
    default:
      break;
  }
  s->Put(std::move(h));
  s->AddHoldingEvent(id, index);
}

}  // namespace strongroom
