// Inspections through the real sequencer on a real SQLite store: the
// happy path from open to close, every refusal with the store unchanged,
// and a replay (verify) of all of it.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/encoding.h"
#include "custody/data_dir.h"
#include "custody/rules.h"
#include "custody/sequencer.h"
#include "custody/signing.h"
#include "custody/test_events.h"
#include "ledger/proof.h"
#include "oversight/detection.h"
#include "oversight/inspection_client.h"
#include "verify/audit.h"

namespace strongroom::oversight {
namespace {

using testing::Ev;

class InspectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(::testing::TempDir()) + "strongroom-inspection-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    data_ = std::move(DataDir::Init(dir_, "inspection.example/log", SystemRandom()).value());
    seq_ = std::move(
        Sequencer::Start(data_->store(), data_->signer().value(), &clock_, SystemRandom())
            .value());
    for (const Event& e : testing::SetUpEvents()) Accept(e);
    Accept(Ev(EventType::kLocationAdd, "ADM", {},
              {{"location", "S2"}, {"facility", "HQ"}, {"name", "Shelf"}, {"kind", "shelf"}}));
    for (const Event& e : testing::AddAndEnrol("ADM", {{"person", "INS"},
                                                      {"name", "Ina"},
                                                      {"unit", "Inspectorate"},
                                                      {"roles", {"inspector"}},
                                                      {"clearance", "SECRET"}})) {
      Accept(e);
    }
    for (int i = 0; i < 30; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "PH-%02d", i);
      phones_.push_back(id);
      Accept(Ev(EventType::kHoldingRegister, "CUS", {id},
                {{"kind", "evidence"},
                 {"title", std::string("Phone ") + id},
                 {"location", "V1"},
                 {"case_number", "C-7"},
                 {"item_type", "phone"},
                 {"disposition", "destroy"}}));
    }
    Accept(testing::Registration("DOC-1"));
  }
  void TearDown() override {
    seq_.reset();
    auto report = AuditStore(data_.get(), std::nullopt);
    ASSERT_TRUE(report.ok()) << report.status().message();
    std::string problems;
    for (const auto& p : report->problems) problems += p + "\n";
    EXPECT_TRUE(report->ok()) << problems;
  }

  Receipt Accept(const Event& e) {
    auto r = seq_->Submit(testing::Signed(seq_->origin(), e));
    EXPECT_TRUE(r.ok()) << EventTypeName(e.type) << ": " << r.status().message();
    if (!r.ok()) return {};
    EXPECT_EQ(r->outcome, Outcome::kAccepted)
        << EventTypeName(e.type) << ": " << (r->reasons.empty() ? "" : r->reasons[0]);
    return *r;
  }
  void Refused(const Event& e, const std::string& words) {
    const uint64_t before = seq_->size();
    auto r = seq_->Submit(testing::Signed(seq_->origin(), e));
    ASSERT_FALSE(r.ok()) << EventTypeName(e.type) << " was accepted; want '" << words << "'";
    EXPECT_NE(r.status().message().find(words), std::string::npos)
        << "want '" << words << "', got: " << r.status().message();
    EXPECT_EQ(seq_->size(), before);
  }
  void Denied(const Event& e, const std::string& words) {
    auto r = seq_->Submit(testing::Signed(seq_->origin(), e));
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->outcome, Outcome::kDenied);
    std::string all;
    for (const auto& reason : r->reasons) all += reason + "; ";
    EXPECT_NE(all.find(words), std::string::npos) << all;
  }

  // An open event by `actor`, completed as the client completes it.
  Event Open(const std::string& actor, Json fields) {
    fields["facility"] = "HQ";
    if (!fields.contains("announced")) fields["announced"] = false;
    if (!fields.contains("occasion")) fields["occasion"] = "routine";
    Event e;
    e.type = EventType::kInspectionOpen;
    e.actor = actor;
    EXPECT_TRUE(SetFields(&e, fields).ok());
    Projection p(data_->store());
    EXPECT_TRUE(CompleteOpen(&p, reveal_, &e).ok());
    return e;
  }
  Inspection Get(const std::string& id) {
    Projection p(data_->store());
    return ReadInspection(&p, id).value();
  }
  Hash RootAt(uint64_t size) {
    TileNodeReader tiles([&](int level, uint64_t i, uint64_t) { return data_->store()->ReadTile(level, i); });
    return TreeRoot(&tiles, size).value();
  }
  Event Draw(const Inspection& v, const std::string& reveal, const std::string& actor = "INS") {
    Event e;
    e.type = EventType::kInspectionDraw;
    e.actor = actor;
    EXPECT_TRUE(SetFields(&e, {{"inspection", v.id}}).ok());
    EXPECT_TRUE(CompleteDraw(v, RootAt(v.open_index + 1), reveal, &e).ok() || reveal != reveal_);
    return e;
  }
  Event Record(const std::string& inspection, const std::string& holding, Json fields) {
    fields["inspection"] = inspection;
    return Ev(EventType::kInspectionRecord, "INS", {holding}, fields);
  }

  // A pending request's event, submitted again as `approver`'s approval.
  Result<Receipt> Approve(Event e, int64_t request, const std::string& approver) {
    e.basis = request;
    SignAsWith(seq_->origin(), approver, testing::TestKey(approver), &e);
    return seq_->Submit(e);
  }
  Receipt Pending(const Event& e) {
    auto r = seq_->Submit(testing::Signed(seq_->origin(), e));
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) return {};
    EXPECT_EQ(r->outcome, Outcome::kPending) << (r->reasons.empty() ? "" : r->reasons[0]);
    return *r;
  }
  void Enrol(const std::string& id, std::vector<std::string> roles, const std::string& facility = "") {
    Json fields = {{"person", id}, {"name", id}, {"unit", "Inspectorate"}, {"roles", roles},
                   {"clearance", "SECRET"}};
    if (!facility.empty()) fields["facility"] = facility;
    for (const Event& e : testing::AddAndEnrol("ADM", fields)) Accept(e);
  }

  FakeClock clock_{SystemClock()->Now()};
  std::string dir_;
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<Sequencer> seq_;
  std::vector<std::string> phones_;
  const std::string reveal_ = Sha256("the inspector's secret").str();
};

