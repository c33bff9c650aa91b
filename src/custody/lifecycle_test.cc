// Every lifecycle event type through the real sequencer on a real SQLite
// store, with a fake clock: the happy path, every refusal with its words, and
// bad input. A refusal of the state or of the input writes nothing; a policy
// denial writes exactly one `denied` entry; at the end the store verifies.
// Every test runs twice: with the sequencer's projection cache kept, and with
// it dropped after every commit (each record re-read from the store), which
// must not change a single answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "base/encoding.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "custody/data_dir.h"
#include "custody/rules.h"
#include "custody/sequencer.h"
#include "custody/signing.h"
#include "custody/test_events.h"
#include "verify/audit.h"

namespace strongroom {
namespace {

// How the sequencer runs: its projection cache kept, or dropped after every
// commit; and pipelined (batch N+1 admitted while N commits, loads through
// a second handle on the store) or not.
struct SequencerMode {
  size_t max_cached_records;
  bool pipelined;
  const char* name;
};

class LifecycleTest : public ::testing::TestWithParam<SequencerMode> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '-');
    dir_ = std::string(::testing::TempDir()) + "strongroom-lifecycle-" + name;
    std::filesystem::remove_all(dir_);
    auto data = DataDir::Init(dir_, "lifecycle.example/log", &random_);
    ASSERT_TRUE(data.ok()) << data.status().message();
    data_ = std::move(*data);
    auto signer = data_->signer();
    ASSERT_TRUE(signer.ok());
    SequencerOptions options;
    options.max_cached_records = GetParam().max_cached_records;
    if (GetParam().pipelined) {
      auto reads = data_->OpenReadStore();
      ASSERT_TRUE(reads.ok()) << reads.status().message();
      reads_ = std::move(*reads);
      options.read_store = reads_.get();
    }
    auto seq = Sequencer::Start(data_->store(), *signer, &clock_, &random_, options);
    ASSERT_TRUE(seq.ok()) << seq.status().message();
    seq_ = std::move(*seq);

