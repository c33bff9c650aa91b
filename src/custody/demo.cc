#include "custody/demo.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "auth/credentials.h"
#include "base/clock.h"
#include "base/encoding.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "custody/data_dir.h"
#include "custody/model.h"
#include "custody/signing.h"

namespace strongroom {
namespace {

// Sets the fields of one of the demo's own events (set after its type):
// they are constants of this file, valid by construction.
void Fill(Event* e, const Json& fields) {
  Status st = SetFields(e, fields);
  SR_CHECK(st.ok());
}

constexpr const char* kAdmin = "P-ADMIN";
constexpr const char* kInspector = "I-001";
constexpr const char* kFacilities[][2] = {{"F-HQ", "Central Evidence and Records Store"},
                                          {"F-NORTH", "North Division Property Room"}};
constexpr const char* kLocationKinds[] = {"vault", "safe",  "safe", "shelf",
                                          "shelf", "shelf", "bin"};
constexpr int kCustodiansPerFacility = 3;
constexpr int kOfficers = 48;
constexpr const char* kCompartments[] = {"ORCHID", "LANTERN", "GRANITE"};
constexpr const char* kUnits[] = {"Fraud", "Narcotics", "Cyber", "Records", "Legal"};
constexpr const char* kItemTypes[] = {"mobile phone", "laptop",   "USB drive", "cash",
                                      "documents",    "SIM card", "hard disk"};
constexpr const char* kDocTitles[] = {"Operations order", "Source report", "Threat assessment",
                                      "Inspection plan",  "Budget annex",  "Liaison minutes"};
constexpr const char* kDestroyMethods[] = {"shredding (DIN 66399 P-5)", "incineration",
                                           "degaussing and shredding"};

bool IsDemoFacility(const std::string& id) {
  return std::any_of(std::begin(kFacilities), std::end(kFacilities),
                     [&](const auto& f) { return id == f[0]; });
}

// Demo people's personal keys derive from their public names: fine for a
// demonstration, never for real people (whose keys come from `person add`).
Ed25519PrivateKey DemoKey(const std::string& person) {
  const Hash seed = Sha256("strongroom demo personal key " + person);
  return Ed25519PrivateKey::FromSeed(
             std::string_view(reinterpret_cast<const char*>(seed.bytes.data()), 32))
      .value();
}

struct DemoPerson {
  std::string id;
  std::string facility;  // custodians only
  int clearance = 0;
  std::vector<std::string> compartments;
  bool custodian = false;
};

struct DemoHolding {
  std::string id;
  std::string facility;
  std::string location;
  HoldingStatus status = HoldingStatus::kInStore;
  std::string holder;
  bool evidence = false;
  bool destroyable = false;
  int classification = 0;
  std::vector<std::string> compartments;
};

class Generator {
 public:
  Generator(Sequencer* seq, Store* store, uint64_t seed, std::function<void(const Receipt&)> on_ack,
            size_t remember)
      : seq_(seq),
        store_(store),
        rng_(seed),
        on_ack_(std::move(on_ack)),
        remember_(std::max<size_t>(remember, 64)) {}

  Status LoadOrCreateOrganisation(DemoStats* stats);
  Status Run(uint64_t events, size_t window, DemoStats* stats);