TEST_F(InspectionTest, AnUnannouncedSampleFindsThePhonesThatWereKept) {
  const Receipt opened =
      Accept(Open("INS", {{"method", "fixed"}, {"sample_size", 8}, {"item_types", {"phone"}}}));
  const std::string id = InspectionId(opened.index);
  Inspection v = Get(id);
  EXPECT_EQ(v.status, "open");
  EXPECT_EQ(v.population, 30u);  // the phones, not the document
  EXPECT_EQ(v.sample_size, 8u);

  // Drawn as anyone can recompute: from the root ending with the open entry.
  const Receipt drawn = Accept(Draw(v, reveal_));
  v = Get(id);
  ASSERT_EQ(v.status, "drawn");
  ASSERT_EQ(v.sample.size(), 8u);
  EXPECT_EQ(v.sample, DrawSample(SampleSeed(RootAt(opened.index + 1), reveal_), phones_, 8));
  EXPECT_TRUE(v.population_ids.empty());
  (void)drawn;

  // Two of the sample were kept by the custodian: missing.
  for (size_t i = 0; i < v.sample.size(); ++i) {
    Accept(Record(id, v.sample[i], {{"result", i < 2 ? "missing" : "found"}}));
  }
  Refused(Ev(EventType::kInspectionClose, "INS", {}, {{"inspection", id}}),
          "its findings need finding_owner and findings_due");
  Accept(Ev(EventType::kInspectionClose, "INS", {},
            {{"inspection", id}, {"finding_owner", "ADM"}, {"findings_due", "2030-01-01"}}));
  v = Get(id);
  EXPECT_EQ(v.status, "closed");
  EXPECT_EQ(v.summary["discrepancies"], 2);
  EXPECT_EQ(v.summary["discrepancy_rate"], "0.2500");
  EXPECT_EQ(v.summary["findings"].size(), 2u);
  EXPECT_EQ(v.summary["as_of_tree_size"], static_cast<int64_t>(v.close_index + 1));
  Projection p(data_->store());
  ASSERT_TRUE(p.LoadHolding(v.sample[0]).ok());
  ASSERT_FALSE(p.holding(v.sample[0])->flags.empty());
  EXPECT_NE(p.holding(v.sample[0])->flags.back().find("inspection " + id + ": missing"),
            std::string::npos);
}

TEST_F(InspectionTest, NobodyButTheCommittedInspectorDrawsAndOnlyTheFairSample) {
  const Receipt opened = Accept(Open("INS", {{"method", "discovery"},
                                             {"confidence", "0.95"},
                                             {"detect_rate", "0.1"}}));
  const std::string id = InspectionId(opened.index);
  const Inspection v = Get(id);
  EXPECT_EQ(v.population, 31u);
  EXPECT_EQ(v.sample_size, SampleSize(v.rule, 31).value());

  // Another reveal does not open the commitment.
  Event wrong = Draw(v, reveal_);
  Event other_reveal = wrong;
  ASSERT_TRUE(other_reveal.fields.Set("reveal", Json(Base64Encode(std::string(32, 'x')))).ok());
  Refused(other_reveal, "does not open inspection " + id + "'s commitment");
  // A sample chosen by hand (the first ids) is not the drawn one.
  Event chosen = wrong;
  std::vector<std::string> first(phones_.begin(), phones_.begin() + static_cast<long>(v.sample_size));
  ASSERT_TRUE(chosen.fields.Set("sample", Json(first)).ok());
  ASSERT_TRUE(chosen.fields.Set("sample_hash", Json(SampleHash(first))).ok());
  Refused(chosen, "the sample is not the one the reveal and the root draw");
  // A root of another tree (one without the open entry) is refused.
  Event ground = wrong;
  ASSERT_TRUE(ground.fields.Set("root", Json(Base64Encode(RootAt(opened.index).view()))).ok());
  Refused(ground, "root is not the log's root at size");
  // A custodian cannot draw, nor record.
  Event by_custodian = Draw(v, reveal_, "CUS");
  Denied(by_custodian, "only INS, who opened inspection " + id + ", acts on it");
  // Recording before the draw is refused.
  Refused(Record(id, phones_[0], {{"result", "found"}}), "not under way");
  Accept(Draw(v, reveal_));
  Refused(Draw(v, reveal_), "its sample is drawn once");
  // An item outside the sample is not recorded against it.
  const Inspection drawn = Get(id);
  std::string outside;
  for (const auto& p : phones_) {
    if (std::find(drawn.sample.begin(), drawn.sample.end(), p) == drawn.sample.end()) outside = p;
  }
  ASSERT_FALSE(outside.empty());
  Refused(Record(id, outside, {{"result", "found"}}), "is not in inspection " + id + "'s sample");
  Refused(Record(id, drawn.sample[0], {{"result", "wrong_location"}}), "wrong_location needs location_found");
  Refused(Record(id, drawn.sample[0], {{"result", "found"}, {"location_found", "S2"}}),
          "record wrong_location");
  Refused(Ev(EventType::kInspectionClose, "INS", {}, {{"inspection", id}}), "are not recorded yet");
}

TEST_F(InspectionTest, TheOpeningIsBoundToTheScopeAndThePolicy) {
  // A custodian of the facility does not inspect their own store.
  Denied(Open("CUS", {{"method", "full"}}), "");
  // A population that changed (or was misstated) is refused.
  Event stale = Open("INS", {{"method", "full"}});
  Accept(testing::Registration("DOC-2"));
  Refused(stale, "(it changed): open the inspection again");
  // Parameters of another method, and bad fractions.
  Refused(Open("INS", {{"method", "fixed"}, {"confidence", "0.95"}, {"sample_size", 3}}),
          "a fixed inspection takes sample_size, and no confidence");
  Refused(Open("INS", {{"method", "discovery"}, {"confidence", "95%"}, {"detect_rate", "0.01"}}),
          "confidence must be a decimal fraction");
  Refused(Open("INS", {{"method", "full"}, {"locations", {"N9"}}}), "location N9 does not exist");
  // A full inventory: every item on hand, found property registered.
  const Receipt opened = Accept(Open("INS", {{"method", "full"}, {"holding_kinds", {"document"}}}));
  const std::string id = InspectionId(opened.index);
  Inspection v = Get(id);
  EXPECT_EQ(v.population, 2u);
  Accept(Draw(v, reveal_));
  v = Get(id);
  for (const auto& h : v.sample) Accept(Record(id, h, {{"result", "found"}}));
  const Receipt found = Accept(Ev(EventType::kInspectionFound, "INS", {},
                                  {{"inspection", id}, {"title", "Unlabelled phone"}, {"location", "S2"}}));
  Refused(Ev(EventType::kInspectionClose, "INS", {}, {{"inspection", id}}), "discrepancies");
  Accept(Ev(EventType::kInspectionClose, "INS", {},
            {{"inspection", id}, {"finding_owner", "CUS"}, {"findings_due", "2030-01-01"}}));
  v = Get(id);
  ASSERT_EQ(v.found_unregistered.size(), 1u);
  EXPECT_EQ(v.found_unregistered[0], NumberedHoldingId(found.index));
  EXPECT_EQ(v.summary["not_on_record"], 1);
}