    AddPerson("ADM", "administrator,security_manager", "TOP SECRET", "Security", "");
    Accept(Ev(EventType::kFacilityAdd, "ADM", {}, {{"facility", "HQ"}, {"name", "HQ"}}));
    Accept(Ev(EventType::kFacilityAdd, "ADM", {}, {{"facility", "NORTH"}, {"name", "North"}}));
    for (auto [loc, fac] : {std::pair{"V1", "HQ"}, {"S1", "HQ"}, {"N1", "NORTH"}}) {
      Accept(Ev(EventType::kLocationAdd, "ADM", {},
                {{"location", loc}, {"facility", fac}, {"name", loc}, {"kind", "safe"}}));
    }
    AddPerson("CUS", "custodian,holder", "TOP SECRET", "Registry", "HQ");
    AddPerson("CUS2", "custodian", "TOP SECRET", "Registry", "HQ");
    AddPerson("NCUS", "custodian", "TOP SECRET", "North", "NORTH");
    AddPerson("OFF", "holder", "SECRET", "Ops", "");
    AddPerson("OPS2", "holder", "SECRET", "Ops", "");
    AddPerson("INS", "inspector", "TOP SECRET", "Inspectorate", "");
    AddPerson("SM2", "security_manager", "TOP SECRET", "Security", "");
    Register("DOC", "document", "V1", {{"classification", "SECRET"}, {"copies_total", 2}});
    Register("OPEN", "document", "V1", {});
    Register("BOX", "container", "S1", {});
    Register("EVD", "evidence", "S1",
             {{"case_number", "CASE-1"}, {"item_type", "phone"}, {"disposition", "destroy"}});
    Register("EVR", "evidence", "S1",
             {{"case_number", "CASE-1"}, {"item_type", "wallet"}, {"disposition", "return"}});
    Register("NDOC", "document", "N1", {}, "NCUS");
    for (const char* p : {"CUS", "CUS2"}) {
      Accept(
          Ev(EventType::kGrantAdd, "ADM", {},
             {{"person", p}, {"scope", "holding"}, {"target", "DOC"}, {"expires", "2027-06-01"}}));
    }
  }

  // ---- Building events.

  // An event as every client (the CLI, the service) builds it: its fields
  // set from JSON, which refuses fields the event's kind does not take.
  struct Submission {
    Event event;
    Status fields;
    operator Event() const {  // where the fields must have been fine
      if (!fields.ok()) ADD_FAILURE() << fields.message();
      return event;
    }
  };
  Submission Ev(EventType type, const std::string& actor, std::vector<std::string> holdings,
                Json fields) {
    Submission s;
    s.event.type = type;
    s.event.actor = actor;
    s.event.holdings = std::move(holdings);
    s.fields = SetFields(&s.event, fields.is_null() ? Json::object() : fields);  // `{}` is null
    return s;
  }
  void AddPerson(const std::string& id, const std::string& roles, const std::string& clearance,
                 const std::string& unit, const std::string& facility) {
    keys_.emplace(id, testing::TestKey(id));
    Json f = {{"person", id},
              {"name", "Person " + id},
              {"unit", unit},
              {"roles", Split(roles)},
              {"clearance", clearance}};
    if (!facility.empty()) f["facility"] = facility;
    if (id == "ADM") {  // the founder brings their own key
      f["public_key"] = Base64Encode(keys_.at(id).public_key());
      Accept(Ev(EventType::kPersonAdd, "ADM", {}, f));
      return;
    }
    for (const Event& e : testing::AddAndEnrol("ADM", f)) Accept(e);
  }
  void Register(const std::string& id, const std::string& kind, const std::string& location,
                Json extra, const std::string& actor = "CUS") {
    extra["kind"] = kind;
    extra["title"] = "Item " + id;
    extra["location"] = location;
    Accept(Ev(EventType::kHoldingRegister, actor, {id}, extra));
  }
  static std::vector<std::string> Split(const std::string& list) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      out.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
    return out;
  }
  // `e` signed by each of `who` as an answer to the entry `basis`.
  Event Signed(Event e, int64_t basis, const std::vector<std::string>& who) {
    e.basis = basis;
    for (const auto& p : who) SignAsWith(seq_->origin(), p, keys_.at(p), &e);
    return e;
  }

  // ---- Submitting, with what must (not) have been written.

  Receipt Accept(const Event& e) {
    const uint64_t before = seq_->size();
    clock_.Advance(1000000);
    auto r = seq_->Submit(testing::Signed(seq_->origin(), e));
    EXPECT_TRUE(r.ok()) << EventTypeName(e.type) << ": " << r.status().message();
    if (!r.ok()) return {};
    EXPECT_EQ(r->outcome, Outcome::kAccepted)
        << EventTypeName(e.type) << ": " << (r->reasons.empty() ? "" : r->reasons[0]);
    EXPECT_EQ(seq_->size(), before + 1);
    return *r;
  }
  // Refused for its fields (by SetFields, before the sequencer sees it),
  // or for its other input or the state: the words, and nothing written.
  void Refused(const Submission& s, const std::string& words) {
    if (s.fields.ok()) return Refused(s.event, words);
    EXPECT_EQ(s.fields.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.fields.message().find(words), std::string::npos)
        << "want '" << words << "', got: " << s.fields.message();
  }
  void Refused(const Event& e, const std::string& words) {
    const uint64_t before = seq_->size();
    clock_.Advance(1000000);
    auto r = seq_->Submit(testing::Signed(seq_->origin(), e));
    ASSERT_FALSE(r.ok()) << EventTypeName(e.type) << " was accepted; want '" << words << "'";
    EXPECT_NE(r.status().message().find(words), std::string::npos)
        << "want '" << words << "', got: " << r.status().message();
    EXPECT_EQ(seq_->size(), before) << words;
  }
  // Denied by the policy: one reason with the words, one `denied` entry.
  void Denied(const Event& e, const std::string& words) { Expect(e, Outcome::kDenied, words); }
  // Needs a second person: a request entry; returns its index.
  uint64_t Pending(const Event& e, const std::string& words) {
    return Expect(e, Outcome::kPending, words).index;
  }
  Receipt Expect(const Event& e, Outcome outcome, const std::string& words) {
    const uint64_t before = seq_->size();
    clock_.Advance(1000000);
    auto r = seq_->Submit(testing::Signed(seq_->origin(), e));
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) return {};
    EXPECT_EQ(r->outcome, outcome) << EventTypeName(e.type) << ": want '" << words << "'";
    bool found = false;
    for (const auto& reason : r->reasons) found |= reason.find(words) != std::string::npos;
    std::string all;
    for (const auto& reason : r->reasons) all += reason + "; ";
    EXPECT_TRUE(found) << "want '" << words << "', got: " << all;
    EXPECT_EQ(seq_->size(), before + 1);
    return *r;
  }

  Holding Get(const std::string& id) {
    Projection p(data_->store());
    EXPECT_TRUE(p.LoadHolding(id).ok());
    return p.holding(id) ? *p.holding(id) : Holding{};
  }
  template <typename T, typename Load, typename Find>
  T Record(const std::string& id, Load load, Find find) {
    Projection p(data_->store());
    EXPECT_TRUE((p.*load)(id).ok());
    const T* v = (p.*find)(id);
    EXPECT_NE(v, nullptr) << id;
    return v ? *v : T{};
  }
  Person GetPerson(const std::string& id) {
    return Record<Person>(id, &Projection::LoadPerson, &Projection::person);
  }
  Grant GetGrant(const std::string& id) {
    return Record<Grant>(id, &Projection::LoadGrant, &Projection::grant);
  }
  Dispatch GetDispatch(const std::string& id) {
    return Record<Dispatch>(id, &Projection::LoadDispatch, &Projection::dispatch);
  }
  static bool HasFlag(const Holding& h, const std::string& words) {
    for (const auto& f : h.flags) {
      if (f.find(words) != std::string::npos) return true;
    }
    return false;
  }

  void TearDown() override {
    seq_.reset();
    if (!data_) return;
    auto report = AuditStore(data_.get(), std::nullopt);
    ASSERT_TRUE(report.ok()) << report.status().message();
    std::string problems;
    for (const auto& p : report->problems) problems += p + "\n";
    EXPECT_TRUE(report->ok()) << problems;
  }

  std::string dir_;
  FakeClock clock_{*ParseRfc3339("2026-11-02T08:00:00Z")};
  SeededRandom random_{42};
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<Store> reads_;
  std::unique_ptr<Sequencer> seq_;
  std::map<std::string, Ed25519PrivateKey> keys_;
};

using T = EventType;

