// The inspection event kinds: inspection.open, .draw, .record, .found and
// .close. Their rules are in docs/oversight.md ("Inspections").
#include <algorithm>
#include <array>
#include <cstdio>

#include "base/encoding.h"
#include "custody/kinds/decision.h"
#include "custody/kinds/kind.h"
#include "custody/kinds/state.h"
#include "custody/rules.h"
#include "oversight/inspection.h"

namespace strongroom::oversight {
namespace {

using policy::Action;

// Constant-initialised (std::array, not std::vector): Kinds() reads them
// from another file's static initialiser (install.cc).
constexpr std::array<std::string_view, 6> kOccasions = {
    "routine", "change_of_custodian", "change_of_head", "annual", "campaign", "follow_up"};
constexpr std::array<std::string_view, 4> kMethods = {"full", "fixed", "discovery", "estimation"};

// The size rule an open event states, its parameters exactly those of its
// method.
Result<SizeRule> RuleOf(const Event& e) {
  SizeRule rule;
  SR_ASSIGN_OR_RETURN(rule.method, ParseMethod(e.Field("method")));
  const bool has_size = e.fields.contains("sample_size"), has_conf = e.fields.contains("confidence"),
             has_rate = e.fields.contains("detect_rate"), has_margin = e.fields.contains("margin");
  auto only = [&](bool size, bool conf, bool rate, bool margin, const char* what) -> Status {
    if (has_size != size || has_conf != conf || has_rate != rate || has_margin != margin) {
      return InvalidArgument(std::string("a ") + MethodName(rule.method) + " inspection takes " +
                             what);
    }
    return OkStatus();
  };
  switch (rule.method) {
    case Method::kFull:
      SR_RETURN_IF_ERROR(only(false, false, false, false, "no sample_size, confidence, detect_rate or margin"));
      break;
    case Method::kFixed:
      SR_RETURN_IF_ERROR(only(true, false, false, false, "sample_size, and no confidence, detect_rate or margin"));
      rule.fixed = static_cast<uint64_t>(e.fields.Int("sample_size"));
      break;
    case Method::kDiscovery:
      SR_RETURN_IF_ERROR(only(false, true, true, false, "confidence and detect_rate, and no sample_size or margin"));
      break;
    case Method::kEstimation:
      SR_RETURN_IF_ERROR(only(false, true, false, true, "confidence and margin, and no sample_size or detect_rate"));
      break;
  }
  rule.confidence = e.Field("confidence");
  rule.rate = e.Field("detect_rate");
  rule.margin = e.Field("margin");
  SR_RETURN_IF_ERROR(SampleSize(rule, 1).status());  // the parameters themselves
  return rule;
}

// The fields the inspector's client computes (derived, so not required
// of a command's options): each must be there when the event is checked.
Status NeedDerived(const Event& e, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (!e.fields.contains(name)) {
      return InvalidArgument("missing field '" + std::string(name) + "' for " +
                             EventTypeName(e.type) + " (the inspector's client computes it)");
    }
  }
  return OkStatus();
}

// The inspection an event names, loaded (load hook) and of kind inspection.
Result<Inspection> NeedInspection(const Projection& s, const Event& e) {
  const std::string& id = e.Field("inspection");
  const OversightRecord* r = s.oversight_record(id);
  if (!r) return NotFound("inspection " + id + " does not exist");
  return Inspection::FromRecord(*r);
}

Status LoadNamedInspection(const Event& e, Projection* s) {
  const std::string& id = e.Field("inspection");
  SR_RETURN_IF_ERROR(s->LoadOversightRecord(id));
  if (const OversightRecord* r = s->oversight_record(id)) {
    SR_RETURN_IF_ERROR(s->LoadFacility(r->facility));
  }
  return OkStatus();
}

// An inspection under way: drawn, and acted on by its own inspector.
Result<Inspection> Underway(Decision& d, bool drawn) {
  SR_ASSIGN_OR_RETURN(Inspection v, NeedInspection(d.state(), d.event()));
  const std::string want = drawn ? "drawn" : "open";
  if (v.status != want) {
    return FailedPrecondition("inspection " + v.id + " is " + v.status +
                              (drawn ? ", not under way (its sample is drawn first)"
                                     : "; its sample is drawn once"));
  }
  if (d.event().actor != v.inspector) {
    d.Deny("only " + v.inspector + ", who opened inspection " + v.id + ", acts on it");
  }
  d.Ask(Action::kInspect, FacilityResource(d.state(), v.scope.facility));
  return v;
}

// The event's `reveal` (32 bytes, standard base64), if it opens `v`'s
// commitment.
Result<std::string> OpenedCommitment(const Event& e, const Inspection& v) {
  auto reveal = Base64Decode(e.Field("reveal"));
  if (!reveal.ok() || reveal->size() != kRevealSize) {
    return InvalidArgument("reveal must be 32 bytes in standard base64");
  }
  if (Commitment(*reveal) != v.commitment) {
    return InvalidArgument("the reveal does not open inspection " + v.id + "'s commitment");
  }
  return std::move(reveal).value();
}

void PutInspection(Projection* s, const Inspection& v, int64_t index) { s->Put(v.ToRecord(index)); }

Inspection Loaded(const Projection& s, const Event& e) {
  return Inspection::FromRecord(*s.oversight_record(e.Field("inspection"))).value();
}

// ---- inspection.open

Status LoadOpen(const Event& e, Projection* s) {
  SR_RETURN_IF_ERROR(s->LoadHoldingsIn(e.Field("facility")));
  SR_RETURN_IF_ERROR(s->LoadOversightOf(e.actor));
  for (const auto& l : e.fields.List("locations")) SR_RETURN_IF_ERROR(s->LoadLocation(l));
  return OkStatus();
}

Status CheckOpen(Decision& d) {
  const Event& e = d.event();
  const Projection& s = d.state();
  const Scope scope = ScopeOf(e);
  if (!s.facility(scope.facility)) return NotFound("facility " + scope.facility + " does not exist");
  for (const auto& l : scope.locations) SR_RETURN_IF_ERROR(NeedLocation(s, l, scope.facility).status());
  for (const auto& k : scope.holding_kinds) {
    if (k != "document" && k != "evidence" && k != "container") {
      return InvalidArgument("holding kind '" + k + "' is none of: document, evidence, container");
    }
  }
  SR_RETURN_IF_ERROR(RuleOf(e).status());
  // Who may inspect is decided before anything about the population is
  // said: a refusal tells nobody what the scope holds.
  const std::string& occasion = e.Field("occasion");
  if ((occasion == "change_of_custodian" || occasion == "change_of_head") &&
      d.actor().facility == scope.facility) {
    d.Deny("an inventory on a " + occasion + " is made by someone from outside facility " +
           scope.facility);
  }
  d.Ask(Action::kInspect, FacilityResource(s, scope.facility));
  if (d.denied()) return OkStatus();
  SR_RETURN_IF_ERROR(NeedDerived(e, {"commitment", "population", "population_hash"}));
  std::vector<std::string> population = Population(s, scope);
  const std::string hash = PopulationHash(&population);
  if (static_cast<int64_t>(population.size()) != e.fields.Int("population") ||
      hash != e.Field("population_hash")) {
    return FailedPrecondition("the population stated is not the scope's now (it changed): "
                              "open the inspection again");
  }
  // One undrawn inspection per inspector: an inspector who knows the root
  // and their reveal knows the sample, and could otherwise open again and
  // again until one suits them (docs/oversight.md).
  for (const std::string& id : s.oversight_of(e.actor)) {
    const OversightRecord* r = s.oversight_record(id);
    if (r && r->kind == kInspectionKind && r->status == "open") {
      return FailedPrecondition(e.actor + "'s inspection " + id +
                                " is open and not drawn: draw it before opening another");
    }
  }
  // Every item of the population is one the inspector may inspect
  // (clearance, compartments): otherwise the inspection could never close.
  for (const std::string& id : population) d.AskOnHolding(Action::kInspect, *s.holding(id));
  return OkStatus();
}

void ApplyOpen(const Event& e, int64_t index, Projection* s) {
  Inspection v;
  v.id = InspectionId(static_cast<uint64_t>(index));
  v.inspector = e.actor;
  v.status = "open";
  v.scope = ScopeOf(e);
  v.announced = e.fields.Bool("announced");
  v.occasion = e.Field("occasion");
  v.rule = RuleOf(e).value();
  v.commitment = e.Field("commitment");
  v.population_ids = Population(*s, v.scope);
  v.population = v.population_ids.size();
  v.population_hash = e.Field("population_hash");
  v.open_index = index;
  v.opened_at = e.time;
  v.sample_size = SampleSize(v.rule, v.population).value();
  PutInspection(s, v, index);
}

// ---- inspection.draw

Status CheckDraw(Decision& d) {
  const Event& e = d.event();
  SR_RETURN_IF_ERROR(NeedDerived(e, {"reveal", "root", "sample_size", "sample_hash"}));
  SR_ASSIGN_OR_RETURN(Inspection v, Underway(d, /*drawn=*/false));
  LogView* log = d.env().log;
  if (!log) return FailedPrecondition("a sample is drawn only where the log can be read");
  if (static_cast<uint64_t>(v.open_index) >= log->signed_size()) {
    return FailedPrecondition("inspection " + v.id + " was opened at entry " +
                              std::to_string(v.open_index) +
                              ", which no signed checkpoint covers yet; draw once one does");
  }
  SR_ASSIGN_OR_RETURN(const std::string reveal, OpenedCommitment(e, v));
  auto read = log->RootAt(static_cast<uint64_t>(v.open_index) + 1);
  if (!read.ok()) {
    return FailedPrecondition("the log's tree ending with " + v.id + "'s open entry cannot be read yet (" +
                              read.status().message() + "); draw again");
  }
  const Hash root = *read;
  SR_ASSIGN_OR_RETURN(const std::vector<std::string> population, StatedPopulation(v));
  if (e.Field("root") != Base64Encode(root.view())) {
    return InvalidArgument("root is not the log's root at size " +
                           std::to_string(v.open_index + 1) + " (the tree that ends with " +
                           v.id + "'s open entry)");
  }
  const std::vector<std::string> sample = DrawSample(SampleSeed(root, reveal), population, v.sample_size);
  if (static_cast<uint64_t>(e.fields.Int("sample_size")) != v.sample_size) {
    return InvalidArgument("inspection " + v.id + " samples " + std::to_string(v.sample_size) +
                           " holdings, not " + std::to_string(e.fields.Int("sample_size")));
  }
  const bool listed = ListsSample(sample);
  if (e.fields.contains("sample") != listed ||
      (listed && e.fields.List("sample") != sample) || e.Field("sample_hash") != SampleHash(sample)) {
    return InvalidArgument("the sample is not the one the reveal and the root draw (" +
                           std::string(listed ? "listed, with its hash" : "its hash; too many to list") +
                           ")");
  }
  return OkStatus();
}

void ApplyDraw(const Event& e, int64_t index, Projection* s) {
  Inspection v = Loaded(*s, e);
  const Hash root = Hash::FromBytes(Base64Decode(e.Field("root")).value());
  v.sample = DrawSample(SampleSeed(root, Base64Decode(e.Field("reveal")).value()), v.population_ids,
                        v.sample_size);
  v.population_ids.clear();
  v.status = "drawn";
  v.draw_index = index;
  PutInspection(s, v, index);
}

// ---- inspection.record

Status CheckRecord(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(Inspection v, Underway(d, /*drawn=*/true));
  const std::string& id = e.holdings[0];
  if (std::find(v.sample.begin(), v.sample.end(), id) == v.sample.end()) {
    return FailedPrecondition(id + " is not in inspection " + v.id +
                              "'s sample; an item found that is not on record is "
                              "'inspection found'");
  }
  const Holding* h = d.state().holding(id);
  if (!h) return NotFound("holding " + id + " does not exist");
  const std::string& result = e.Field("result");
  const std::string& where = e.Field("location_found");
  if (!where.empty()) SR_RETURN_IF_ERROR(NeedLocation(d.state(), where, v.scope.facility).status());
  if (result == "wrong_location" && (where.empty() || where == h->location)) {
    return InvalidArgument("wrong_location needs location_found, a location other than " +
                           (h->location.empty() ? std::string("its own") : h->location));
  }
  if (result == "found" && !where.empty() && where != h->location) {
    return InvalidArgument(id + " belongs at " + h->location + ": record wrong_location");
  }
  if (result == "seal_mismatch" && (e.Field("seal_read").empty() || e.Field("seal_read") == h->seal)) {
    return InvalidArgument("seal_mismatch needs seal_read, a seal number other than the one registered");
  }
  if (result == "missing" && !where.empty()) {
    return InvalidArgument("a missing item has no location_found");
  }
  d.AskOnHolding(Action::kInspect, *h);
  return OkStatus();
}

void ApplyRecord(const Event& e, int64_t index, Projection* s) {
  Inspection v = Loaded(*s, e);
  const std::string& id = e.holdings[0];
  ItemResult item{e.Field("result"), index, e.Field("location_found"), e.Field("seal_read")};
  v.results[id] = item;
  PutInspection(s, v, index);
  UpdateHolding(s, id, index, [&](Holding& h) {
    if (item.result == "found") return;
    std::string flag = "inspection " + v.id + ": " + item.result;
    if (!item.location_found.empty()) flag += " (found at " + item.location_found + ")";
    if (!item.seal_read.empty()) flag += " (seal read " + item.seal_read + ")";
    h.flags.push_back(flag + AtEntry(index));
  });
}

// ---- inspection.found

Status CheckFound(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(Inspection v, Underway(d, /*drawn=*/true));
  SR_RETURN_IF_ERROR(NeedLocation(d.state(), e.Field("location"), v.scope.facility).status());
  if (e.holdings.size() == 1) {
    if (std::string why = NonCanonicalIdReason(e.holdings[0]); !why.empty()) return InvalidArgument(why);
    if (d.state().holding(e.holdings[0])) {
      return AlreadyExists("holding " + e.holdings[0] + " is on record; record it instead");
    }
  }
  return OkStatus();
}

void ApplyFound(const Event& e, int64_t index, Projection* s) {
  Inspection v = Loaded(*s, e);
  Holding h;
  h.id = e.holdings[0];
  h.kind = "evidence";
  h.title = e.Field("title");
  h.item_type = e.Field("item_type");
  h.facility = v.scope.facility;
  h.location = e.Field("location");
  h.registered_by = e.actor;
  h.registered_index = index;
  h.last_index = index;
  h.flags.push_back("found during inspection " + v.id + ", not on record" + AtEntry(index));
  s->Put(h);
  s->AddHoldingEvent(h.id, static_cast<uint64_t>(index));
  v.found_unregistered.push_back(h.id);
  PutInspection(s, v, index);
}

// ---- inspection.close

Status CheckClose(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(Inspection v, Underway(d, /*drawn=*/true));
  size_t unrecorded = 0, discrepancies = v.found_unregistered.size();
  std::string first;
  for (const auto& id : v.sample) {
    auto it = v.results.find(id);
    if (it == v.results.end()) {
      if (unrecorded++ == 0) first = id;
    } else if (it->second.result != "found") {
      ++discrepancies;
    }
  }
  if (unrecorded > 0) {
    return FailedPrecondition(std::to_string(unrecorded) + " of inspection " + v.id +
                              "'s sample are not recorded yet (" + first +
                              " first): record each, missing if it cannot be found");
  }
  if (discrepancies > 0 && (e.Field("finding_owner").empty() || e.Field("findings_due").empty())) {
    return InvalidArgument("inspection " + v.id + " found " + std::to_string(discrepancies) +
                           " discrepancies: its findings need finding_owner and findings_due");
  }
  if (!e.Field("finding_owner").empty()) {
    SR_ASSIGN_OR_RETURN(const Person* owner, NeedPerson(d.state(), e.Field("finding_owner")));
    if (owner->status != PersonStatus::kActive) {
      return FailedPrecondition(owner->id + " is not active and cannot own findings");
    }
  }
  if (!e.Field("findings_due").empty()) SR_RETURN_IF_ERROR(AfterEventTime(e, "findings_due"));
  return OkStatus();
}

std::string Fraction(double x) {
  char text[16];
  std::snprintf(text, sizeof text, "%.4f", x);
  return text;
}

void ApplyClose(const Event& e, int64_t index, Projection* s) {
  Inspection v = Loaded(*s, e);
  std::map<std::string, int64_t> counts;
  Json findings = Json::array();
  uint64_t bad = 0;
  for (const auto& id : v.sample) {
    const ItemResult& item = v.results.at(id);
    ++counts[item.result];
    if (item.result == "found") continue;
    ++bad;
    findings.push_back({{"holding", id}, {"result", item.result}, {"status", "open"}});
  }
  for (const auto& id : v.found_unregistered) {
    findings.push_back({{"holding", id}, {"result", "not_on_record"}, {"status", "open"}});
  }
  const Interval ci = DiscrepancyInterval(bad, v.sample.size(), v.population);
  v.summary = {{"as_of_tree_size", index + 1},
               {"counts", counts},
               {"sampled", static_cast<int64_t>(v.sample.size())},
               {"discrepancies", static_cast<int64_t>(bad)},
               {"not_on_record", static_cast<int64_t>(v.found_unregistered.size())},
               {"discrepancy_rate",
                Fraction(v.sample.empty() ? 0.0 : static_cast<double>(bad) / v.sample.size())},
               {"interval_95", {Fraction(ci.low), Fraction(ci.high)}},
               {"findings", findings},
               {"finding_owner", e.Field("finding_owner")},
               {"findings_due", e.Field("findings_due")}};
  v.status = "closed";
  v.close_index = index;
  OversightRecord r = v.ToRecord(index);
  r.due = findings.empty() ? "" : e.Field("findings_due");
  s->Put(std::move(r));
  // A full inventory of the whole facility restarts its interval.
  const Scope& scope = v.scope;
  if (v.rule.method == Method::kFull && scope.locations.empty() && scope.holding_kinds.empty() &&
      scope.item_types.empty() && scope.min_classification.empty()) {
    if (const Facility* f = s->facility(scope.facility)) {
      Facility counted = *f;
      counted.inventory_counted_from = e.time;
      s->Put(std::move(counted));
    }
  }
}

// ---- inspection.resolve

// The open finding of closed inspection `v` on `holding`, or an error.
Result<Json*> OpenFinding(Inspection& v, const std::string& holding) {
  if (v.status != "closed") {
    return FailedPrecondition("inspection " + v.id + " is " + v.status +
                              "; its findings are resolved once it is closed");
  }
  for (Json& f : v.summary["findings"]) {
    if (f.value("holding", "") != holding) continue;
    if (f.value("status", "") != "open") {
      return FailedPrecondition("inspection " + v.id + "'s finding on " + holding + " is " +
                                f.value("status", "") + " already");
    }
    return &f;
  }
  return NotFound("inspection " + v.id + " has no finding on " + holding);
}

Status CheckResolve(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(Inspection v, NeedInspection(d.state(), e));
  const std::string& id = e.holdings[0];
  SR_ASSIGN_OR_RETURN(Json * finding, OpenFinding(v, id));
  const std::string& outcome = e.Field("outcome");
  const bool missing = finding->value("result", "") == "missing";
  const Holding* h = d.state().holding(id);
  if (h && h->status == HoldingStatus::kWrittenOff) {
    // Written off already (another inspection's finding, by two people):
    // this finding follows, recorded by someone who may inspect it.
    if (outcome != "written_off" || !missing) {
      return FailedPrecondition(id + " was written off as missing: its finding is written_off");
    }
    d.AskOnHolding(Action::kInspect, *h);
    return OkStatus();
  }
  SR_ASSIGN_OR_RETURN(h, NeedHolding(d.state(), id));
  if (outcome == "corrected" && missing) {
    return InvalidArgument(id + " was found missing: it is located, or written off");
  }
  if (outcome != "corrected" && !missing) {
    return InvalidArgument(id + "'s finding is " + finding->value("result", "") +
                           ", not missing: it is corrected");
  }
  // (Found property is registered by the inspector who found it.)
  const bool found_property = finding->value("result", "") == "not_on_record";
  if ((e.actor == h->registered_by && !found_property) || e.actor == h->holder) {
    d.Deny("nobody resolves a finding on an item in their own custody (" + id + ")");
  }
  if (outcome == "written_off") {
    // Two people, security managers (the policy); whoever answers for the
    // item (its holder, else who registered it) approves nothing.
    d.AskOnHolding(Action::kWriteOff, *h, h->holder.empty() ? h->registered_by : h->holder);
  } else {
    // Put right or seen again, by someone who may inspect it: never the
    // custodians' word for it.
    d.AskOnHolding(Action::kInspect, *h);
  }
  return OkStatus();
}

void ApplyResolve(const Event& e, int64_t index, Projection* s) {
  Inspection v = Loaded(*s, e);
  const std::string& id = e.holdings[0];
  const std::string& outcome = e.Field("outcome");
  Json* finding = OpenFinding(v, id).value();
  (*finding)["status"] = outcome;
  (*finding)["resolved_by"] = e.actor;
  (*finding)["resolved_index"] = index;
  bool open = false;
  for (const Json& f : v.summary["findings"]) open = open || f.value("status", "") == "open";
  OversightRecord r = v.ToRecord(index);
  r.due = open ? v.summary.value("findings_due", "") : "";
  s->Put(std::move(r));
  UpdateHolding(s, id, index, [&](Holding& h) {
    if (outcome == "written_off") {
      h.status = HoldingStatus::kWrittenOff;
      h.holder.clear();
    }
    h.flags.push_back("inspection " + v.id + " finding " + outcome + AtEntry(index));
  });
}

// ---- inspection.cancel

Status CheckCancel(Decision& d) {
  const Event& e = d.event();
  SR_ASSIGN_OR_RETURN(Inspection v, NeedInspection(d.state(), e));
  if (v.status != "open" && v.status != "drawn") {
    return FailedPrecondition("inspection " + v.id + " is " + v.status + " already");
  }
  const bool revealed = e.fields.contains("reveal");
  if (revealed) SR_RETURN_IF_ERROR(OpenedCommitment(e, v).status());
  const bool own = e.actor == v.inspector;
  if (v.status == "open" && own && !revealed) {
    // Else an inspector who knows the root and their reveal could see the
    // sample, dislike it, cancel and open again, unseen.
    return InvalidArgument("an inspector cancels their undrawn inspection " + v.id +
                           " by publishing its reveal (anyone may then compute the sample it "
                           "would have drawn)");
  }
  if (v.status == "drawn" && own) {
    d.Deny("a drawn inspection is cancelled by a security manager, not by its inspector " + v.inspector);
  } else if (!own && !d.actor().HasRole(kRoleSecurityManager)) {
    d.Deny("only " + v.inspector + ", who opened inspection " + v.id +
           ", or a security manager cancels it");
  }
  if (!own && d.actor().HasRole(kRoleCustodian) && d.actor().facility == v.scope.facility) {
    d.Deny("a custodian of facility " + v.scope.facility + " does not cancel its inspection");
  }
  // The policy's too: an active person, out of quarantine for a two-person
  // action, a second person under heightened control.
  d.Ask(own ? Action::kInspect : Action::kControl, FacilityResource(d.state(), v.scope.facility));
  return OkStatus();
}

void ApplyCancel(const Event& e, int64_t index, Projection* s) {
  Inspection v = Loaded(*s, e);
  v.summary = {{"cancelled_by", e.actor},
               {"cancel_index", index},
               {"was", v.status},
               {"reveal", e.Field("reveal")}};
  v.status = "cancelled";
  PutInspection(s, v, index);
}

const FieldSpec kInspectionField{"inspection", FieldType::kId, true, Ref::kNone, {}, "INSP-<index>"};

std::span<const EventKind> Kinds() {
  static const EventKind kKinds[] = {
    {.type = EventType::kInspectionOpen,
     .name = "inspection.open",
     .command = "open an inspection or inventory (the client commits to its sample's seed)",
     .fields = {{"facility", FieldType::kId, true, Ref::kFacility},
                {"locations", FieldType::kIdList, false, Ref::kNone, {}, "only these locations"},
                {"holding_kinds", FieldType::kIdList, false, Ref::kNone, {},
                 "only these: document, evidence, container"},
                Sealed({"item_types", FieldType::kTextList, false, Ref::kNone, {}, "only these evidence item types"}),
                Sealed({"min_classification", FieldType::kLevel, false, Ref::kNone, {}, "only at or above"}),
                {"announced", FieldType::kBool, true},
                {"occasion", FieldType::kChoice, true, Ref::kNone, {kOccasions.begin(), kOccasions.end()}},
                {"method", FieldType::kChoice, true, Ref::kNone, {kMethods.begin(), kMethods.end()},
                 "how the sample is sized"},
                {"sample_size", FieldType::kCount, false, Ref::kNone, {}, "fixed: the sample's size"},
                {"confidence", FieldType::kText, false, Ref::kNone, {},
                 "discovery, estimation: e.g. 0.95"},
                {"detect_rate", FieldType::kText, false, Ref::kNone, {},
                 "discovery: the loss rate to detect, e.g. 0.01"},
                {"margin", FieldType::kText, false, Ref::kNone, {}, "estimation: e.g. 0.03"},
                {"commitment", FieldType::kDigest, false, Ref::kNone, {},
                 "SHA-256 of the inspector's secret reveal", {}, /*derived=*/true},
                {"population", FieldType::kCount, false, Ref::kNone, {},
                 "holdings on hand in scope", {}, /*derived=*/true},
                {"population_hash", FieldType::kDigest, false, Ref::kNone, {},
                 "SHA-256 of their ids, sorted, one per line", {}, /*derived=*/true}},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckOpen,
     .load = LoadOpen,
     .apply = ApplyOpen,
     .note = "by an inspector who is not a custodian of the facility (on a change of custodian "
             "or head: not based there); the population stated must be the scope's now",
     .keeps_root = true},
    {.type = EventType::kInspectionDraw,
     .name = "inspection.draw",
     .command = "draw an inspection's sample, revealing the committed value",
     .fields = {kInspectionField,
                {"reveal", FieldType::kText, false, Ref::kNone, {}, "32 bytes, base64", {}, true},
                {"root", FieldType::kText, false, Ref::kNone, {},
                 "base64 root of the tree ending with the open entry", {}, true},
                {"sample_size", FieldType::kCount, false, Ref::kNone, {}, {}, {}, true},
                {"sample", FieldType::kLongIdList, false, Ref::kNone, {},
                 "in rank order, when at most 4096", {}, true},
                {"sample_hash", FieldType::kDigest, false, Ref::kNone, {},
                 "SHA-256 of the sample's ids in order, one per line", {}, true}},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckDraw,
     .load = LoadNamedInspection,
     .apply = ApplyDraw,
     .note = "by the inspector who opened it, once a signed checkpoint covers the open entry"},
    {.type = EventType::kInspectionRecord,
     .name = "inspection.record",
     .command = "record what an inspection found of one sampled item",
     .fields = {kInspectionField,
                {"result", FieldType::kChoice, true, Ref::kNone,
                 {kResults.begin(), kResults.end()}},
                {"location_found", FieldType::kId, false, Ref::kLocation, {}, "where it was"},
                {"seal_read", FieldType::kId, false, Ref::kNone, {}, "the seal number read"},
                Sealed({"note", FieldType::kText, false})},
     .check = CheckRecord,
     .load = LoadNamedInspection,
     .apply = ApplyRecord,
     .note = "a discrepancy is flagged on the holding; a later record of the item replaces it"},
    {.type = EventType::kInspectionFound,
     .name = "inspection.found",
     .command = "register an item found during an inspection that is not on record",
     .fields = {kInspectionField,
                Sealed({"title", FieldType::kText, true}),
                Sealed({"item_type", FieldType::kText, false}),
                {"location", FieldType::kId, true, Ref::kLocation},
                Sealed({"note", FieldType::kText, false})},
     .min_holdings = 0,
     .max_holdings = 1,
     .numbered = true,
     .check = CheckFound,
     .load = LoadNamedInspection,
     .apply = ApplyFound,
     .note = "registered as found property in the inspected facility, linked to the inspection"},
    {.type = EventType::kInspectionClose,
     .name = "inspection.close",
     .command = "close an inspection: results as of this tree size, findings with an owner",
     .fields = {kInspectionField,
                {"finding_owner", FieldType::kId, false, Ref::kPerson, {}, "who resolves the findings"},
                {"findings_due", FieldType::kTime, false, Ref::kNone, {}, "by when"},
                Sealed({"summary", FieldType::kText, false})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckClose,
     .load = LoadNamedInspection,
     .apply = ApplyClose,
     .note = "every sampled item recorded; discrepancies need an owner and a due date"},
    {.type = EventType::kInspectionCancel,
     .name = "inspection.cancel",
     .command = "cancel an inspection (an undrawn one of your own: publishing its reveal)",
     .fields = {kInspectionField,
                {"reveal", FieldType::kText, false, Ref::kNone, {},
                 "32 bytes, base64: required of the inspector cancelling their undrawn inspection"},
                Sealed({"reason", FieldType::kText, true})},
     .min_holdings = 0,
     .max_holdings = 0,
     .check = CheckCancel,
     .load = LoadNamedInspection,
     .apply = ApplyCancel,
     .note = "undrawn: by its inspector, publishing the reveal, or a security manager; drawn: by a "
             "security manager; every cancellation is a detection"},
    {.type = EventType::kInspectionResolve,
     .name = "inspection.resolve",
     .command = "resolve a closed inspection's finding: located, corrected or written off",
     .fields = {kInspectionField,
                {"outcome", FieldType::kChoice, true, Ref::kNone,
                 {"located", "corrected", "written_off"},
                 "a missing item is located or written off; any other finding corrected"},
                Sealed({"reason", FieldType::kText, true})},
     .check = CheckResolve,
     .load = LoadNamedInspection,
     .apply = ApplyResolve,
     .note = "located or corrected by an inspector who may inspect the item; written off by two "
             "security managers; never by whoever has the item in their custody"},
  };
  return kKinds;
}

}  // namespace

std::span<const EventKind> InspectionKinds() { return Kinds(); }

}  // namespace strongroom::oversight