Event Raise(const std::string& actor, const Finding& f) { return RaiseEvent(actor, f); }

TEST_F(InspectionTest, ADetectionIsRaisedOncePerCauseOnlyWhileTrueAndReviewedByOthers) {
  constexpr int64_t kHour = 3600LL * 1000000;
  const std::string deadline = FormatRfc3339(clock_.Now() + kHour);
  Accept(Ev(EventType::kHoldingRegister, "CUS", {"PH-KEPT"},
            {{"kind", "evidence"}, {"title", "Phone to destroy"}, {"location", "V1"},
             {"case_number", "C-7"}, {"item_type", "phone"}, {"disposition", "destroy"},
             {"disposition_due", deadline}}));
  EXPECT_TRUE(Due(data_->store(), clock_.Now()).value().empty());
  clock_.Advance(2 * kHour);
  const auto due = Due(data_->store(), clock_.Now()).value();
  ASSERT_EQ(due.size(), 1u);
  const Finding f = due[0];
  EXPECT_EQ(f, (Finding{"disposition_overdue", "PH-KEPT@" + deadline, "PH-KEPT", "CUS", "HQ", "normal"}));

  // Only as the rule finds it: not another severity, subject, or holding.
  Finding worse = f;
  worse.severity = "high";
  Refused(Raise("INS", worse), "finds no");
  Finding blamed = f;
  blamed.subject = "ADM";
  Refused(Raise("INS", blamed), "finds no");
  Finding elsewhere = f;
  elsewhere.holding = phones_[0];
  Refused(Raise("INS", elsewhere), "finds no");
  Denied(Raise("CUS", f), "only inspectors and security managers raise detections");
  Accept(Raise("INS", f));
  Refused(Raise("INS", f), "raised before, as detection " + DetectionId(f.rule, f.cause));

  // Reviews: the person it concerns never reviews it; a dismissal has a reason.
  const std::string id = DetectionId(f.rule, f.cause);
  Denied(Ev(EventType::kDetectionReview, "CUS", {}, {{"detection", id}, {"action", "acknowledge"}}),
         "nobody reviews a detection about themself");
  Refused(Ev(EventType::kDetectionReview, "INS", {}, {{"detection", id}, {"action", "dismiss"}}),
          "dismissed with a reason");
  Accept(Ev(EventType::kDetectionReview, "INS", {}, {{"detection", id}, {"action", "acknowledge"}}));
  Accept(Ev(EventType::kDetectionReview, "INS", {},
            {{"detection", id}, {"action", "escalate"}, {"reason", "kept past its deadline"}}));
  Refused(Ev(EventType::kDetectionReview, "ADM", {},
             {{"detection", id}, {"action", "dismiss"}, {"reason", "never mind"}}),
          "escalated already");

  // An inspection opened and not drawn within a day: a high finding about
  // its inspector, which an inspector does not dismiss.
  const Receipt opened = Accept(Open("INS", {{"method", "full"}}));
  clock_.Advance(25 * kHour);
  Finding undrawn;
  const auto later = Due(data_->store(), clock_.Now()).value();  // (a temporary's value() dangles in a range-for)
  for (const Finding& g : later) {
    if (g.rule == "inspection_not_drawn") undrawn = g;
  }
  ASSERT_EQ(undrawn.cause, InspectionId(opened.index));
  EXPECT_EQ(undrawn.subject, "INS");
  Accept(Raise("ADM", undrawn));
  const std::string undrawn_id = DetectionId(undrawn.rule, undrawn.cause);
  Denied(Ev(EventType::kDetectionReview, "INS", {}, {{"detection", undrawn_id}, {"action", "acknowledge"}}),
         "nobody reviews a detection about themself");
  // Dismissing a high-severity detection takes a second person, who is
  // not the person it concerns either.
  Enrol("INS2", {"inspector"});
  clock_.Advance(8 * 24 * kHour);  // past the quarantine after enrolment
  const Event dismissal = Ev(EventType::kDetectionReview, "ADM", {},
                             {{"detection", undrawn_id}, {"action", "dismiss"},
                              {"reason", "drawn late, by agreement"}});
  const Receipt requested = Pending(dismissal);
  auto by_subject = Approve(dismissal, requested.index, "INS");
  ASSERT_TRUE(by_subject.ok()) << by_subject.status().message();
  EXPECT_EQ(by_subject->outcome, Outcome::kDenied);
  auto approved = Approve(dismissal, requested.index, "INS2");
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  EXPECT_EQ(approved->outcome, Outcome::kAccepted) << (approved->reasons.empty() ? "" : approved->reasons[0]);
  Projection p(data_->store());
  ASSERT_TRUE(p.LoadOversightRecord(undrawn_id).ok());
  EXPECT_EQ(p.oversight_record(undrawn_id)->status, "dismissed");
}