TEST_P(LifecycleTest, FacilityControl) {
  Refused(Ev(T::kFacilityControl, "ADM", {},
             {{"facility", "MOON"}, {"heightened", true}, {"reason", "r"}}),
          "facility MOON does not exist");
  Refused(Ev(T::kFacilityControl, "ADM", {},
             {{"facility", "HQ"}, {"heightened", false}, {"reason", "r"}}),
          "facility HQ is already out of heightened control");
  Refused(Ev(T::kFacilityControl, "ADM", {},
             {{"facility", "HQ"}, {"heightened", "yes"}, {"reason", "r"}}),
          "heightened");
  Refused(Ev(T::kFacilityControl, "ADM", {}, {{"facility", "HQ"}, {"heightened", true}}), "reason");
  Denied(Ev(T::kFacilityControl, "CUS", {},
            {{"facility", "HQ"}, {"heightened", true}, {"reason", "r"}}),
         "CUS has no role that may set heightened control (needs security_manager)");
  Accept(Ev(T::kFacilityControl, "ADM", {},
            {{"facility", "HQ"}, {"heightened", true}, {"reason", "audit"}}));
  Refused(Ev(T::kFacilityControl, "ADM", {},
             {{"facility", "HQ"}, {"heightened", true}, {"reason", "r"}}),
          "facility HQ is already under heightened control");
  // Under heightened control every action at HQ needs a second person,
  // switching it off included; at NORTH nothing changes.
  Pending(Ev(T::kMove, "CUS", {"OPEN"}, {{"location", "S1"}}),
          "facility HQ is under heightened control");
  Accept(Ev(T::kInspect, "INS", {"NDOC"}, {{"result", "seen"}}));
  // A registration without an id is numbered when its request is opened;
  // its approval carries that number, not one of its own index.
  const Event reg = Ev(T::kHoldingRegister, "CUS", {},
                       {{"kind", "document"}, {"title", "Numbered"}, {"location", "S1"}});
  const uint64_t opened = Pending(reg, "facility HQ is under heightened control");
  Event numbered = reg;
  numbered.holdings = {NumberedHoldingId(opened)};
  Accept(Signed(numbered, static_cast<int64_t>(opened), {"SM2"}));
  const Event off = Ev(T::kFacilityControl, "ADM", {},
                       {{"facility", "HQ"}, {"heightened", false}, {"reason", "over"}});
  const uint64_t request = Pending(off, "facility HQ is under heightened control");
  Accept(Signed(off, static_cast<int64_t>(request), {"SM2"}));
  Accept(Ev(T::kMove, "CUS", {"OPEN"}, {{"location", "S1"}}));
}

TEST_P(LifecycleTest, PersonChanges) {
  Refused(Ev(T::kPersonUpdate, "ADM", {}, {{"person", "NOBODY"}, {"unit", "U"}}),
          "person NOBODY does not exist");
  Refused(Ev(T::kPersonUpdate, "ADM", {}, {{"person", "OFF"}}),
          "person.update changes nothing: name at least one field");
  Refused(Ev(T::kPersonUpdate, "ADM", {}, {{"person", "OFF"}, {"roles", {"king"}}}),
          "unknown role 'king'");
  Refused(Ev(T::kPersonUpdate, "ADM", {}, {{"person", "OFF"}, {"facility", "MOON"}}),
          "facility MOON does not exist");
  Refused(Ev(T::kPersonUpdate, "ADM", {}, {{"person", "OFF"}, {"clearance", "ULTRA"}}),
          "unknown level 'ULTRA'");
  Refused(Ev(T::kPersonUpdate, "ADM", {}, {{"person", "OFF"}, {"public_key", "AAAA"}}),
          "public_key");
  Denied(Ev(T::kPersonUpdate, "ADM", {}, {{"person", "ADM"}, {"clearance", "SECRET"}}),
         "ADM may not change their own record");
  Denied(Ev(T::kPersonUpdate, "CUS", {}, {{"person", "OFF"}, {"clearance", "TOP SECRET"}}),
         "CUS has no role that may administer (needs administrator)");
  Accept(Ev(T::kPersonUpdate, "ADM", {},
            {{"person", "OFF"}, {"clearance", "TOP SECRET"}, {"compartments", {"ORCHID"}}}));
  const Person off = GetPerson("OFF");
  EXPECT_EQ(off.clearance, "TOP SECRET");
  EXPECT_EQ(off.compartments, std::vector<std::string>{"ORCHID"});
  EXPECT_EQ(off.unit, "Ops");  // fields not named stay as they were

  // Suspension: flags what the person holds; they can do nothing; reinstated.
  Accept(
      Ev(T::kGrantAdd, "ADM", {},
         {{"person", "OFF"}, {"scope", "holding"}, {"target", "DOC"}, {"expires", "2027-06-01"}}));
  Accept(Ev(T::kCheckOut, "CUS", {"DOC"},
            {{"to", "OFF"}, {"purpose", "p"}, {"due_back", "2027-01-01"}}));
  Refused(Ev(T::kPersonReinstate, "ADM", {}, {{"person", "OFF"}, {"reason", "r"}}),
          "OFF is not suspended");
  Refused(Ev(T::kPersonSuspend, "ADM", {}, {{"person", "OFF"}}), "reason");
  Denied(Ev(T::kPersonSuspend, "OFF", {}, {{"person", "OPS2"}, {"reason", "r"}}),
         "OFF has no role that may change the status of people");
  Denied(Ev(T::kPersonSuspend, "ADM", {}, {{"person", "ADM"}, {"reason", "r"}}),
         "ADM may not change their own record");
  Accept(Ev(T::kPersonSuspend, "ADM", {}, {{"person", "OFF"}, {"reason", "investigation"}}));
  EXPECT_TRUE(HasFlag(Get("DOC"), "held by OFF when suspended"));
  Refused(Ev(T::kPersonSuspend, "ADM", {}, {{"person", "OFF"}, {"reason", "r"}}),
          "OFF is already suspended");
  Denied(Ev(T::kTransfer, "OFF", {"DOC"}, {{"to", "CUS"}}), "OFF is suspended");
  Accept(Ev(T::kPersonReinstate, "SM2", {}, {{"person", "OFF"}, {"reason", "cleared"}}));
  EXPECT_EQ(GetPerson("OFF").status, PersonStatus::kActive);
  Accept(Ev(T::kTransfer, "OFF", {"DOC"}, {{"to", "CUS"}}));

  // Dismissal ends every live grant and is final.
  Accept(Ev(T::kPersonDismiss, "ADM", {}, {{"person", "OFF"}, {"reason", "misconduct"}}));
  EXPECT_EQ(GetPerson("OFF").status, PersonStatus::kDismissed);
  Grant g = GetGrant(RecordId('G', Accept(Ev(T::kGrantAdd, "ADM", {},
                                             {{"person", "OPS2"},
                                              {"scope", "case"},
                                              {"target", "CASE-9"},
                                              {"expires", "2027-06-01"}}))
                                       .index));
  EXPECT_EQ(g.status, GrantStatus::kLive);
  Refused(Ev(T::kPersonReinstate, "ADM", {}, {{"person", "OFF"}, {"reason", "r"}}),
          "OFF is dismissed");
  Refused(Ev(T::kPersonDismiss, "ADM", {}, {{"person", "OFF"}, {"reason", "r"}}),
          "OFF is dismissed");
  Refused(Ev(T::kGrantAdd, "ADM", {},
             {{"person", "OFF"}, {"scope", "case"}, {"target", "C"}, {"expires", "2027-01-01"}}),
          "OFF is dismissed; grants go to active people");
}

