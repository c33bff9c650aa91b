// Nobody acts as someone else: every entry carries its actor's own
// signature, made with the key the log recorded for them. The sequencer
// takes nothing else, and verify names any entry appended by someone who
// holds the log's key but not the actor's (the insider this defends
// against: the administrator with the database file, and the key file too).
#include <gtest/gtest.h>

#include <filesystem>

#include "custody/data_dir.h"
#include "custody/rules.h"
#include "custody/sequencer.h"
#include "custody/signing.h"
#include "custody/test_events.h"
#include "ledger/log_writer.h"
#include "verify/audit.h"

namespace strongroom {
namespace {

using testing::Registration;
using testing::Signed;
using testing::Stamped;
using testing::TestKey;

class ActorSignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(::testing::TempDir()) + "strongroom-actor-signature";
    std::filesystem::remove_all(dir_);
    data_ = DataDir::Init(dir_, "actors.example/log", SystemRandom()).value();
    seq_ = Sequencer::Start(data_->store(), data_->signer().value(), SystemClock(), SystemRandom())
               .value();
    for (Event e : testing::SetUpEvents()) {
      auto r = seq_->Submit(Signed(seq_->origin(), std::move(e)));
      ASSERT_TRUE(r.ok()) << r.status().message();
    }
  }
  // `e` is refused with `words`, and nothing is written.
  void Refused(Event e, const std::string& words) {
    const uint64_t before = seq_->size();
    auto r = seq_->Submit(std::move(e));
    ASSERT_FALSE(r.ok()) << "accepted; want '" << words << "'";
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated) << r.status().message();
    EXPECT_NE(r.status().message().find(words), std::string::npos)
        << "want '" << words << "', got: " << r.status().message();
    EXPECT_EQ(seq_->size(), before);
  }
  void AppendWithTheLogKey(const std::vector<Event>& events) {
    seq_.reset();
    testing::AppendWithTheLogKey(data_.get(), events);
  }
  std::string AllProblems() {
    auto report = AuditStore(data_.get(), std::nullopt);
    EXPECT_TRUE(report.ok()) << report.status().message();
    std::string all;
    if (report.ok()) {
      for (const auto& p : report->problems) all += p + "\n";
    }
    return all;
  }
  std::string dir_;
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<Sequencer> seq_;
};

TEST_F(ActorSignatureTest, TheSequencerTakesOnlyEventsSignedWithTheActorsLoggedKey) {
  const std::string origin = seq_->origin();
  // Signed properly: accepted, and the entry carries the signature.
  auto ok = seq_->Submit(Signed(origin, Registration("DOC-1")));
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_NE(ok->entry.find("\"actor_signature\":"), std::string::npos) << ok->entry;

  Refused(Registration("DOC-2"), "holding.register by CUS is not signed by its actor");

  // The administrator signs an event in the custodian's name.
  Event as_cus = Registration("DOC-3");
  SignEvent(origin, TestKey("ADM"), SystemRandom(), &as_cus);
  Refused(as_cus, "is signed with a key that is not the one the log holds for CUS");

  // ... and claims the custodian's key signed it.
  as_cus.signer_key = TestKey("CUS").public_key();
  Refused(as_cus, "the actor signature of CUS does not verify for this event");

  // A signed event altered afterwards.
  Event altered = Signed(origin, Registration("DOC-4"));
  ASSERT_TRUE(altered.fields.Set("title", Json("Something else")).ok());
  Refused(altered, "does not verify for this event");
  Event renamed = Signed(origin, Registration("DOC-5"));
  renamed.holdings = {"DOC-6"};
  Refused(renamed, "does not verify for this event");

  // Signed for another log.
  Refused(Signed("elsewhere.example/log", Registration("DOC-7")), "does not verify");

  // The very id the sequencer would give this entry, chosen and signed by
  // the custodian: it would be signed with the id, which verify strips.
  Event squat = Signed(origin, Registration(NumberedHoldingId(seq_->size())));
  auto squatted = seq_->Submit(squat);
  ASSERT_FALSE(squatted.ok());
  EXPECT_NE(squatted.status().message().find("given by the sequencer"), std::string::npos)
      << squatted.status().message();

  // A signed event is good for one entry: submitted again, it is refused.
  Event replay = Signed(origin, Registration("TWICE"));
  ASSERT_TRUE(seq_->Submit(replay).ok());
  auto again = seq_->Submit(replay);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("submitted before"), std::string::npos)
      << again.status().message();

  // A person with no key in the log cannot act at all.
  auto added = seq_->Submit(Signed(origin, testing::Ev(EventType::kPersonAdd, "ADM", {},
                                                       {{"person", "NOKEY"},
                                                        {"name", "No Key"},
                                                        {"unit", "Registry"},
                                                        {"roles", {"custodian"}},
                                                        {"clearance", "SECRET"},
                                                        {"facility", "HQ"}})));
  ASSERT_TRUE(added.ok()) << added.status().message();
  Event keyless = Registration("DOC-8");
  keyless.actor = "NOKEY";
  Refused(Signed(origin, keyless), "NOKEY has no personal key in the log");

  auto report = AuditStore(data_.get(), std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->actor_signed, report->entries);  // every entry, the founding one too
  EXPECT_EQ(report->schema2, 0u);
}