// Each rule finds its misuse exactly when it happens, names who did it,
// and is raised once; the thresholds change only by a logged event of a
// security manager's.
TEST_F(InspectionTest, EachRuleFindsItsMisuseAndThresholdsChangeOnlyOnTheRecord) {
  constexpr int64_t kHour = 3600LL * 1000000, kDay = 24 * kHour;
  // The finding of `rule` whose cause starts with `prefix`, due now.
  auto find = [&](const std::string& rule, const std::string& prefix) -> std::optional<Finding> {
    const auto due = Due(data_->store(), clock_.Now()).value();
    for (const Finding& f : due) {
      if (f.rule == rule && f.cause.rfind(prefix, 0) == 0) return f;
    }
    return std::nullopt;
  };
  Accept(Ev(EventType::kFacilityAdd, "ADM", {}, {{"facility", "NORTH"}, {"name", "North"}}));
  Accept(Ev(EventType::kLocationAdd, "ADM", {},
            {{"location", "N1"}, {"facility", "NORTH"}, {"name", "Shelf"}, {"kind", "shelf"}}));
  for (const Event& e : testing::AddAndEnrol("ADM", {{"person", "CUSN"},
                                                    {"name", "Nor"},
                                                    {"unit", "Registry"},
                                                    {"roles", {"custodian"}},
                                                    {"clearance", "SECRET"},
                                                    {"facility", "NORTH"}})) {
    Accept(e);
  }
  // A phone due for destruction within the hour, moved after that: the
  // custodian's activity on it is a finding about them, high.
  Accept(Ev(EventType::kHoldingRegister, "CUS", {"PH-LATE"},
            {{"kind", "evidence"}, {"title", "Phone"}, {"location", "V1"}, {"case_number", "C-9"},
             {"item_type", "phone"}, {"disposition", "destroy"},
             {"disposition_due", FormatRfc3339(clock_.Now() + kHour)}}));
  Accept(Ev(EventType::kMove, "CUS", {"PH-LATE"}, {{"location", "S2"}}));
  EXPECT_FALSE(find("activity_after_deadline", "PH-LATE"));  // moved in time
  clock_.Advance(2 * kHour);
  EXPECT_FALSE(find("activity_after_deadline", "PH-LATE"));
  const Receipt moved = Accept(Ev(EventType::kMove, "CUS", {"PH-LATE"}, {{"location", "V1"}}));
  auto activity = find("activity_after_deadline", "PH-LATE");
  ASSERT_TRUE(activity);
  EXPECT_EQ(*activity, (Finding{"activity_after_deadline", "PH-LATE@" + Event::FromEntry(moved.entry).value().time, "PH-LATE",
                                "CUS", "HQ", "high"}));
  Accept(Raise("INS", *activity));
  // A later move is a finding of its own; the first stays on the record.
  clock_.Advance(kHour);
  const Receipt again = Accept(Ev(EventType::kMove, "CUS", {"PH-LATE"}, {{"location", "S2"}}));
  auto second = find("activity_after_deadline", "PH-LATE@" + Event::FromEntry(again.entry).value().time);
  ASSERT_TRUE(second);
  EXPECT_NE(second->cause, activity->cause);

  // Copies out, neither acknowledged in a week nor recalled by their date.
  Accept(testing::Registration("DOC-C"));
  Accept(Ev(EventType::kDistribute, "CUS", {"DOC-C"},
            {{"units", {"Ops"}}, {"return_by", FormatRfc3339(clock_.Now() + 3 * kDay)}}));
  // And a consignment that never arrives, and one that arrives short.
  Accept(testing::Registration("DOC-T"));
  const Receipt sent = Accept(Ev(EventType::kDispatch, "CUS", {"DOC-T"},
                                 {{"to_facility", "NORTH"}, {"courier", "Courier A"}}));
  Accept(testing::Registration("DOC-R1"));
  Accept(testing::Registration("DOC-R2"));
  const Receipt short_sent = Accept(Ev(EventType::kDispatch, "CUS", {"DOC-R1", "DOC-R2"},
                                       {{"to_facility", "NORTH"}, {"courier", "Courier B"}}));
  const std::string shorted = RecordId('D', short_sent.index);
  Accept(Ev(EventType::kReceive, "CUSN", {"DOC-R1"}, {{"dispatch", shorted}, {"location", "N1"}}));
  auto receipt = find("receipt_discrepancy", shorted);
  ASSERT_TRUE(receipt);
  EXPECT_EQ(*receipt, (Finding{"receipt_discrepancy", shorted, "", "CUS", "NORTH", "high"}));
  Accept(Raise("INS", *receipt));
  clock_.Advance(4 * kDay);
  ASSERT_TRUE(find("copy_not_recalled", "DOC-C-C1"));
  EXPECT_FALSE(find("copy_unacknowledged", "DOC-C-C1"));
  clock_.Advance(4 * kDay);
  auto unacknowledged = find("copy_unacknowledged", "DOC-C-C1");
  ASSERT_TRUE(unacknowledged);
  EXPECT_EQ(unacknowledged->facility, "HQ");
  Accept(Raise("INS", *unacknowledged));
  clock_.Advance(53 * kDay);  // 61 days on the road
  const std::string transit = RecordId('D', sent.index);
  auto late = find("in_transit_too_long", transit);
  ASSERT_TRUE(late);
  EXPECT_EQ(*late, (Finding{"in_transit_too_long", transit, "", "CUS", "HQ", "normal"}));

  // The threshold is changed on the record, by a security manager, with a
  // reason; the finding is then no longer true, and not raised.
  auto configure = [&](const std::string& actor, int64_t value) {
    return Ev(EventType::kDetectionConfigure, actor, {},
              {{"threshold", "transit_days"}, {"value", value}, {"reason", "overseas couriers"}});
  };
  Denied(configure("INS", 90), "only security managers change the detections' thresholds");
  Refused(configure("ADM", 366), "transit_days is from 1 to 365, not 366");
  Refused(configure("ADM", 60), "transit_days is 60 already");
  Accept(configure("ADM", 90));
  Refused(configure("ADM", 90), "will be, once its last change takes effect");
  // Not before a day has passed: meanwhile the old value's findings stand.
  EXPECT_TRUE(find("in_transit_too_long", transit));
  clock_.Advance(25 * kHour);
  EXPECT_FALSE(find("in_transit_too_long", transit));
  Refused(Raise("INS", *late), "finds no");

  // An inspection's finding still open after its due date, about its owner.
  Accept(Ev(EventType::kHoldingRegister, "CUS", {"RADIO-1"},
            {{"kind", "evidence"}, {"title", "Radio"}, {"location", "V1"}, {"case_number", "C-9"},
             {"item_type", "radio"}, {"disposition", "retain"}}));
  const Receipt opened = Accept(Open("INS", {{"method", "full"}, {"item_types", {"radio"}}}));
  const std::string id = InspectionId(opened.index);
  Accept(Draw(Get(id), reveal_));
  Accept(Record(id, "RADIO-1", {{"result", "seal_broken"}}));
  const std::string findings_due = FormatRfc3339(clock_.Now() + kDay);
  Accept(Ev(EventType::kInspectionClose, "INS", {},
            {{"inspection", id}, {"finding_owner", "ADM"}, {"findings_due", findings_due}}));
  EXPECT_FALSE(find("finding_overdue", id));
  clock_.Advance(2 * kDay);
  auto overdue = find("finding_overdue", id);
  ASSERT_TRUE(overdue);
  EXPECT_EQ(*overdue, (Finding{"finding_overdue", id + ":RADIO-1@" + findings_due, "RADIO-1", "ADM",
                               "HQ", "normal"}));

  // Repeated denials: five on one day are a finding about the person.
  clock_.Advance(DayOf(clock_.Now()) + kDay + 12 * kHour - clock_.Now());  // next noon
  const std::string day = FormatRfc3339(clock_.Now()).substr(0, 10);
  for (int i = 0; i < 4; ++i) {
    Denied(Ev(EventType::kFacilityAdd, "CUS", {}, {{"facility", "X" + std::to_string(i)}, {"name", "X"}}),
           "administer");
  }
  EXPECT_FALSE(find("repeated_denials", "CUS@"));
  Denied(Ev(EventType::kFacilityAdd, "CUS", {}, {{"facility", "X9"}, {"name", "X"}}), "administer");
  auto denials = find("repeated_denials", "CUS@");
  ASSERT_TRUE(denials);
  EXPECT_EQ(*denials, (Finding{"repeated_denials", "CUS@" + day, "", "CUS", "HQ", "normal"}));
  Finding other_day = *denials;
  other_day.cause = "CUS@2020-01-01";
  Refused(Raise("INS", other_day), "finds no");
  // A cause naming anyone, stated without its subject, is refused like any
  // untrue finding (it once read an unloaded record).
  for (const char* cause : {"CUS@", "ADM@", "NOBODY@", "C:X@"}) {
    Finding bare = *denials;
    bare.cause = cause + day;
    bare.subject = "";
    bare.facility = "";
    Refused(Raise("INS", bare), "finds no");
  }
  Accept(Raise("INS", *denials));
  Refused(Raise("INS", *denials), "raised before");
}