TEST_P(LifecycleTest, GrantsExpireAndAreRevoked) {
  const Event out = Ev(T::kCheckOut, "CUS", {"EVD"},
                       {{"to", "OFF"}, {"purpose", "lab"}, {"due_back", "2027-01-01"}});
  Denied(out, "OFF has no live need-to-know for EVD, its case or its compartments");
  const std::string g = RecordId('G', Accept(Ev(T::kGrantAdd, "ADM", {},
                                                {{"person", "OFF"},
                                                 {"scope", "case"},
                                                 {"target", "CASE-1"},
                                                 {"expires", "2026-11-03"}}))
                                          .index);
  Refused(Ev(T::kGrantAdd, "ADM", {},
             {{"person", "OFF"}, {"scope", "galaxy"}, {"target", "X"}, {"expires", "2027-01-01"}}),
          "must be one of: holding, case, compartment");
  Refused(
      Ev(T::kGrantAdd, "ADM", {},
         {{"person", "OFF"}, {"scope", "holding"}, {"target", "NOPE"}, {"expires", "2027-01-01"}}),
      "holding NOPE does not exist");
  // On time: live until the instant of expiry, then refused with its name.
  clock_.Set(*ParseRfc3339("2026-11-02T23:00:00Z"));
  Accept(out);
  Accept(Ev(T::kCheckIn, "CUS", {"EVD"}, {}));
  clock_.Set(*ParseRfc3339("2026-11-03T00:00:00Z"));
  Denied(out, "(grant " + g + " expired at 2026-11-03T00:00:00.000000Z)");

  const Event grant =
      Ev(T::kGrantAdd, "ADM", {},
         {{"person", "OFF"}, {"scope", "holding"}, {"target", "EVD"}, {"expires", "2027-06-01"}});
  const std::string g2 = RecordId('G', Accept(grant).index);
  Refused(Ev(T::kGrantRevoke, "ADM", {}, {{"grant", "G-1"}, {"reason", "r"}}),
          "grant G-1 does not exist");
  Refused(Ev(T::kGrantRevoke, "ADM", {}, {{"grant", g2}}), "reason");
  Denied(Ev(T::kGrantRevoke, "CUS", {}, {{"grant", g2}, {"reason", "r"}}),
         "CUS has no role that may grant need-to-know (needs security_manager)");
  Accept(Ev(T::kGrantRevoke, "SM2", {}, {{"grant", g2}, {"reason", "case closed"}}));
  EXPECT_EQ(GetGrant(g2).status, GrantStatus::kRevoked);
  Refused(Ev(T::kGrantRevoke, "ADM", {}, {{"grant", g2}, {"reason", "r"}}),
          "grant " + g2 + " is revoked");
  Denied(out, "OFF has no live need-to-know");
}

