// Nobody acts as someone else by editing the credentials table: a login
// proves the secret opens a sealed key, and that the key is the one the log
// recorded for the person (issue 12: an insider with the database file).
#include <gtest/gtest.h>

#include <filesystem>

#include "custody/data_dir.h"
#include "custody/sequencer.h"
#include "custody/signing.h"
#include "custody/test_events.h"

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
  void Enrol(const std::string& id, const std::string& role, const std::string& secret) {
    Event e = testing::Ev(EventType::kPersonAdd, "ADM", {},
                          {{"person", id},
                           {"name", id},
                           {"unit", "U"},
                           {"roles", {role}},
                           {"clearance", "SECRET"}});
    auto credential = strongroom::Enrol(&e, secret, SystemRandom());
    ASSERT_TRUE(credential.ok()) << credential.status().message();
    // Signed by the administrator (the founder: with the key just enrolled).
    auto key = id == "ADM" ? Unlock(CredentialFromRow(credential->row).value(), secret)
                           : UnlockPerson(data_->store(), "ADM", "the founder's secret");
    ASSERT_TRUE(key.ok()) << key.status().message();
    SignEvent(seq_->origin(), *key, SystemRandom(), &e);
    auto r = seq_->Submit(std::move(e), {std::move(*credential)});
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

}  // namespace
}  // namespace strongroom