// A legal hold stops destruction, release and the disposition deadline; a
// disposal requested before the hold is a finding about its requester.
TEST_F(InspectionTest, ALegalHoldBlocksDisposalAndADisposalRequestedOfAHeldItemIsFound) {
  constexpr int64_t kHour = 3600LL * 1000000;
  for (const Event& e : testing::AddAndEnrol("ADM", {{"person", "CUS2"},
                                                    {"name", "Two"},
                                                    {"unit", "Registry"},
                                                    {"roles", {"custodian"}},
                                                    {"clearance", "SECRET"},
                                                    {"facility", "HQ"}})) {
    Accept(e);
  }
  clock_.Advance(8 * 24 * kHour);  // past the quarantine after enrolment
  Accept(Ev(EventType::kHoldingRegister, "CUS", {"PH-HELD"},
            {{"kind", "evidence"}, {"title", "Phone"}, {"location", "V1"}, {"case_number", "C-9"},
             {"item_type", "phone"}, {"disposition", "destroy"},
             {"disposition_due", FormatRfc3339(clock_.Now() + kHour)}}));
  // The other custodian asks to destroy it; then a court orders it kept.
  auto requested = seq_->Submit(testing::Signed(
      seq_->origin(), Ev(EventType::kDestroy, "CUS2", {"PH-HELD"}, {{"method", "shredding"}})));
  ASSERT_TRUE(requested.ok()) << requested.status().message();
  ASSERT_EQ(requested->outcome, Outcome::kPending)
      << (requested->reasons.empty() ? "" : requested->reasons[0]);
  const std::string request = RecordId('R', requested->index);
  auto hold = [](const std::string& actor) {
    return Ev(EventType::kHold, actor, {"PH-HELD"},
              {{"reference", "Court order 2026/113"}, {"reason", "appeal pending"}});
  };
  Denied(hold("INS"), "only security managers place legal holds");
  Refused(Ev(EventType::kLiftHold, "ADM", {"PH-HELD"}, {{"reason", "x"}}), "under no legal hold");
  const Receipt held = Accept(hold("ADM"));
  Refused(hold("ADM"), "under legal hold Court order 2026/113 (entry " + std::to_string(held.index) +
                           ") already");
  Refused(Ev(EventType::kDestroy, "CUS2", {"PH-HELD"}, {{"method", "shredding"}}),
          "is under legal hold Court order 2026/113");
  Refused(Ev(EventType::kRelease, "CUS2", {"PH-HELD"},
             {{"to", "court"}, {"recipient", "Clerk"}, {"court_order", "CO-1"}}),
          "no release until it is lifted");
  clock_.Advance(2 * kHour);
  const auto due = Due(data_->store(), clock_.Now()).value();
  ASSERT_EQ(due.size(), 1u);  // not overdue while held; the open request is found
  EXPECT_EQ(due[0], (Finding{"disposal_under_hold", request, "PH-HELD", "CUS2", "HQ", "high"}));
  Finding elsewhere = due[0];
  elsewhere.holding = phones_[0];
  Refused(Raise("INS", elsewhere), "finds no");
  Accept(Raise("INS", due[0]));
  // Lifted: the deadline runs again, and it is overdue.
  Accept(Ev(EventType::kLiftHold, "ADM", {"PH-HELD"}, {{"reason", "appeal dismissed"}}));
  const auto after = Due(data_->store(), clock_.Now()).value();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].rule, "disposition_overdue");
}