TEST_P(LifecycleTest, SealAndUnseal) {
  Refused(Ev(T::kSeal, "CUS", {"NOPE"}, {{"seal", "S-1"}}), "holding NOPE does not exist");
  Refused(Ev(T::kSeal, "CUS", {"BOX"}, {{"seal", "bad seal!"}}), "seal");
  Refused(Ev(T::kSeal, "CUS", {"OPEN"}, {{"seal", "S-1"}, {"contents", {"EVD"}}}),
          "OPEN is not a container; only containers have contents");
  Refused(Ev(T::kSeal, "CUS", {"BOX"}, {{"seal", "S-1"}, {"contents", {"BOX"}}}),
          "a container cannot contain itself");
  Refused(Ev(T::kSeal, "CUS", {"BOX"}, {{"seal", "S-1"}, {"contents", {"NDOC"}}}),
          "NDOC is in facility NORTH, not HQ");
  Denied(Ev(T::kSeal, "OFF", {"BOX"}, {{"seal", "S-1"}, {"contents", {"EVD"}}}),
         "OFF has no role that may seal (needs custodian)");
  Accept(Ev(T::kSeal, "CUS", {"BOX"}, {{"seal", "S-1"}, {"contents", {"EVD", "EVR"}}}));
  EXPECT_EQ(Get("BOX").contents, (std::vector<std::string>{"EVD", "EVR"}));
  EXPECT_EQ(Get("EVD").container, "BOX");
  Refused(Ev(T::kSeal, "CUS", {"BOX"}, {{"seal", "S-2"}}), "BOX is already sealed (S-1)");
  Refused(Ev(T::kMove, "CUS", {"EVD"}, {{"location", "V1"}}),
          "holding EVD is sealed in container BOX");
  Refused(Ev(T::kDestroy, "CUS2", {"BOX"}, {{"method", "m"}}),
          "container BOX is sealed with contents; unseal it");
  Refused(Ev(T::kUnseal, "CUS", {"OPEN"}, {{"seal", "S-1"}, {"condition", "intact"}}),
          "OPEN is not sealed");
  Refused(Ev(T::kUnseal, "CUS", {"BOX"}, {{"seal", "S-1"}, {"condition", "fine"}}),
          "must be one of: intact, broken");
  Denied(Ev(T::kUnseal, "INS", {"BOX"}, {{"seal", "S-1"}, {"condition", "intact"}}),
         "INS has no role that may unseal (needs custodian)");
  // The seal read at unsealing differs from the one registered, and is broken.
  Accept(Ev(T::kUnseal, "CUS2", {"BOX"}, {{"seal", "S-9"}, {"condition", "broken"}}));
  const Holding box = Get("BOX");
  EXPECT_TRUE(HasFlag(box, "seal read as S-9 at unsealing, registered as S-1"));
  EXPECT_TRUE(HasFlag(box, "seal S-1 found broken"));
  EXPECT_TRUE(box.contents.empty());
  EXPECT_EQ(Get("EVD").container, "");
  Accept(Ev(T::kMove, "CUS", {"EVD"}, {{"location", "V1"}}));
}

TEST_P(LifecycleTest, DispatchAndReceive) {
  Accept(Ev(T::kSeal, "CUS", {"BOX"}, {{"seal", "S-1"}}));
  Refused(Ev(T::kDispatch, "CUS", {"OPEN"}, {{"to_facility", "MOON"}, {"courier", "c"}}),
          "facility MOON does not exist");
  Refused(Ev(T::kDispatch, "CUS", {"OPEN"}, {{"to_facility", "HQ"}, {"courier", "c"}}),
          "OPEN is already in facility HQ");
  Refused(Ev(T::kDispatch, "CUS", {"OPEN", "NDOC"}, {{"to_facility", "NORTH"}, {"courier", "c"}}),
          "a dispatch leaves one facility; NDOC is in NORTH");
  Refused(Ev(T::kDispatch, "CUS", {"OPEN"}, {{"to_facility", "NORTH"}}), "courier");
  Refused(Ev(T::kDispatch, "CUS", {}, {{"to_facility", "NORTH"}, {"courier", "c"}}), "holding");
  Denied(Ev(T::kDispatch, "OFF", {"OPEN"}, {{"to_facility", "NORTH"}, {"courier", "c"}}),
         "OFF has no role that may dispatch (needs custodian)");
  const std::string d = RecordId('D', Accept(Ev(T::kDispatch, "CUS", {"OPEN", "BOX", "EVR"},
                                                {{"to_facility", "NORTH"}, {"courier", "Van 3"}}))
                                          .index);
  EXPECT_EQ(Get("OPEN").status, HoldingStatus::kInTransit);
  Refused(Ev(T::kMove, "CUS", {"OPEN"}, {{"location", "S1"}}),
          "holding OPEN is in transit under " + d);
  Refused(Ev(T::kDispatch, "CUS", {"OPEN"}, {{"to_facility", "NORTH"}, {"courier", "c"}}),
          "holding OPEN is in transit under " + d);

  Refused(Ev(T::kReceive, "NCUS", {"OPEN"}, {{"dispatch", "D-1"}, {"location", "N1"}}),
          "dispatch D-1 does not exist");
  Refused(Ev(T::kReceive, "NCUS", {"OPEN"}, {{"dispatch", d}, {"location", "V1"}}),
          "location V1 is not in facility NORTH");
  Refused(Ev(T::kReceive, "NCUS", {"DOC"}, {{"dispatch", d}, {"location", "N1"}}),
          "DOC is not on the manifest of " + d);
  Refused(Ev(T::kReceive, "NCUS", {"OPEN"},
             {{"dispatch", d}, {"location", "N1"}, {"seals", {{"BOX", "S-1"}}}}),
          "seal reported for BOX, which is not received");
  Denied(Ev(T::kReceive, "OFF", {"OPEN"}, {{"dispatch", d}, {"location", "N1"}}),
         "OFF has no role that may receive (needs custodian)");
  // EVR never arrives, BOX arrives under another seal: both recorded, flagged.
  Accept(Ev(T::kReceive, "NCUS", {"OPEN", "BOX"},
            {{"dispatch", d}, {"location", "N1"}, {"seals", {{"BOX", "S-7"}}}}));
  const Dispatch got = GetDispatch(d);
  EXPECT_EQ(got.status, DispatchStatus::kReceivedWithDiscrepancies);
  EXPECT_EQ(got.discrepancies,
            (std::vector<std::string>{"BOX: seal reads S-7, dispatched with seal S-1",
                                      "EVR missing from the consignment"}));
  EXPECT_EQ(Get("OPEN").facility, "NORTH");
  EXPECT_EQ(Get("OPEN").status, HoldingStatus::kInStore);
  EXPECT_EQ(Get("EVR").status, HoldingStatus::kInTransit);
  EXPECT_TRUE(HasFlag(Get("EVR"), "missing on receipt of " + d));
  EXPECT_TRUE(HasFlag(Get("BOX"), "seal reads S-7 at receipt of " + d));
  Refused(Ev(T::kReceive, "NCUS", {"EVR"}, {{"dispatch", d}, {"location", "N1"}}),
          "dispatch " + d + " was received");
}