// A numbered registration is signed without the id the sequencer gives it;
// a denial and a request carry the signature of the event they wrap; an
// approval carries the approver's instead. All verify.
TEST_F(ActorSignatureTest, NumberedDeniedAndRequestedEventsVerify) {
  const std::string origin = seq_->origin();
  Event numbered = Registration("");
  numbered.holdings.clear();
  auto n = seq_->Submit(Signed(origin, numbered));
  ASSERT_TRUE(n.ok()) << n.status().message();
  ASSERT_EQ(n->holding, NumberedHoldingId(n->index));
  // TOP SECRET is above the custodian's clearance: denied, and logged.
  Event above = testing::Ev(EventType::kHoldingRegister, "CUS", {"TS-1"},
                            {{"kind", "document"},
                             {"title", "Above"},
                             {"location", "V1"},
                             {"classification", "TOP SECRET"}});
  auto denied = seq_->Submit(Signed(origin, above));
  ASSERT_TRUE(denied.ok()) << denied.status().message();
  EXPECT_EQ(denied->outcome, Outcome::kDenied);
  // Destruction needs a witness: a request, then its approval by ADM.
  auto doc = seq_->Submit(Signed(origin, Registration("DOC-1")));
  ASSERT_TRUE(doc.ok());
  Event destroy = testing::Ev(EventType::kDestroy, "CUS", {"DOC-1"}, {{"method", "shredding"}});
  auto request = seq_->Submit(Signed(origin, destroy));
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->outcome, Outcome::kPending);
  Event approval = destroy;
  approval.basis = static_cast<int64_t>(request->index);
  SignAsWith(origin, "ADM", TestKey("ADM"), &approval);
  auto approved = seq_->Submit(Signed(origin, approval));  // Signed() leaves it as it is
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  EXPECT_EQ(approved->outcome, Outcome::kAccepted);
  EXPECT_EQ(approved->entry.find("actor_signature"), std::string::npos) << approved->entry;
  // An approval may not also claim an actor signature.
  Event both = approval;
  both.basis = static_cast<int64_t>(request->index);
  SignEvent(origin, TestKey("CUS"), SystemRandom(), &both);
  auto refused = seq_->Submit(both);
  EXPECT_FALSE(refused.ok());

  auto report = AuditStore(data_.get(), std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->actor_signed, report->entries - 1);  // all but the approval
}