// A finding stays open until an inspection sees the item again or two
// security managers write it off; the custodian's word never resolves it.
TEST_F(InspectionTest, AFindingIsResolvedBySeeingTheItemOrWrittenOffByTwo) {
  constexpr int64_t kHour = 3600LL * 1000000;
  Enrol("SM2", {"security_manager"});
  clock_.Advance(8 * 24 * kHour);  // past the quarantine after enrolment
  const Receipt opened = Accept(Open("INS", {{"method", "fixed"}, {"sample_size", 3}}));
  const std::string id = InspectionId(opened.index);
  Accept(Draw(Get(id), reveal_));
  const std::vector<std::string> sample = Get(id).sample;
  ASSERT_EQ(sample.size(), 3u);
  const std::string lost = sample[0], back = sample[1], misplaced = sample[2];
  Accept(Record(id, lost, {{"result", "missing"}}));
  Accept(Record(id, back, {{"result", "missing"}}));
  Accept(Record(id, misplaced, {{"result", "wrong_location"}, {"location_found", "S2"}}));
  auto resolve = [&](const std::string& actor, const std::string& holding, const std::string& outcome) {
    return Ev(EventType::kInspectionResolve, actor, {holding},
              {{"inspection", id}, {"outcome", outcome}, {"reason", "seen on the shelf"}});
  };
  Refused(resolve("INS", back, "located"), "is drawn; its findings are resolved once it is closed");
  const std::string due = FormatRfc3339(clock_.Now() + 2 * kHour);
  Accept(Ev(EventType::kInspectionClose, "INS", {},
            {{"inspection", id}, {"finding_owner", "ADM"}, {"findings_due", due}}));
  // Bad outcomes for the finding, and a holding without one.
  Refused(resolve("INS", back, "corrected"), "was found missing: it is located, or written off");
  Refused(resolve("INS", misplaced, "located"), "is wrong_location, not missing: it is corrected");
  Refused(resolve("INS", "DOC-1", "located"), "has no finding on DOC-1");
  // The custodian of the store does not resolve it: the policy's own-store rule.
  Denied(resolve("CUS", back, "located"), "nobody resolves a finding on an item in their own custody");
  Accept(resolve("INS", back, "located"));
  Refused(resolve("INS", back, "located"), "is located already");
  Accept(resolve("INS", misplaced, "corrected"));
  // A write-off: security managers, two of them.
  Denied(resolve("INS", lost, "written_off"), "write off a missing holding");
  const Event write_off = resolve("ADM", lost, "written_off");
  const Receipt requested = Pending(write_off);
  auto alone = Approve(write_off, requested.index, "ADM");
  ASSERT_TRUE(alone.ok()) << alone.status().message();
  EXPECT_EQ(alone->outcome, Outcome::kDenied);
  auto by_inspector = Approve(write_off, requested.index, "INS");  // not a security manager
  ASSERT_TRUE(by_inspector.ok()) << by_inspector.status().message();
  EXPECT_EQ(by_inspector->outcome, Outcome::kDenied);
  // Still open past its due date: found, and raised.
  clock_.Advance(3 * kHour);
  std::vector<std::string> open;
  const std::vector<Finding> overdue = Due(data_->store(), clock_.Now()).value();
  for (const Finding& f : overdue) open.push_back(f.rule + " " + f.holding);
  EXPECT_EQ(open, (std::vector<std::string>{"finding_overdue " + lost, "inspection_missing " + lost}));
  auto approved = Approve(write_off, requested.index, "SM2");
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  EXPECT_EQ(approved->outcome, Outcome::kAccepted) << (approved->reasons.empty() ? "" : approved->reasons[0]);
  EXPECT_TRUE(Due(data_->store(), clock_.Now()).value().empty());
  Projection p(data_->store());
  ASSERT_TRUE(p.LoadHolding(lost).ok());
  EXPECT_EQ(p.holding(lost)->status, HoldingStatus::kWrittenOff);
  // Written off: no longer on hand, nothing more happens to it.
  Refused(Ev(EventType::kMove, "CUS", {lost}, {{"location", "S2"}}), "was written off as missing");
  const Json findings = Get(id).summary["findings"];
  std::vector<std::string> statuses;
  for (const Json& f : findings) statuses.push_back(f["status"].get<std::string>());
  EXPECT_EQ(statuses, (std::vector<std::string>{"written_off", "located", "corrected"}));
}

// Taken out while its destruction awaits the witness: where evidence-room
// losses concentrate (items signed off for the burn pile).
TEST_F(InspectionTest, ActivityWhileADestructionAwaitsItsWitnessIsFound) {
  constexpr int64_t kHour = 3600LL * 1000000;
  Enrol("CUS2", {"custodian"}, "HQ");
  clock_.Advance(8 * 24 * kHour);
  const std::string phone = phones_[3];  // no disposition deadline
  const Receipt requested =
      Pending(Ev(EventType::kDestroy, "CUS2", {phone}, {{"method", "shredding"}}));
  clock_.Advance(kHour);
  Accept(Ev(EventType::kMove, "CUS", {phone}, {{"location", "S2"}}));
  const auto due = Due(data_->store(), clock_.Now()).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].rule, "activity_after_deadline");
  EXPECT_EQ(due[0].subject, "CUS");
  EXPECT_EQ(due[0].holding, phone);
  Accept(Raise("INS", due[0]));
  // Once the request is cancelled, custody is ordinary again.
  Accept(Ev(EventType::kRequestCancel, "CUS2", {},
            {{"request", RecordId('R', requested.index)}, {"reason", "wrong item"}}));
  Accept(Ev(EventType::kMove, "CUS", {phone}, {{"location", "V1"}}));
  EXPECT_TRUE(Unraised(data_->store(), clock_.Now()).value().empty());
}