TEST_P(LifecycleTest, ReproduceDistributeAcknowledgeRecall) {
  Refused(Ev(T::kReproduce, "CUS", {"EVD"}, {{"copies", 1}}), "only documents are copied");
  Refused(Ev(T::kReproduce, "CUS", {"OPEN"}, {{"copies", 0}}), "copies");
  Refused(Ev(T::kReproduce, "CUS", {"OPEN"}, {{"copies", 101}}), "copies must be from 1 to 100");
  Refused(Ev(T::kReproduce, "CUS", {"OPEN"}, {{"copies", 1}, {"location", "N1"}}),
          "location N1 is not in facility HQ");
  Denied(Ev(T::kReproduce, "OFF", {"OPEN"}, {{"copies", 1}}), "OFF has no role that may reproduce");
  // Unclassified: one person. Classified: a second person; numbers continue the series.
  Accept(Ev(T::kReproduce, "CUS", {"OPEN"}, {{"copies", 1}}));
  EXPECT_EQ(Get("OPEN-C1").copy_of, "OPEN");  // an unnumbered original: copies from 1
  const Event copy = Ev(T::kReproduce, "CUS", {"DOC"}, {{"copies", 2}});
  const uint64_t r = Pending(copy, "reproduction of classified material");
  Denied(Signed(copy, static_cast<int64_t>(r), {"CUS"}),
         "approval by CUS is not valid: they are the actor");
  Denied(Signed(copy, static_cast<int64_t>(r), {"OFF"}), "approval by OFF is not valid");
  Accept(Signed(copy, static_cast<int64_t>(r), {"CUS2"}));
  EXPECT_EQ(Get("DOC-C3").copy_number, 3);
  EXPECT_EQ(Get("DOC-C4").copy_number, 4);
  EXPECT_EQ(Get("DOC").copies_total, 4);

  Refused(Ev(T::kDistribute, "CUS", {"OPEN"}, {{"units", {"Ops"}}, {"return_by", "2026-01-01"}}),
          "return_by 2026-01-01 is not after");
  Refused(Ev(T::kDistribute, "CUS", {"OPEN"}, {{"units", {}}, {"return_by", "2027-01-01"}}),
          "units");
  Refused(Ev(T::kDistribute, "CUS", {"EVD"}, {{"units", {"Ops"}}, {"return_by", "2027-01-01"}}),
          "only documents are copied");
  Denied(Ev(T::kDistribute, "INS", {"OPEN"}, {{"units", {"Ops"}}, {"return_by", "2027-01-01"}}),
         "INS has no role that may distribute");
  Accept(Ev(T::kDistribute, "CUS", {"OPEN"},
            {{"units", {"Ops", "Registry"}}, {"return_by", "2027-01-01"}}));
  const Holding ops = Get("OPEN-C2");
  EXPECT_EQ(ops.status, HoldingStatus::kDistributed);
  EXPECT_EQ(ops.unit, "Ops");

  const Event ack = Ev(T::kAcknowledge, "OFF", {"OPEN-C2"}, {});
  Refused(ack, "an acknowledgement carries the signature of the acknowledging person");
  Refused(Signed(ack, ops.last_index - 1, {"OFF"}), "the acknowledgement was signed for entry");
  Refused(Signed(Ev(T::kAcknowledge, "INS", {"OPEN-C2"}, {}), ops.last_index, {"INS"}),
          "OPEN-C2 was issued to unit Ops, not to Inspectorate");
  Refused(Signed(Ev(T::kAcknowledge, "OFF", {"OPEN"}, {}), Get("OPEN").last_index, {"OFF"}),
          "OPEN is not a distributed copy");
  // Someone else's signature passed off as OFF's: refused, and not logged
  // (a denied entry would say OFF tried; OFF did not).
  Event forged = Signed(ack, ops.last_index, {"OPS2"});
  forged.signatures[0].person = "OFF";
  Refused(forged, "the signature of OFF does not verify");
  Accept(Signed(ack, ops.last_index, {"OFF"}));
  EXPECT_EQ(Get("OPEN-C2").acknowledged_by, "OFF");
  Refused(Signed(Ev(T::kAcknowledge, "OPS2", {"OPEN-C2"}, {}), Get("OPEN-C2").last_index, {"OPS2"}),
          "OPEN-C2 was acknowledged by OFF");

  Refused(Ev(T::kRecall, "CUS", {"OPEN"}, {}), "OPEN is not a distributed copy");
  Refused(Ev(T::kRecall, "CUS", {"OPEN-C2"}, {{"location", "N1"}}),
          "location N1 is not in facility HQ");
  Denied(Ev(T::kRecall, "OFF", {"OPEN-C2"}, {}), "OFF has no role that may recall");
  Accept(Ev(T::kRecall, "CUS", {"OPEN-C2"}, {{"location", "S1"}}));
  EXPECT_EQ(Get("OPEN-C2").status, HoldingStatus::kInStore);
  EXPECT_EQ(Get("OPEN-C2").location, "S1");
}

