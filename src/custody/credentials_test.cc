// Nobody acts as someone else by editing the credentials table: a login
// proves the secret opens a sealed key, and that the key is the one the log
// recorded for the person (issue 12: an insider with the database file).
#include <gtest/gtest.h>

#include <filesystem>

#include "custody/data_dir.h"
#include "custody/sequencer.h"
#include "custody/signing.h"
#include "custody/test_events.h"
#include "verify/audit.h"

namespace strongroom {
namespace {

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(::testing::TempDir()) + "strongroom-credentials";
    std::filesystem::remove_all(dir_);
    data_ = DataDir::Init(dir_, "credentials.example/log", SystemRandom()).value();
    auto seq = Sequencer::Start(data_->store(), data_->signer().value(), SystemClock(),
                                SystemRandom());
    ASSERT_TRUE(seq.ok()) << seq.status().message();
    seq_ = std::move(*seq);
    Enrol("ADM", "administrator", "the founder's secret");
    Enrol("EVE", "holder", "eve's own secret");
    Enrol("CUS", "custodian", "the custodian's secret");
  }
  // The founder enrols with their own credential; everyone else is added
  // with an enrolment code and sets their own credential with it.
  void Enrol(const std::string& id, const std::string& role, const std::string& secret) {
    Event add = testing::Ev(EventType::kPersonAdd, "ADM", {},
                            {{"person", id},
                             {"name", id},
                             {"unit", "U"},
                             {"roles", {role}},
                             {"clearance", "SECRET"}});
    if (id == "ADM") {
      Ed25519PrivateKey key;
      auto credential = strongroom::Enrol(&add, secret, SystemRandom(), &key);
      ASSERT_TRUE(credential.ok()) << credential.status().message();
      SignEvent(seq_->origin(), key, SystemRandom(), &add);
      Accept(std::move(add), {std::move(*credential)});
      return;
    }
    const std::string code = IssueEnrolmentCode(&add, SystemRandom());
    auto admin = UnlockPerson(data_->store(), "ADM", "the founder's secret");
    ASSERT_TRUE(admin.ok()) << admin.status().message();
    SignEvent(seq_->origin(), *admin, SystemRandom(), &add);
    Accept(std::move(add), {});
    Event enrol = EnrolEvent(id, code, secret, &enrol_row_);
    Accept(std::move(enrol), {enrol_row_});
  }
  // `id`'s person.enrol with `code`, their credential from `secret` in *row.
  Event EnrolEvent(const std::string& id, const std::string& code, const std::string& secret,
                   RowWrite* row) {
    Event e = testing::Ev(EventType::kPersonEnrol, id, {}, {{"person", id}, {"code", code}});
    Ed25519PrivateKey key;
    auto credential = strongroom::Enrol(&e, secret, SystemRandom(), &key);
    EXPECT_TRUE(credential.ok()) << credential.status().message();
    if (credential.ok()) *row = *credential;
    SignEvent(seq_->origin(), key, SystemRandom(), &e);
    return e;
  }
  // Submits `id`'s enrolment with `code` (the event and its row made first).
  Result<Receipt> TryEnrol(const std::string& id, const std::string& code,
                           const std::string& secret) {
    RowWrite row;
    Event e = EnrolEvent(id, code, secret, &row);
    return seq_->Submit(std::move(e), {row});
  }
  void Accept(Event e, std::vector<RowWrite> rows) {
    auto r = seq_->Submit(std::move(e), std::move(rows));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->outcome, Outcome::kAccepted);
  }
  Row CredentialRow(const std::string& person) {
    return data_->store()->GetRow(kCredentialsTable, {person}).value().value();
  }
  void PutRow(Row row) { ASSERT_TRUE(data_->store()->PutRows({{kCredentialsTable, row}}).ok()); }

  std::string dir_;
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<Sequencer> seq_;
  RowWrite enrol_row_;
};