// The insider holds the log's key (the threat docs/security.md describes,
// which sealing that key narrows) and appends a registration in the
// custodian's name, signed with their own key, and an entry without an
// actor signature, of schema 2, after schema-3 entries. Verify names both.
TEST_F(ActorSignatureTest, VerifyNamesEntriesTheActorDidNotSign) {
  const std::string origin = seq_->origin();
  const uint64_t size = seq_->size();
  Event forged = Registration("FORGED");
  SignEvent(origin, TestKey("ADM"), SystemRandom(), &forged);
  Event downgraded = Stamped(Registration("OLD-STYLE"));
  downgraded.version = 2;
  AppendWithTheLogKey({Stamped(forged), downgraded});
  const std::string all = AllProblems();
  EXPECT_NE(all.find("entry " + std::to_string(size) +
                     ": the actor signature of holding.register by CUS does not verify"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("entry " + std::to_string(size + 1) +
                     ": schema 2 after an entry of schema 4"),
            std::string::npos)
      << all;
}

// The insider with the log's key adds a person alone, once someone else
// may approve administration: a correctly signed person.add written as
// accepted, without the second person the rules ask for. Verify names it.
TEST_F(ActorSignatureTest, VerifyNamesAPersonAddedWithoutTheSecondPerson) {
  for (const Event& e : testing::AddAndEnrol(
           "ADM", {{"person", "SM2"}, {"name", "Second"}, {"unit", "Security"},
                   {"roles", {"security_manager"}}, {"clearance", "SECRET"}})) {
    auto r = seq_->Submit(Signed(seq_->origin(), e));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->outcome, Outcome::kAccepted);  // the founder's team
  }
  const uint64_t size = seq_->size();
  Event add = testing::AddAndEnrol("ADM", {{"person", "SOCK"}, {"name", "Sock"}, {"unit", "U"},
                                           {"roles", {"custodian"}}, {"clearance", "SECRET"}})[0];
  SignEvent(seq_->origin(), TestKey("ADM"), SystemRandom(), &add);
  AppendWithTheLogKey({Stamped(add)});
  const std::string all = AllProblems();
  EXPECT_NE(all.find("entry " + std::to_string(size) + ":"), std::string::npos) << all;
  EXPECT_NE(all.find("enrolling a person"), std::string::npos) << all;
}

// A client may sign many events with one signature (the RFC 6962 root of
// their leaves): each entry carries its path, each event still verifies on
// its own, and none can be changed or moved to another batch.
TEST_F(ActorSignatureTest, OneSignatureCoversABatchAndEachEventInIt) {
  const std::string origin = seq_->origin();
  std::vector<Event> batch;
  for (int i = 0; i < 5; ++i) batch.push_back(Registration("B-" + std::to_string(i)));
  std::vector<Event*> pointers;
  for (Event& e : batch) pointers.push_back(&e);
  SignEvents(origin, TestKey("CUS"), SystemRandom(), pointers);
  EXPECT_EQ(batch[0].actor_signature, batch[4].actor_signature);
  Event altered = batch[3];
  ASSERT_TRUE(altered.fields.Set("title", Json("Swapped")).ok());
  Refused(altered, "does not verify for this event");
  Event moved = batch[2];
  moved.batch_index = 1;  // claims another place in the batch
  Refused(moved, "does not verify for this event");
  for (Event& e : batch) {
    auto r = seq_->Submit(e);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_NE(r->entry.find("\"actor_batch\":{\"index\":"), std::string::npos) << r->entry;
    auto read = Event::FromEntry(r->entry);
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(read->batch_path, e.batch_path);
    EXPECT_EQ(read->ToEntry().value(), r->entry);
  }
  auto report = AuditStore(data_.get(), std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->actor_signed, report->entries);

  // In the log, with the log's key: a path that leads elsewhere.
  const uint64_t size = seq_->size();
  Event forged = Stamped(Registration("B-FORGED"));
  forged.actor_signature = batch[0].actor_signature;
  forged.batch_index = 0;
  forged.batch_size = 5;
  forged.batch_path = batch[0].batch_path;
  AppendWithTheLogKey({forged});
  const std::string all = AllProblems();
  EXPECT_NE(all.find("entry " + std::to_string(size) +
                     ": the actor signature of holding.register by CUS does not verify"),
            std::string::npos)
      << all;
}

// A schema-3 entry with neither the actor's signature nor approvals is not
// an entry at all.
TEST_F(ActorSignatureTest, AnUnsignedSchema3EntryIsMalformed) {
  const uint64_t size = seq_->size();
  AppendWithTheLogKey({Stamped(Registration("UNSIGNED"))});
  const std::string all = AllProblems();
  EXPECT_NE(all.find("entry " + std::to_string(size) +
                     ": malformed entry: a schema-3 entry carries either the actor's signature "
                     "or approval signatures"),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace strongroom