TEST_P(LifecycleTest, ReleaseAndDestruction) {
  Refused(Ev(T::kRelease, "CUS2", {"OPEN"}, {{"to", "owner"}, {"recipient", "R"}}),
          "only evidence items are released");
  Refused(Ev(T::kRelease, "CUS2", {"EVD"}, {{"to", "owner"}, {"recipient", "R"}}),
          "evidence EVD has disposition 'destroy'; release to the owner needs 'return'");
  Refused(Ev(T::kRelease, "CUS2", {"EVD"}, {{"to", "court"}, {"recipient", "R"}}),
          "a release by court order needs the field 'court_order'");
  Refused(Ev(T::kRelease, "CUS2", {"EVR"}, {{"to", "neighbour"}, {"recipient", "R"}}),
          "must be one of: owner, court");
  Refused(Ev(T::kRelease, "CUS2", {"EVR"}, {{"to", "owner"}}), "recipient");
  Denied(Ev(T::kRelease, "CUS", {"EVR"}, {{"to", "owner"}, {"recipient", "R"}}),
         "CUS registered evidence EVR and may not also release it");
  const Event release =
      Ev(T::kRelease, "CUS2", {"EVR"}, {{"to", "owner"}, {"recipient", "A. Owner"}});
  const uint64_t r = Pending(release, "release of evidence");
  Accept(Signed(release, static_cast<int64_t>(r), {"NCUS"}));
  EXPECT_EQ(Get("EVR").status, HoldingStatus::kReleased);
  EXPECT_EQ(Get("EVR").released_to, "A. Owner");
  Refused(release, "holding EVR was released to A. Owner");

  Refused(Ev(T::kDestroy, "CUS2", {"EVR"}, {{"method", "m"}}),
          "holding EVR was released to A. Owner");
  Denied(Ev(T::kDestroy, "CUS", {"EVD"}, {{"method", "m"}}),
         "CUS registered evidence EVD and may not also destroy it");
  const Event destroy = Ev(T::kDestroy, "CUS2", {"EVD"}, {{"method", "crushing"}});
  const uint64_t d = Pending(destroy, "destruction");
  Denied(Signed(destroy, static_cast<int64_t>(d), {"OFF"}),
         "they have no role that may destroy (needs custodian or security_manager)");
  // An approval must match the request exactly.
  Event other = destroy;
  ASSERT_TRUE(other.fields.Set("method", Json("kept it")).ok());
  Refused(Signed(other, static_cast<int64_t>(d), {"SM2"}), "the approval does not match request");
  Accept(Signed(destroy, static_cast<int64_t>(d), {"SM2"}));
  EXPECT_EQ(Get("EVD").destroyed_witness, "SM2");
  Refused(Signed(destroy, static_cast<int64_t>(d), {"CUS"}),
          "request R-" + std::to_string(d) + " is done");
}

TEST_P(LifecycleTest, Inspection) {
  Refused(Ev(T::kInspect, "INS", {"NOPE"}, {{"result", "seen"}}), "holding NOPE does not exist");
  Refused(Ev(T::kInspect, "INS", {"DOC"}, {{"result", "fine"}}),
          "must be one of: seen, missing, seal_broken");
  Denied(Ev(T::kInspect, "OFF", {"DOC"}, {{"result", "seen"}}),
         "OFF has no role that may inspect (needs inspector)");
  // Giving INS the role custodian takes a second person (issue 12).
  const Event promote = Ev(T::kPersonUpdate, "ADM", {},
                           {{"person", "INS"}, {"facility", "HQ"}, {"roles", {"inspector", "custodian"}}});
  const uint64_t asked = Pending(promote, "giving INS the role custodian");
  Accept(Signed(promote, static_cast<int64_t>(asked), {"SM2"}));
  Denied(Ev(T::kInspect, "INS", {"DOC"}, {{"result", "seen"}}),
         "custodian INS may not inspect their own facility HQ");
  Accept(Ev(T::kInspect, "INS", {"NDOC"}, {{"result", "missing"}, {"note", "shelf empty"}}));
  EXPECT_TRUE(HasFlag(Get("NDOC"), "reported missing at inspection"));
  Accept(Ev(T::kInspect, "INS", {"NDOC"}, {{"result", "seal_broken"}}));
  EXPECT_TRUE(HasFlag(Get("NDOC"), "seal found broken at inspection"));
}

// Issue 12: one administrator cannot manufacture the second person. Once
// someone besides the founder may approve administration (SM2 enrolled in
// SetUp), adding a person and giving a role that acts in or approves
// two-person actions need a second person; and a newly enrolled person
// approves or witnesses nothing for a week.
TEST_P(LifecycleTest, OneAdministratorCannotManufactureTheSecondPerson) {
  keys_.emplace("NEW", testing::TestKey("NEW"));
  const std::vector<Event> add_and_enrol = testing::AddAndEnrol(
      "ADM", {{"person", "NEW"}, {"name", "New"}, {"unit", "Registry"},
              {"roles", {"custodian"}}, {"clearance", "TOP SECRET"}, {"facility", "HQ"}});
  const uint64_t asked = Pending(add_and_enrol[0], "enrolling a person");
  Refused(add_and_enrol[1], "NEW does not exist");  // not until approved
  // The approver's own quarantine is over (SM2 was of the founding team).
  Accept(Signed(add_and_enrol[0], static_cast<int64_t>(asked), {"SM2"}));
  Accept(add_and_enrol[1]);

  // Roles that act in two-person actions take a second person; others do not.
  Pending(Ev(T::kPersonUpdate, "ADM", {}, {{"person", "OFF"}, {"roles", {"holder", "custodian"}}}),
          "giving OFF the role custodian");
  Accept(Ev(T::kPersonUpdate, "ADM", {}, {{"person", "OPS2"}, {"unit", "Ops North"}}));
  Refused(Ev(T::kPersonAdd, "ADM", {},
             {{"person", "LAX"}, {"name", "L"}, {"unit", "U"}, {"roles", {"holder"}},
              {"clearance", "SECRET"}, {"quarantine_hours", 0}}),
          "quarantine_hours is set once, by the store's founding entry");

  // A new enrolment code for someone not yet enrolled is as good as adding
  // them anew: it takes a second person too.
  const std::vector<Event> late = testing::AddAndEnrol(
      "ADM", {{"person", "LATE"}, {"name", "Late"}, {"unit", "Ops"}, {"roles", {"holder"}},
              {"clearance", "SECRET"}});
  Accept(Signed(late[0], static_cast<int64_t>(Pending(late[0], "enrolling a person")), {"SM2"}));
  Pending(Ev(T::kPersonUpdate, "ADM", {},
             {{"person", "LATE"}, {"enrolment", EnrolmentCommitment(std::string(32, 'a'))}}),
          "enrolling a person");

  // NEW, enrolled just now, neither asks for nor witnesses a destruction
  // for 7 days.
  Denied(Ev(T::kDestroy, "NEW", {"EVD"}, {{"method", "crushing"}}),
         "NEW enrolled recently and acts in two-person actions from");
  const Event destroy = Ev(T::kDestroy, "CUS2", {"EVD"}, {{"method", "crushing"}});
  const uint64_t d = Pending(destroy, "destruction");
  Denied(Signed(destroy, static_cast<int64_t>(d), {"NEW"}),
         "approval by NEW is not valid: they enrolled recently and approve from");
  clock_.Advance(7LL * 24 * 3600 * 1000000);
  const uint64_t again = Pending(destroy, "destruction");
  Accept(Signed(destroy, static_cast<int64_t>(again), {"NEW"}));
  EXPECT_EQ(Get("EVD").destroyed_witness, "NEW");
}