 private:
  // One round of events in flight, and what the generator needs to learn
  // from their answers.
  static constexpr size_t kNewHolding = SIZE_MAX, kNotAHolding = SIZE_MAX - 1;
  struct Round {
    std::vector<Event> submitted;
    std::vector<size_t> touched;  // holding slot per event, or kNewHolding / kNotAHolding
    std::vector<size_t> slots;    // the existing holdings it touches
    std::vector<DemoHolding> fresh;
    std::vector<std::future<Result<Receipt>>> futures;
  };
  // Generates up to `want` events on holdings not `busy`, and submits them.
  Round NextRound(size_t want, const std::vector<bool>& busy);
  // Waits for a round's answers and learns from them.
  // Answers of `round`; `next` is the round submitted after it, in flight.
  Status Collect(Round* round, const Round* next, uint64_t* done, DemoStats* stats);
  uint64_t Pick(uint64_t n) { return rng_.Uniform(n); }
  // Signed by their actors (the demo people's keys), each actor's events
  // of a round with one signature, as a client sending a batch would; the
  // nonces come from the system's generator, so two runs with one seed
  // never repeat one. Approvals carry their signatures already.
  std::vector<Event> Signed(std::vector<Event> events) {
    std::map<std::string, std::vector<Event*>> by_actor;
    for (Event& e : events) {
      if (e.signatures.empty()) by_actor[e.actor].push_back(&e);
    }
    for (auto& [actor, batch] : by_actor) {
      auto key = keys_.find(actor);
      if (key == keys_.end()) key = keys_.emplace(actor, DemoKey(actor)).first;
      SignEvents(seq_->origin(), key->second, SystemRandom(), batch);
    }
    return events;
  }
  std::string LocationId(const std::string& facility, int i) {
    return facility.substr(2) + "-" + std::string(kLocationKinds[i]) + "-" + std::to_string(i + 1);
  }
  const DemoPerson& Custodian(const std::string& facility) {
    std::vector<const DemoPerson*> c;
    for (const auto& p : people_) {
      if (p.custodian && p.facility == facility) c.push_back(&p);
    }
    return *c[Pick(c.size())];
  }
  // A person cleared for `h` (other than `not_id`), or null.
  const DemoPerson* ClearedFor(const DemoHolding& h, const std::string& not_id) {
    for (int tries = 0; tries < 32; ++tries) {
      const DemoPerson& p = people_[Pick(people_.size())];
      if (p.id == not_id || p.clearance < h.classification) continue;
      bool ok = std::all_of(h.compartments.begin(), h.compartments.end(), [&](const auto& c) {
        return std::find(p.compartments.begin(), p.compartments.end(), c) != p.compartments.end();
      });
      if (ok) return &p;
    }
    return nullptr;
  }
  std::string Due(int days) {
    return FormatRfc3339(SystemClock()->Now() + int64_t{days} * 86400 * 1000000);
  }
  Status SubmitAll(std::vector<Event> events, std::vector<Result<Receipt>>* out) {
    std::vector<std::future<Result<Receipt>>> futures;
    for (auto& e : Signed(std::move(events))) futures.push_back(seq_->SubmitAsync(std::move(e)));
    for (auto& f : futures) {
      out->push_back(f.get());
      if (on_ack_ && out->back().ok()) on_ack_(*out->back());
    }
    return OkStatus();
  }
  Event Register(DemoHolding* h);
  // An event for a random existing holding; false if none fits. May first
  // add events to `before` (the need-to-know grant a check-out relies on).
  bool Next(DemoHolding* h, Event* e, std::vector<Event>* before);
  // Need-to-know for `person` on `holding`, unless this run granted it already.
  void GrantFor(const std::string& person, const std::string& holding, std::vector<Event>* out) {
    // Bounded: past the cap the generator forgets what it granted (a grant
    // given twice is still a valid event).
    if (granted_.size() >= remember_) granted_.clear();
    if (!granted_.emplace(person, holding).second) return;
    Event g;
    g.type = EventType::kGrantAdd;
    g.actor = kAdmin;
    Fill(&g, {{"person", person}, {"scope", "holding"}, {"target", holding}, {"expires", Due(90)}});
    out->push_back(std::move(g));
  }
  // The approval of a pending request by a custodian other than the actor.
  Event Approval(Event e, uint64_t request_index, const std::string& facility) {
    const DemoPerson* second = nullptr;
    for (const auto& p : people_) {
      if (p.custodian && p.facility == facility && p.id != e.actor) second = &p;
    }
    // The requested event itself, under the key its request was sealed
    // with (so that it commits to what was requested), signed by the second
    // person instead of its actor.
    Event approval;
    approval.type = e.type;
    approval.actor = e.actor;
    approval.holdings = e.holdings;
    approval.fields = e.fields;
    approval.seal_key = e.seal_key;
    approval.basis = static_cast<int64_t>(request_index);
    SignAsWith(seq_->origin(), second->id, DemoKey(second->id), &approval);
    return approval;
  }