TEST_F(CredentialsTest, EachPersonUnlocksOnlyTheirOwnKey) {
  Store* store = data_->store();
  EXPECT_TRUE(UnlockPerson(store, "EVE", "eve's own secret").ok());
  EXPECT_EQ(UnlockPerson(store, "CUS", "eve's own secret").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(UnlockPerson(store, "NOBODY", "eve's own secret").status().code(),
            StatusCode::kNotFound);
}

TEST_F(CredentialsTest, AHashCopiedFromAnotherPersonDoesNotLogIn) {
  // Eve copies her own argon2 hash over the custodian's.
  Row cus = CredentialRow("CUS");
  cus.values[1] = CredentialRow("EVE").values[1];
  PutRow(cus);
  auto as_cus = UnlockPerson(data_->store(), "CUS", "eve's own secret");
  EXPECT_EQ(as_cus.status().code(), StatusCode::kUnauthenticated) << as_cus.status().message();
}

TEST_F(CredentialsTest, AWholeRowCopiedFromAnotherPersonDoesNotLogIn) {
  // Eve copies her whole credential (hash, salt, sealed key, public key).
  Row cus = CredentialRow("EVE");
  cus.values[0] = std::string("CUS");
  PutRow(cus);
  auto as_cus = UnlockPerson(data_->store(), "CUS", "eve's own secret");
  EXPECT_EQ(as_cus.status().code(), StatusCode::kUnauthenticated) << as_cus.status().message();
  // Nor can she sign an approval in the custodian's name with it.
  Event e = testing::Ev(EventType::kFacilityAdd, "ADM", {}, {{"facility", "F"}, {"name", "F"}});
  e.basis = 1;
  EXPECT_FALSE(SignAs(data_->store(), "credentials.example/log", "CUS", "eve's own secret", &e).ok());
  EXPECT_TRUE(e.signatures.empty());
}

TEST_F(CredentialsTest, HerOwnKeySealedInAnotherPersonsNameDoesNotLogIn) {
  // Eve seals her own key under the custodian's name with her secret: it
  // opens, but it is not the key the log recorded for the custodian.
  auto eve_key = UnlockPerson(data_->store(), "EVE", "eve's own secret");
  ASSERT_TRUE(eve_key.ok());
  auto forged = SealCredential("CUS", "eve's own secret", *eve_key, SystemRandom());
  ASSERT_TRUE(forged.ok());
  PutRow(ToRow(*forged));
  auto as_cus = UnlockPerson(data_->store(), "CUS", "eve's own secret");
  EXPECT_EQ(as_cus.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(as_cus.status().message().find("does not open the key the log recorded"),
            std::string::npos)
      << as_cus.status().message();
}

// Nobody sets another person's credential: the administrator's client
// gets a one-time code (only its commitment is logged), and the new person
// sets their own credential and key with it, signing with that key. The
// code works once, for that person, before it expires; the key they set is
// then theirs alone, and they can replace it (signed with the old one).
TEST_F(CredentialsTest, NewPeopleSetTheirOwnCredentialWithAOneTimeCode) {
  Store* store = data_->store();
  auto admin = UnlockPerson(store, "ADM", "the founder's secret").value();
  Event add = testing::Ev(EventType::kPersonAdd, "ADM", {},
                          {{"person", "NEW"},
                           {"name", "New"},
                           {"unit", "U"},
                           {"roles", {"holder"}},
                           {"clearance", "SECRET"}});
  // The administrator may not put a key of their choosing into the record.
  Event with_key = add;
  ASSERT_TRUE(with_key.fields.Set("public_key", Json(testing::TestPublicKey("NEW"))).ok());
  SignEvent(seq_->origin(), admin, SystemRandom(), &with_key);
  auto refused = seq_->Submit(with_key);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("a person's key is theirs to make"), std::string::npos)
      << refused.status().message();

  const std::string code = IssueEnrolmentCode(&add, SystemRandom());
  EXPECT_EQ(code.size(), 32u);
  SignEvent(seq_->origin(), admin, SystemRandom(), &add);
  Accept(add, {});
  auto added = seq_->size();
  // Someone else's code, a wrong code, another person using it: refused.
  for (auto [who, try_code] : std::vector<std::pair<std::string, std::string>>{
           {"NEW", std::string(32, '0')}, {"EVE", code}}) {
    EXPECT_FALSE(TryEnrol(who, try_code, "a secret of mine").ok()) << who;
  }
  EXPECT_EQ(seq_->size(), added);
  EXPECT_EQ(UnlockPerson(store, "NEW", "a secret of mine").status().code(),
            StatusCode::kUnauthenticated);
  // The person, with their code: their credential opens their key.
  auto enrolled = TryEnrol("NEW", code, "a secret of mine");
  ASSERT_TRUE(enrolled.ok()) << enrolled.status().message();
  ASSERT_TRUE(UnlockPerson(store, "NEW", "a secret of mine").ok());
  // Once only.
  auto again = TryEnrol("NEW", code, "another secret");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("NEW is enrolled already"), std::string::npos)
      << again.status().message();

  // A new credential: a new key, signed with the old one.
  auto old_key = UnlockPerson(store, "NEW", "a secret of mine").value();
  Event rekey = testing::Ev(EventType::kPersonRekey, "NEW", {}, {{"person", "NEW"}});
  auto credential = strongroom::Enrol(&rekey, "my new secret", SystemRandom());
  ASSERT_TRUE(credential.ok());
  Event forged = rekey;  // signed with the new key instead: not theirs yet
  SignEvent(seq_->origin(), admin, SystemRandom(), &forged);
  EXPECT_FALSE(seq_->Submit(forged, {*credential}).ok());
  SignEvent(seq_->origin(), old_key, SystemRandom(), &rekey);
  Accept(rekey, {*credential});
  EXPECT_FALSE(UnlockPerson(store, "NEW", "a secret of mine").ok());
  auto new_key = UnlockPerson(store, "NEW", "my new secret");
  ASSERT_TRUE(new_key.ok()) << new_key.status().message();
  EXPECT_NE(new_key->public_key(), old_key.public_key());

  // The log shows all of it, each entry signed by its actor; verify checks
  // the enrolment code against the commitment the person.add logged.
  auto report = AuditStore(data_.get(), std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->actor_signed, report->entries);
}