// A check-out outside the facility's working hours, and a facility whose
// full inventory is overdue, are found; a full inventory restarts its
// interval. The settings are a security manager's logged event.
TEST_F(InspectionTest, OutOfHoursCheckOutsAndOverdueInventoriesAreFound) {
  constexpr int64_t kHour = 3600LL * 1000000, kDay = 24 * kHour;
  auto configure = [](const std::string& actor, Json fields) {
    fields["facility"] = "HQ";
    fields["reason"] = "night shift ended";
    return Ev(EventType::kFacilityConfigure, actor, {}, fields);
  };
  Refused(configure("ADM", {}), "sets working_hours, working_days, utc_offset or inventory_days");
  Refused(configure("ADM", {{"working_hours", "8-18"}}), "is not HH:MM-HH:MM");
  Refused(configure("ADM", {{"utc_offset", "+15:00"}}), "is not +HH:MM or -HH:MM");
  Refused(configure("ADM", {{"working_days", {"fun"}}}), "is none of mon, tue");
  Refused(configure("ADM", {{"inventory_days", 5000}}), "at most 3660");
  Denied(configure("INS", {{"inventory_days", 30}}), "security_manager");
  // Working hours that exclude now: from an hour ahead, for an hour.
  const int64_t now = clock_.Now();
  const std::string ahead = FormatRfc3339(now + kHour).substr(11, 5),
                    later = FormatRfc3339(now + 2 * kHour).substr(11, 5);
  Accept(configure("ADM", {{"working_hours", ahead + "-" + later}, {"utc_offset", "+00:00"},
                           {"inventory_days", 30}}));
  const Receipt out = Accept(Ev(EventType::kCheckOut, "CUS", {"DOC-1"},
                                {{"to", "CUS"}, {"purpose", "reading"},
                                 {"due_back", FormatRfc3339(now + kDay)}}));
  const std::string at = Event::FromEntry(out.entry).value().time;
  std::vector<Finding> due = Due(data_->store(), clock_.Now()).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (Finding{"checkout_out_of_hours", "DOC-1@" + at, "DOC-1", "CUS", "HQ", "normal"}));
  Accept(Raise("INS", due[0]));
  Accept(Ev(EventType::kCheckIn, "CUS", {"DOC-1"}, Json::object()));
  // In hours ("always"): a check-out is ordinary.
  Accept(configure("ADM", {{"working_hours", "always"}}));
  Accept(Ev(EventType::kCheckOut, "CUS", {"DOC-1"},
            {{"to", "CUS"}, {"purpose", "reading"}, {"due_back", FormatRfc3339(now + kDay)}}));
  Accept(Ev(EventType::kCheckIn, "CUS", {"DOC-1"}, Json::object()));
  EXPECT_TRUE(Unraised(data_->store(), clock_.Now()).value().empty());
  // Thirty days on, no full inventory: due, counted from the setting.
  clock_.Advance(31 * kDay);
  due = Unraised(data_->store(), clock_.Now()).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].rule, "inventory_due");
  EXPECT_EQ(due[0].facility, "HQ");
  Finding elsewhere = due[0];
  elsewhere.cause = "V1@" + due[0].cause.substr(3);
  Refused(Raise("INS", elsewhere), "finds no");
  Accept(Raise("INS", due[0]));
  // A sample is no inventory; a full one of the whole facility is.
  const Receipt sampled = Accept(Open("INS", {{"method", "fixed"}, {"sample_size", 1}}));
  Accept(Draw(Get(InspectionId(sampled.index)), reveal_));
  for (const std::string& id : Get(InspectionId(sampled.index)).sample) {
    Accept(Record(InspectionId(sampled.index), id, {{"result", "found"}}));
  }
  Accept(Ev(EventType::kInspectionClose, "INS", {}, {{"inspection", InspectionId(sampled.index)}}));
  auto inventories_due = [&] {
    std::vector<std::string> causes;
    const std::vector<Finding> all = Due(data_->store(), clock_.Now()).value();
    for (const Finding& f : all) {
      if (f.rule == "inventory_due") causes.push_back(f.cause);
    }
    return causes;
  };
  clock_.Advance(kDay);
  EXPECT_EQ(inventories_due(), std::vector<std::string>{due[0].cause});
  const Receipt full = Accept(Open("INS", {{"method", "full"}}));
  const std::string id = InspectionId(full.index);
  Accept(Draw(Get(id), reveal_));
  for (const std::string& h : Get(id).sample) Accept(Record(id, h, {{"result", "found"}}));
  Accept(Ev(EventType::kInspectionClose, "INS", {}, {{"inspection", id}}));
  EXPECT_TRUE(inventories_due().empty());
  clock_.Advance(31 * kDay);
  EXPECT_EQ(inventories_due().size(), 1u);
}

// Two administrators who collude can still add whom they like; a
// two-person action whose two people one of them added is found, about
// that administrator (the founding team, set up alone, excepted).
TEST_F(InspectionTest, ATwoPersonActionByTwoPeopleOnePersonAddedIsFound) {
  constexpr int64_t kDay = 24LL * 3600 * 1000000;
  Enrol("SM2", {"security_manager"});  // ends the founding period
  clock_.Advance(8 * kDay);
  for (const char* puppet : {"P1", "P2"}) {
    const std::vector<Event> add_enrol =
        testing::AddAndEnrol("ADM", {{"person", puppet}, {"name", puppet}, {"unit", "Registry"},
                                     {"roles", {"custodian"}}, {"clearance", "SECRET"},
                                     {"facility", "HQ"}});
    const Receipt added = Pending(add_enrol[0]);
    auto approved = Approve(add_enrol[0], added.index, "SM2");
    ASSERT_TRUE(approved.ok()) << approved.status().message();
    ASSERT_EQ(approved->outcome, Outcome::kAccepted) << (approved->reasons.empty() ? "" : approved->reasons[0]);
    Accept(add_enrol[1]);
  }
  clock_.Advance(8 * kDay);  // past the puppets' quarantine
  // Between the founding team and a later person: not one person's two puppets.
  const Event by_team = Ev(EventType::kDestroy, "CUS", {"DOC-1"}, {{"method", "shredding"}});
  const Receipt team_request = Pending(by_team);
  auto team_approved = Approve(by_team, team_request.index, "P1");
  ASSERT_TRUE(team_approved.ok()) << team_approved.status().message();
  EXPECT_EQ(team_approved->outcome, Outcome::kAccepted);
  EXPECT_TRUE(Unraised(data_->store(), clock_.Now()).value().empty());
  Accept(testing::Registration("DOC-2"));
  const Event destroy = Ev(EventType::kDestroy, "P1", {"DOC-2"}, {{"method", "shredding"}});
  const Receipt requested = Pending(destroy);
  auto witnessed = Approve(destroy, requested.index, "P2");
  ASSERT_TRUE(witnessed.ok()) << witnessed.status().message();
  ASSERT_EQ(witnessed->outcome, Outcome::kAccepted) << (witnessed->reasons.empty() ? "" : witnessed->reasons[0]);
  const std::vector<Finding> due = Unraised(data_->store(), clock_.Now()).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (Finding{"same_enroller", RecordId('R', requested.index), "", "ADM", "", "high"}));
  Accept(Raise("INS", due[0]));
  const std::string id = DetectionId(due[0].rule, due[0].cause);
  Denied(Ev(EventType::kDetectionReview, "ADM", {}, {{"detection", id}, {"action", "acknowledge"}}),
         "nobody reviews a detection about themself");
  // The enroller witnessing what their own person asks: found too.
  Accept(testing::Registration("DOC-3"));
  const Event third = Ev(EventType::kDestroy, "P1", {"DOC-3"}, {{"method", "shredding"}});
  const Receipt asked = Pending(third);
  auto by_enroller = Approve(third, asked.index, "ADM");
  ASSERT_TRUE(by_enroller.ok()) << by_enroller.status().message();
  ASSERT_EQ(by_enroller->outcome, Outcome::kAccepted);
  const std::vector<Finding> more = Unraised(data_->store(), clock_.Now()).value();
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0], (Finding{"same_enroller", RecordId('R', asked.index), "", "ADM", "", "high"}));
}