  Sequencer* seq_;
  Store* store_;
  std::map<std::string, Ed25519PrivateKey> keys_;  // of the demo people, as they act
  SeededRandom rng_;
  std::function<void(const Receipt&)> on_ack_;
  std::vector<DemoPerson> people_;
  // What the generator remembers is bounded (see Collect).
  const size_t remember_;
  std::set<std::pair<std::string, std::string>> granted_;  // (person, holding)
  std::vector<DemoHolding> holdings_;
  uint64_t next_number_ = 0;
  // Approvals to submit first in the next round: requests opened this round.
  std::vector<Event> approvals_;
};

Status Generator::LoadOrCreateOrganisation(DemoStats* stats) {
  // People: the roster is fixed, so it is rebuilt the same way every run.
  for (size_t f = 0; f < 2; ++f) {
    for (int i = 0; i < kCustodiansPerFacility; ++i) {
      DemoPerson p;
      p.id = "C-" + std::string(kFacilities[f][0]).substr(2) + "-" + std::to_string(i + 1);
      p.facility = kFacilities[f][0];
      p.clearance = 4;
      p.compartments = {kCompartments[0], kCompartments[1], kCompartments[2]};
      p.custodian = true;
      people_.push_back(p);
    }
  }
  for (int i = 0; i < kOfficers; ++i) {
    DemoPerson p;
    char id[16];
    std::snprintf(id, sizeof id, "O-%03d", i + 1);
    p.id = id;
    p.clearance = 1 + i % 4;
    for (int c = 0; c < 3; ++c) {
      if ((i >> c) & 1) p.compartments.push_back(kCompartments[c]);
    }
    people_.push_back(p);
  }

  // Set-up events not yet in the store (a killed run may have stopped
  // half-way through them).
  {
    std::vector<Event> setup;
    // Everyone but the founder enrols their own key with the code their
    // person.add committed to (or, if a killed run left them unenrolled, a
    // new code from a person.update).
    std::vector<std::pair<std::string, std::string>> codes;  // person, code
    auto add = [&](EventType t, Json fields) -> Status {
      const bool person = t == EventType::kPersonAdd;
      const size_t table = person                         ? kPeopleTable
                           : t == EventType::kFacilityAdd ? kFacilitiesTable
                                                          : kLocationsTable;
      const char* key = person ? "person" : t == EventType::kFacilityAdd ? "facility" : "location";
      const std::string id = fields[key].get<std::string>();
      SR_ASSIGN_OR_RETURN(std::optional<Row> row, store_->GetRow(table, {id}));
      Event e;
      e.actor = kAdmin;
      if (row) {
        if (!person || id == kAdmin) return OkStatus();
        SR_ASSIGN_OR_RETURN(std::string_view text, RowText(*row));
        SR_ASSIGN_OR_RETURN(Person p, PersonFromText(text));
        if (!p.public_key.empty()) return OkStatus();
        e.type = EventType::kPersonUpdate;
        SR_RETURN_IF_ERROR(SetFields(&e, {{"person", id}}));
      } else {
        e.type = t;
        SR_RETURN_IF_ERROR(SetFields(&e, fields));
      }
      if (person && id != kAdmin) codes.emplace_back(id, IssueEnrolmentCode(&e, SystemRandom()));
      setup.push_back(std::move(e));
      return OkStatus();
    };
    SR_RETURN_IF_ERROR(
        add(EventType::kPersonAdd,
            {{"person", kAdmin},
             {"name", "Dana Whitfield"},
             {"unit", "Security Office"},
             {"roles", {kRoleAdministrator, kRoleSecurityManager}},
             {"clearance", "TOP SECRET"},
             {"compartments", {kCompartments[0], kCompartments[1], kCompartments[2]}},
             {"public_key", Base64Encode(DemoKey(kAdmin).public_key())}}));
    for (const auto& f : kFacilities)
      SR_RETURN_IF_ERROR(add(EventType::kFacilityAdd, {{"facility", f[0]}, {"name", f[1]}}));
    for (const auto& f : kFacilities) {
      for (int i = 0; i < 7; ++i) {
        SR_RETURN_IF_ERROR(add(EventType::kLocationAdd, {{"location", LocationId(f[0], i)},
                                                         {"facility", f[0]},
                                                         {"name", std::string(kLocationKinds[i]) +
                                                                      " " + std::to_string(i + 1)},
                                                         {"kind", kLocationKinds[i]}}));
      }
    }
    for (const auto& p : people_) {
      Json fields = {{"person", p.id},
                     {"name", p.custodian ? "Custodian " + p.id : "Officer " + p.id},
                     {"unit", p.custodian ? "Property and Evidence" : kUnits[p.id.back() % 5]},
                     {"roles", p.custodian ? std::vector<std::string>{kRoleCustodian, kRoleHolder}
                                           : std::vector<std::string>{kRoleHolder}},
                     {"clearance", Levels()[static_cast<size_t>(p.clearance)]},
                     {"compartments", p.compartments}};
      if (p.custodian) fields["facility"] = p.facility;
      SR_RETURN_IF_ERROR(add(EventType::kPersonAdd, std::move(fields)));
    }
    SR_RETURN_IF_ERROR(
        add(EventType::kPersonAdd,
            {{"person", kInspector},
             {"name", "Inspector Morgan Reyes"},
             {"unit", "Inspectorate"},
             {"roles", {kRoleInspector}},
             {"clearance", "TOP SECRET"},
             {"compartments", {kCompartments[0], kCompartments[1], kCompartments[2]}}}));
    // The founding administrator must exist before the others: submit it alone.
    size_t from = 0;
    if (!setup.empty() && setup.front().Field("person") == kAdmin) {
      Result<Receipt> first = seq_->Submit(std::move(Signed({setup.front()}).front()));
      if (!first.ok()) return first.status();
      from = 1;
    }
    std::vector<Result<Receipt>> results;
    SR_RETURN_IF_ERROR(SubmitAll(std::vector<Event>(setup.begin() + from, setup.end()), &results));
    for (auto& r : results) {
      if (!r.ok()) return r.status().Annotate("demo setup: ");
    }
    std::vector<Event> enrolments;
    for (const auto& [id, code] : codes) {
      Event e;
      e.type = EventType::kPersonEnrol;
      e.actor = id;
      SR_RETURN_IF_ERROR(SetFields(&e, {{"person", id},
                                        {"code", code},
                                        {"public_key", Base64Encode(DemoKey(id).public_key())}}));
      enrolments.push_back(std::move(e));
    }
    results.clear();
    SR_RETURN_IF_ERROR(SubmitAll(std::move(enrolments), &results));
    for (auto& r : results) {
      if (!r.ok()) return r.status().Annotate("demo enrolment: ");
    }
    stats->setup_events = setup.size() + codes.size();
  }

  // Existing holdings, from a previous run: those with an event among the
  // last kWorkingSet entries (on a large store, the older ones are left as
  // they are, so that starting a run does not cost a parse of every record).
  // Holdings the demo did not make (at a facility of someone else's, with
  // nobody the demo knows to guard them) are left alone.
  constexpr int64_t kWorkingSet = 1 << 18;
  const int64_t recent = std::max<int64_t>(0, static_cast<int64_t>(seq_->size()) - kWorkingSet);
  SR_RETURN_IF_ERROR(store_->QueryRows(
      kHoldingsTable, {{"last_index", recent, FilterOp::kGe}}, 0, [&](const Row& row) {
        SR_ASSIGN_OR_RETURN(std::string_view text, RowText(row));
        SR_ASSIGN_OR_RETURN(Holding h, HoldingFromText(text));
        if (!IsDemoFacility(h.facility)) return OkStatus();
        DemoHolding d{h.id,
                      h.facility,
                      h.location,
                      h.status,
                      h.holder,
                      h.kind == "evidence",
                      h.kind == "document" || h.disposition == "destroy",
                      LevelRank(h.classification).ok() ? *LevelRank(h.classification) : 0,
                      h.compartments};
        holdings_.push_back(std::move(d));
        return OkStatus();
      }));
  next_number_ = holdings_.size();
  return OkStatus();
}

Event Generator::Register(DemoHolding* h) {
  const auto& f = kFacilities[Pick(2)];
  h->facility = f[0];
  h->location = LocationId(f[0], static_cast<int>(Pick(7)));
  h->status = HoldingStatus::kInStore;
  h->evidence = Pick(2) == 0;
  Event e;
  e.type = EventType::kHoldingRegister;
  e.actor = Custodian(h->facility).id;
  const uint64_t n = ++next_number_;
  if (h->evidence) {
    const char* disposition = Pick(3) == 0 ? "return" : (Pick(2) ? "destroy" : "retain");
    h->destroyable = std::string(disposition) == "destroy";
    const char* item = kItemTypes[Pick(std::size(kItemTypes))];
    Json fields = {
        {"kind", "evidence"},
        {"title", std::string(item) + " seized in case " + std::to_string(2026000 + n / 7)},
        {"location", h->location},
        {"case_number", "CASE-" + std::to_string(2026000 + n / 7)},
        {"item_type", item},
        {"seized_at", Due(-static_cast<int>(Pick(60)) - 1)},
        {"seized_place", "Search of premises, warrant " + std::to_string(1000 + Pick(9000))},
        {"disposition", disposition},
        {"disposition_due", Due(30 + static_cast<int>(Pick(300)))}};
    if (std::string(item) == "mobile phone") {
      fields["identifiers"] = {
          {"imei", "35" + std::to_string(100000000000ULL + Pick(899999999999ULL))}};
    }
    Fill(&e, fields);
  } else {
    h->destroyable = true;
    h->classification = static_cast<int>(Pick(5));
    if (h->classification >= 3 && Pick(3) == 0) h->compartments = {kCompartments[Pick(3)]};
    const int64_t total = 1 + static_cast<int64_t>(Pick(5));
    Json fields = {
        {"kind", "document"},
        {"title", std::string(kDocTitles[Pick(std::size(kDocTitles))]) + " " + std::to_string(n)},
        {"location", h->location},
        {"classification", Levels()[static_cast<size_t>(h->classification)]},
        {"originator", kUnits[Pick(5)]},
        {"copy_number", 1 + static_cast<int64_t>(Pick(static_cast<uint64_t>(total)))},
        {"copies_total", total}};
    if (!h->compartments.empty()) fields["compartments"] = h->compartments;
    Fill(&e, fields);
  }
  return e;
}

bool Generator::Next(DemoHolding* h, Event* e, std::vector<Event>* before) {
  if (h->status == HoldingStatus::kDestroyed) return false;
  e->holdings = {h->id};
  e->fields = Fields();
  const uint64_t roll = Pick(100);
  if (h->status == HoldingStatus::kInStore) {
    if (roll < 55) {
      const DemoPerson* to = ClearedFor(*h, "");
      if (!to) return false;
      e->type = EventType::kCheckOut;
      e->actor = Custodian(h->facility).id;
      Fill(e, {{"to", to->id},
               {"purpose", "case work"},
               {"due_back", Due(1 + static_cast<int>(Pick(14)))}});
      GrantFor(to->id, h->id, before);
      h->status = HoldingStatus::kCheckedOut;
      h->holder = to->id;
    } else if (roll < 85 || !h->destroyable) {
      std::string loc;
      do {
        loc = LocationId(h->facility, static_cast<int>(Pick(7)));
      } while (loc == h->location);
      e->type = EventType::kMove;
      e->actor = Custodian(h->facility).id;
      Fill(e, {{"location", loc}});
      h->location = loc;
    } else {
      e->type = EventType::kDestroy;
      e->actor = Custodian(h->facility).id;
      Fill(e, {{"method", kDestroyMethods[Pick(3)]}});
      h->status = HoldingStatus::kDestroyed;
    }
  } else {
    if (roll < 80) {
      e->type = EventType::kCheckIn;
      e->actor = Custodian(h->facility).id;
      h->status = HoldingStatus::kInStore;
      h->holder.clear();
    } else {
      const DemoPerson* to = ClearedFor(*h, h->holder);
      if (!to) return false;
      e->type = EventType::kTransfer;
      e->actor = h->holder;
      Fill(e, {{"to", to->id}});
      GrantFor(to->id, h->id, before);
      h->holder = to->id;
    }
  }
  return true;
}

Generator::Round Generator::NextRound(size_t want, const std::vector<bool>& busy) {
  Round round;
  std::vector<bool> used = busy;
  used.resize(holdings_.size(), false);
  // Approvals of requests answered since go first, before anything else in
  // the round touches their holdings.
  for (auto& a : approvals_) {
    round.submitted.push_back(std::move(a));
    round.touched.push_back(kNotAHolding);
  }
  approvals_.clear();
  for (size_t tries = 0; round.submitted.size() < want && tries < want * 4; ++tries) {
    const bool register_new = holdings_.size() < 64 || Pick(100) < 30;
    if (register_new) {
      DemoHolding h;
      round.submitted.push_back(Register(&h));
      round.touched.push_back(kNewHolding);
      round.fresh.push_back(std::move(h));
      continue;
    }
    const size_t slot = Pick(holdings_.size());
    if (used[slot]) continue;
    Event e;
    std::vector<Event> before;
    DemoHolding copy = holdings_[slot];
    if (!Next(&copy, &e, &before)) continue;
    used[slot] = true;
    round.slots.push_back(slot);
    holdings_[slot] = std::move(copy);
    for (auto& b : before) {
      round.submitted.push_back(std::move(b));
      round.touched.push_back(kNotAHolding);
    }
    round.submitted.push_back(std::move(e));
    round.touched.push_back(slot);
  }
  // Signed in place: an approval of one of them later is sealed under the
  // same key (Approval).
  round.submitted = Signed(std::move(round.submitted));
  for (const Event& e : round.submitted) round.futures.push_back(seq_->SubmitAsync(e));
  return round;
}

Status Generator::Collect(Round* round, const Round* next, uint64_t* done, DemoStats* stats) {
  // The generator's memory is bounded, so that the demo's resident size is
  // the service's: past the cap, a new holding takes the place of a random
  // one that neither round touches (the holding forgotten stays in the store
  // as it is).
  std::vector<bool> in_flight;  // made when first needed
  auto keep = [&](DemoHolding h) {
    if (holdings_.size() < remember_) return holdings_.push_back(std::move(h));
    if (in_flight.empty()) {
      in_flight.resize(holdings_.size(), false);
      for (size_t slot : round->slots) in_flight[slot] = true;
      if (next) {
        for (size_t slot : next->slots) in_flight[slot] = true;
      }
    }
    for (int tries = 0; tries < 16; ++tries) {
      const size_t slot = Pick(holdings_.size());
      if (in_flight[slot]) continue;
      holdings_[slot] = std::move(h);
      return;
    }
  };
  size_t fresh_i = 0;
  for (size_t i = 0; i < round->futures.size(); ++i) {
    Result<Receipt> r = round->futures[i].get();
    if (on_ack_ && r.ok()) on_ack_(*r);
    if (round->touched[i] == kNewHolding) {
      DemoHolding& h = round->fresh[fresh_i++];
      if (r.ok()) {
        h.id = r->holding;
        keep(std::move(h));
      }
    }
    if (r.ok() && r->outcome == Outcome::kPending && round->touched[i] < holdings_.size()) {
      // Approved by a custodian of the holding's facility. (Other pending
      // requests — on a store this demo did not make — are left open.)
      approvals_.push_back(Approval(round->submitted[i], r->index,
                                    holdings_[round->touched[i]].facility));
    }
    if (r.ok() && r->outcome != Outcome::kDenied) {
      ++*done;
    } else if (r.ok()) {
      ++stats->refused;
    } else {
      if (r.status().code() == StatusCode::kInternal ||
          r.status().code() == StatusCode::kDataLoss) {
        return r.status();
      }
      ++stats->refused;
    }
  }
  return OkStatus();
}

// Two rounds in flight: the next is generated (from holdings the one in
// flight does not touch) while the sequencer works on the last, so the
// generator and the sequencer run side by side instead of taking turns.
Status Generator::Run(uint64_t events, size_t window, DemoStats* stats) {
  const size_t half = std::max<size_t>(1, window / 2);
  uint64_t done = 0, submitted = 0;
  int idle_rounds = 0;
  std::optional<Round> in_flight;
  while (done < events) {
    const uint64_t done_before = done;
    std::optional<Round> next;
    if (submitted < events + stats->refused) {
      std::vector<bool> busy(holdings_.size(), false);
      if (in_flight) {
        for (size_t slot : in_flight->slots) busy[slot] = true;
      }
      const uint64_t left = events + stats->refused - submitted;
      next = NextRound(static_cast<size_t>(std::min<uint64_t>(half, left)), busy);
      submitted += next->submitted.size();
    }
    if (in_flight) {
      SR_RETURN_IF_ERROR(Collect(&*in_flight, next ? &*next : nullptr, &done, stats));
    }
    in_flight = std::move(next);
    if (!in_flight && done < events) {
      submitted = done + stats->refused;  // everything answered: top up what was refused
    }
    idle_rounds = done == done_before ? idle_rounds + 1 : 0;
    if (idle_rounds > 16) {
      return Internal("the demo generator made no progress in 16 rounds (" +
                      std::to_string(stats->refused) + " events refused)");
    }
  }
  if (in_flight) SR_RETURN_IF_ERROR(Collect(&*in_flight, nullptr, &done, stats));
  stats->custody_events = done;
  return OkStatus();
}

}  // namespace

Result<DemoStats> RunDemo(Sequencer* sequencer, Store* store, uint64_t events, uint64_t seed,
                          size_t window, const std::function<void(const Receipt&)>& on_ack,
                          size_t remember) {
  DemoStats stats;
  Generator g(sequencer, store, seed, on_ack, remember);
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  const auto start = std::chrono::steady_clock::now();
  SR_RETURN_IF_ERROR(g.LoadOrCreateOrganisation(&stats));
  stats.setup_seconds = seconds_since(start);
  const auto run = std::chrono::steady_clock::now();
  SR_RETURN_IF_ERROR(g.Run(events, window, &stats));
  stats.seconds = seconds_since(run);
  stats.log_size = sequencer->size();
  return stats;
}

std::vector<std::string> DemoLogins() {
  return {kAdmin, "C-HQ-1", "C-NORTH-1", "O-001", kInspector};
}

Status EnrolDemoLogins(Store* store, std::string_view secret, Random* random) {
  std::vector<RowWrite> rows;
  for (const std::string& person : DemoLogins()) {
    SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kPeopleTable, {person}));
    if (!row) return FailedPrecondition("the demo organisation has no " + person + " yet");
    SR_ASSIGN_OR_RETURN(Credential c, SealCredential(person, secret, DemoKey(person), random));
    rows.push_back({kCredentialsTable, ToRow(c)});
  }
  return store->PutRows(rows);
}