// An enrolment code expires (72 hours), and an administrator issues a new
// one with person.update, for someone not yet enrolled only.
TEST_F(CredentialsTest, AnEnrolmentCodeExpiresAndIsReissued) {
  FakeClock clock(SystemClock()->Now());
  seq_.reset();
  seq_ = Sequencer::Start(data_->store(), data_->signer().value(), &clock, SystemRandom()).value();
  auto admin = UnlockPerson(data_->store(), "ADM", "the founder's secret").value();
  Event add = testing::Ev(EventType::kPersonAdd, "ADM", {},
                          {{"person", "LATE"},
                           {"name", "Late"},
                           {"unit", "U"},
                           {"roles", {"holder"}},
                           {"clearance", "SECRET"}});
  const std::string code = IssueEnrolmentCode(&add, SystemRandom());
  SignEvent(seq_->origin(), admin, SystemRandom(), &add);
  Accept(add, {});
  clock.Advance(kEnrolmentLifetimeMicros);
  auto expired = TryEnrol("LATE", code, "my own secret");
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos)
      << expired.status().message();
  Event reissue = testing::Ev(EventType::kPersonUpdate, "ADM", {}, {{"person", "LATE"}});
  const std::string fresh = IssueEnrolmentCode(&reissue, SystemRandom());
  SignEvent(seq_->origin(), admin, SystemRandom(), &reissue);
  Accept(reissue, {});
  EXPECT_FALSE(TryEnrol("LATE", code, "my own secret").ok());
  auto enrolled = TryEnrol("LATE", fresh, "my own secret");
  ASSERT_TRUE(enrolled.ok()) << enrolled.status().message();
  // Not for someone enrolled: that would let an administrator re-enrol them.
  Event over = testing::Ev(EventType::kPersonUpdate, "ADM", {}, {{"person", "LATE"}});
  (void)IssueEnrolmentCode(&over, SystemRandom());
  SignEvent(seq_->origin(), admin, SystemRandom(), &over);
  auto refused = seq_->Submit(over);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("LATE is enrolled"), std::string::npos);
}

}  // namespace
}  // namespace strongroom