// An inspector who dislikes the sample their reveal draws cannot cancel
// and open again unseen: cancelling publishes the reveal, and every
// cancellation is a detection.
TEST_F(InspectionTest, ACancelledInspectionPublishesItsRevealAndIsFound) {
  const Receipt opened = Accept(Open("INS", {{"method", "fixed"}, {"sample_size", 2}}));
  const std::string id = InspectionId(opened.index);
  auto cancel = [&](const std::string& actor, Json fields) {
    fields["inspection"] = id;
    fields["reason"] = "the vault is flooded";
    return Ev(EventType::kInspectionCancel, actor, {}, fields);
  };
  const std::string reveal = Base64Encode(reveal_);
  Refused(cancel("INS", {}), "by publishing its reveal");
  Refused(cancel("INS", {{"reveal", Base64Encode(std::string(32, 'x'))}}),
          "does not open inspection " + id + "'s commitment");
  Refused(cancel("INS", {{"reveal", "c2hvcnQ="}}), "reveal must be 32 bytes");
  Denied(cancel("CUS", {{"reveal", reveal}}), "or a security manager cancels it");
  Accept(cancel("INS", {{"reveal", reveal}}));
  EXPECT_EQ(Get(id).status, "cancelled");
  EXPECT_EQ(Get(id).summary["reveal"], reveal);
  Refused(cancel("ADM", {}), "is cancelled already");
  Refused(Draw(Get(id), reveal_), "is cancelled");
  const std::vector<Finding> due = Unraised(data_->store(), clock_.Now()).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (Finding{"inspection_cancelled", id, "", "INS", "HQ", "high"}));
  Accept(Raise("ADM", due[0]));
  // A drawn one: by a security manager only, never its inspector.
  const Receipt again = Accept(Open("INS", {{"method", "fixed"}, {"sample_size", 2}}));
  const std::string drawn = InspectionId(again.index);
  Accept(Draw(Get(drawn), reveal_));
  Event by_inspector = Ev(EventType::kInspectionCancel, "INS", {},
                          {{"inspection", drawn}, {"reason", "tired"}});
  Denied(by_inspector, "cancelled by a security manager, not by its inspector INS");
  Accept(Ev(EventType::kInspectionCancel, "ADM", {}, {{"inspection", drawn}, {"reason", "flooded"}}));
  EXPECT_EQ(Unraised(data_->store(), clock_.Now()).value().size(), 1u);
}

// The case officer extends a deadline, before it passes, with a reason;
// the custodian keeping the item never does.
TEST_F(InspectionTest, ACaseOfficerExtendsADeadlineBeforeItPasses) {
  constexpr int64_t kHour = 3600LL * 1000000, kDay = 24 * kHour;
  const std::string deadline = FormatRfc3339(clock_.Now() + 2 * kHour);
  Accept(Ev(EventType::kHoldingRegister, "CUS", {"PH-EXT"},
            {{"kind", "evidence"}, {"title", "Phone"}, {"location", "V1"}, {"case_number", "C-7"},
             {"item_type", "phone"}, {"disposition", "destroy"}, {"disposition_due", deadline}}));
  for (const Event& e : testing::AddAndEnrol("ADM", {{"person", "OFC"}, {"name", "Officer"},
                                                    {"unit", "Crime"}, {"roles", {"holder"}},
                                                    {"clearance", "SECRET"}})) {
    Accept(e);
  }
  Accept(Ev(EventType::kGrantAdd, "ADM", {},
            {{"person", "OFC"}, {"scope", "case"}, {"target", "C-7"},
             {"expires", FormatRfc3339(clock_.Now() + 30 * kDay)}}));
  auto extend = [](const std::string& actor, const std::string& id, int64_t to) {
    return Ev(EventType::kExtendDisposition, actor, {id},
              {{"disposition_due", FormatRfc3339(to)}, {"reason", "the appeal is heard in March"}});
  };
  const int64_t later = clock_.Now() + 10 * kDay;
  Denied(extend("CUS", "PH-EXT", later), "nobody extends the disposition deadline of an item in their own custody");
  Denied(extend("INS", "PH-EXT", later), "INS has no role that may hold");
  Refused(extend("OFC", "PH-EXT", clock_.Now() + kHour), "is not after PH-EXT's deadline");
  Refused(extend("OFC", "PH-EXT", clock_.Now() + 400 * kDay), "at most 366 days");
  Refused(extend("OFC", phones_[0], later), "has no disposition deadline to extend");
  Accept(extend("OFC", "PH-EXT", later));
  clock_.Advance(3 * kHour);
  EXPECT_TRUE(Due(data_->store(), clock_.Now()).value().empty());  // the new deadline runs
  clock_.Advance(10 * kDay);
  const std::vector<Finding> due = Due(data_->store(), clock_.Now()).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].cause, "PH-EXT@" + FormatRfc3339(later));
  Refused(extend("OFC", "PH-EXT", clock_.Now() + 10 * kDay), "has passed");
}

}  // namespace
}  // namespace strongroom::oversight