Result<PlantedStory> PlantMisconduct(Sequencer* sequencer, Store* store, Clock* clock) {
  PlantedStory story;
  story.custodian = "C-NORTH-1";
  story.facility = "F-NORTH";
  story.location = "NORTH-cage";
  const std::string officer = "O-001";
  auto submit = [&](Event e) -> Status {
    SignEvent(sequencer->origin(), DemoKey(e.actor), SystemRandom(), &e);
    SR_ASSIGN_OR_RETURN(Receipt r, sequencer->Submit(std::move(e)));
    if (r.outcome != Outcome::kAccepted) {
      return Internal("the planted story was not accepted: " +
                      (r.reasons.empty() ? std::string("pending") : r.reasons[0]));
    }
    return OkStatus();
  };
  SR_ASSIGN_OR_RETURN(auto cage, store->GetRow(kLocationsTable, {story.location}));
  if (!cage) {
    Event e;
    e.type = EventType::kLocationAdd;
    e.actor = kAdmin;
    Fill(&e, {{"location", story.location}, {"facility", story.facility},
              {"name", "Destruction cage"}, {"kind", "room"}});
    SR_RETURN_IF_ERROR(submit(std::move(e)));
  }
  // Ids of this run's own (a second run plants a second story).
  const std::string run = std::to_string(sequencer->size());
  // Each phone is due two seconds after it is registered, however slow the
  // disk; the story's deadline is the last of them.
  int64_t deadline = 0;
  for (int i = 1; i <= 6; ++i) {
    deadline = clock->Now() + 2000000;
    story.deadline = FormatRfc3339(deadline);
    const std::string id = "PHONE-" + run + "-" + std::to_string(i);
    story.phones.push_back(id);
    if (i <= 3) story.kept.push_back(id);
    Event e;
    e.type = EventType::kHoldingRegister;
    e.actor = story.custodian;
    e.holdings = {id};
    Fill(&e, {{"kind", "evidence"},
              {"title", "Mobile phone seized in case CASE-2026-0666"},
              {"location", story.location},
              {"case_number", "CASE-2026-0666"},
              {"item_type", "mobile phone"},
              {"identifiers", {{"imei", "3569380356438" + std::to_string(10 + i)}}},
              {"seized_at", FormatRfc3339(clock->Now() - 200LL * 24 * 3600 * 1000000)},
              {"seized_place", "Search of a shop, warrant 6666"},
              {"disposition", "destroy"},
              {"disposition_due", story.deadline}});
    SR_RETURN_IF_ERROR(submit(std::move(e)));
  }
  Event grant;
  grant.type = EventType::kGrantAdd;
  grant.actor = kAdmin;
  Fill(&grant, {{"person", officer}, {"scope", "case"}, {"target", "CASE-2026-0666"},
                {"expires", FormatRfc3339(clock->Now() + 90LL * 24 * 3600 * 1000000)}});
  SR_RETURN_IF_ERROR(submit(std::move(grant)));
  while (clock->Now() <= deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // Past the deadline: out and back, on paper, three times each.
  for (int round = 0; round < 3; ++round) {
    for (const std::string& id : story.kept) {
      Event out;
      out.type = EventType::kCheckOut;
      out.actor = story.custodian;
      out.holdings = {id};
      Fill(&out, {{"to", officer},
                  {"purpose", "case work"},
                  {"due_back", FormatRfc3339(clock->Now() + 24LL * 3600 * 1000000)}});
      SR_RETURN_IF_ERROR(submit(std::move(out)));
      Event in;
      in.type = EventType::kCheckIn;
      in.actor = story.custodian;
      in.holdings = {id};
      SR_RETURN_IF_ERROR(submit(std::move(in)));
    }
  }
  return story;
}

Json ToJson(const PlantedStory& story) {
  return {{"custodian", story.custodian}, {"facility", story.facility},
          {"location", story.location},   {"deadline", story.deadline},
          {"phones", story.phones},       {"kept", story.kept}};
}

}  // namespace strongroom