TEST_P(LifecycleTest, RequestsExpireAndAreCancelled) {
  const Event destroy = Ev(T::kDestroy, "CUS2", {"EVD"}, {{"method", "shredding"}});
  const uint64_t first = Pending(destroy, "destruction");
  const std::string r1 = RecordId('R', first);
  Refused(Ev(T::kRequestCancel, "CUS2", {}, {{"request", "R-1"}, {"reason", "r"}}),
          "request R-1 does not exist");
  Refused(Ev(T::kRequestCancel, "CUS2", {}, {{"request", r1}}), "reason");
  Denied(Ev(T::kRequestCancel, "CUS", {}, {{"request", r1}, {"reason", "r"}}),
         "CUS may not cancel request " + r1 + " (only its requester or a security manager)");
  Accept(Ev(T::kRequestCancel, "CUS2", {}, {{"request", r1}, {"reason", "wrong item"}}));
  Refused(Signed(destroy, static_cast<int64_t>(first), {"SM2"}), "request " + r1 + " is cancelled");
  Refused(Ev(T::kRequestCancel, "SM2", {}, {{"request", r1}, {"reason", "r"}}),
          "request " + r1 + " is cancelled");

  // A request lives 24 hours (each submission here is one second later):
  // approved at its 24th hour it has expired; a second before, it stands.
  const uint64_t second = Pending(destroy, "destruction");
  clock_.Advance(kRequestLifetimeMicros - 1000000);
  Refused(Signed(destroy, static_cast<int64_t>(second), {"SM2"}),
          "request R-" + std::to_string(second) + " expired at");
  Accept(
      Ev(T::kRequestCancel, "SM2", {}, {{"request", RecordId('R', second)}, {"reason", "stale"}}));
  Refused(Signed(destroy, 999, {"SM2"}),
          "signatures approve a pending request, and entry 999 is not one");
  const uint64_t third = Pending(destroy, "destruction");
  clock_.Advance(kRequestLifetimeMicros - 2000000);
  Accept(Signed(destroy, static_cast<int64_t>(third), {"SM2"}));
}

TEST_P(LifecycleTest, Corrections) {
  Refused(Ev(T::kCorrect, "CUS", {}, {{"corrects", 10000}, {"reason", "r"}}),
          "entry 10000 does not exist yet");
  Refused(Ev(T::kCorrect, "CUS", {}, {{"corrects", -1}, {"reason", "r"}}), "corrects");
  Refused(Ev(T::kCorrect, "CUS", {}, {{"corrects", 3}}), "reason");
  Denied(Ev(T::kCorrect, "OFF", {}, {{"corrects", 3}, {"reason", "typo"}}),
         "OFF has no role that may correct the record");
  Accept(Ev(T::kCorrect, "CUS", {}, {{"corrects", 3}, {"reason", "location name mistyped"}}));
}

TEST_P(LifecycleTest, CallerMadeWrappersAndUnknownActorsAreRefused) {
  Refused(Ev(T::kDenied, "ADM", {},
             Json{{"attempted", "holding.move"}, {"fields", Json::object()}, {"reasons", {"x"}}}),
          "denied entries are written by the sequencer only");
  Refused(Ev(T::kMove, "GHOST", {"OPEN"}, {{"location", "S1"}}), "person GHOST does not exist");
  Refused(Ev(T::kMove, "CUS", {"OPEN"}, {{"location", "S1"}, {"colour", "red"}}),
          "unknown field 'colour' for holding.move");
}

INSTANTIATE_TEST_SUITE_P(
    SequencerModes, LifecycleTest,
    ::testing::Values(SequencerMode{SequencerOptions{}.max_cached_records, false, "CacheKept"},
                      SequencerMode{0, false, "CacheDroppedAfterEveryCommit"},
                      SequencerMode{SequencerOptions{}.max_cached_records, true, "Pipelined"},
                      SequencerMode{0, true, "PipelinedCacheDropped"}),
    [](const ::testing::TestParamInfo<SequencerMode>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace strongroom
