// Confidential entries (schema 4): a title, a code word, a reason never
// enters the log in clear. Each sealed field is a salted commitment; the
// store keeps its cleartext and the key of the salts (the disclosure) beside
// the log; a reader allowed to read the entry checks every commitment; an
// outside auditor with only the published tree checks the signatures and
// the tree, and learns nothing of what is sealed.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "custody/data_dir.h"
#include "custody/sequencer.h"
#include "custody/rules.h"
#include "custody/signing.h"
#include "custody/test_events.h"
#include "verify/audit.h"
#include "verify/fetch.h"
#include "verify/publish.h"

namespace strongroom {
namespace {

using testing::Ev;
using testing::Signed;
using testing::Stamped;
using testing::TestKey;

constexpr char kTitle[] = "Operation NIGHTJAR order";

class ConfidentialEntryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(::testing::TempDir()) + "strongroom-confidential";
    std::filesystem::remove_all(dir_);
    data_ = DataDir::Init(dir_, "confidential.example/log", SystemRandom()).value();
    seq_ = Sequencer::Start(data_->store(), data_->signer().value(), SystemClock(), SystemRandom())
               .value();
    for (Event e : testing::SetUpEvents()) Submit(std::move(e));
  }
  Receipt Submit(Event e) {
    auto r = seq_->Submit(Signed(seq_->origin(), std::move(e)));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : Receipt{};
  }
  static Event Secret(const std::string& id) {
    return Ev(EventType::kHoldingRegister, "CUS", {id},
              {{"kind", "document"},
               {"title", kTitle},
               {"location", "V1"},
               {"classification", "SECRET"},
               {"originator", "Directorate K"}});
  }
  // Runs `sql` on the store's database, as an administrator with the file.
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ + "/strongroom.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }
  std::string AllProblems() {
    auto report = AuditStore(data_.get(), std::nullopt);
    EXPECT_TRUE(report.ok()) << report.status().message();
    std::string all;
    for (const auto& p : report.ok() ? report->problems : std::vector<std::string>{}) {
      all += p + "\n";
    }
    return all;
  }

  std::string dir_;
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<Sequencer> seq_;
};

TEST_F(ConfidentialEntryTest, SealedFieldsEnterTheLogAsCommitmentsThatTheDisclosureOpens) {
  const Receipt r = Submit(Secret("DOC-1"));
  // The log holds no sealed value in clear; public ones stay readable.
  EXPECT_EQ(r.entry.find("NIGHTJAR"), std::string::npos) << r.entry;
  EXPECT_EQ(r.entry.find("SECRET"), std::string::npos) << r.entry;
  EXPECT_EQ(r.entry.find("Directorate"), std::string::npos) << r.entry;
  EXPECT_NE(r.entry.find("\"kind\":\"document\""), std::string::npos) << r.entry;
  EXPECT_NE(r.entry.find("\"location\":\"V1\""), std::string::npos) << r.entry;
  EXPECT_NE(r.entry.find("\"v\":4"), std::string::npos) << r.entry;
  ASSERT_FALSE(r.disclosure.empty());

  // Read without its disclosure: sealed, with the public values only.
  auto sealed = Event::FromEntry(r.entry);
  ASSERT_TRUE(sealed.ok()) << sealed.status().message();
  EXPECT_TRUE(sealed->sealed());
  EXPECT_EQ(sealed->Field("title"), "");
  EXPECT_EQ(sealed->Field("kind"), "document");
  EXPECT_EQ(sealed->ToEntry().value(), r.entry);

  // With it: in clear, and it encodes back to the very entry.
  auto open = Event::FromEntry(r.entry, r.disclosure);
  ASSERT_TRUE(open.ok()) << open.status().message();
  EXPECT_FALSE(open->sealed());
  EXPECT_EQ(open->Field("title"), kTitle);
  EXPECT_EQ(open->Field("classification"), "SECRET");
  EXPECT_EQ(open->ToEntry().value(), r.entry);

  // The commitment, recomputed as docs/entry-format.md says (what an
  // auditor given one field's salt and value checks on their own).
  const Json disclosure = Json::parse(r.disclosure);
  const std::string key = Base64Decode(disclosure["key"].get<std::string>()).value();
  const std::string salt = SealedFieldSalt(key, "holding.register", "title");
  EXPECT_EQ(Json::parse(r.entry)["fields"]["title"],
            SealedValueCommitment(salt, std::string("\"") + kTitle + "\""));

  // The same title in another entry: another salt, another commitment.
  const Receipt again = Submit(Secret("DOC-2"));
  EXPECT_NE(Json::parse(again.entry)["fields"]["title"], Json::parse(r.entry)["fields"]["title"]);
}

TEST_F(ConfidentialEntryTest, AnAlteredDisclosureOpensNothing) {
  const Receipt r = Submit(Secret("DOC-1"));
  Json changed = Json::parse(r.disclosure);
  changed["fields"]["title"] = "Harmless circular";
  auto forged = Event::FromEntry(r.entry, CanonicalJson(changed).value());
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(forged.status().message().find("does not open its commitments"), std::string::npos)
      << forged.status().message();
  Json rekeyed = Json::parse(r.disclosure);
  rekeyed["key"] = Base64Encode(std::string(32, 'k'));
  EXPECT_FALSE(Event::FromEntry(r.entry, CanonicalJson(rekeyed).value()).ok());
  // Not a disclosure at all.
  EXPECT_FALSE(Event::FromEntry(r.entry, "{\"fields\":{}}").ok());
  EXPECT_FALSE(Event::FromEntry(r.entry, "[]").ok());
}

TEST_F(ConfidentialEntryTest, VerifyOpensEveryEntryAndNamesAnAlteredOrMissingDisclosure) {
  const Receipt r = Submit(Secret("DOC-1"));
  Submit(Ev(EventType::kCheckOut, "CUS", {"DOC-1"},
            {{"to", "CUS"}, {"purpose", "Review of NIGHTJAR"}, {"due_back", "2030-01-01T00:00:00Z"}}));
  {
    auto report = AuditStore(data_.get(), std::nullopt);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok()) << report->problems.front();
    EXPECT_GT(report->disclosed, 0u);
    EXPECT_EQ(report->sealed, 0u);
  }
  seq_.reset();
  // The administrator rewrites the cleartext kept beside the log.
  Sql("UPDATE disclosures SET data = replace(data, 'NIGHTJAR', 'HARMLESS') WHERE idx = " +
      std::to_string(r.index));
  std::string all = AllProblems();
  EXPECT_NE(all.find("entry " + std::to_string(r.index) + ": the entry's disclosure does not open"),
            std::string::npos)
      << all;
  // ... or removes it: verify says the entry cannot be opened.
  Sql("DELETE FROM disclosures WHERE idx = " + std::to_string(r.index));
  all = AllProblems();
  EXPECT_NE(all.find("could not be opened"), std::string::npos) << all;
  // ... or plants one for an entry yet to come.
  Sql("INSERT INTO disclosures(idx, data) VALUES(99999, '{}')");
  all = AllProblems();
  EXPECT_NE(all.find("1 disclosures are stored for entries beyond the log"), std::string::npos)
      << all;
}

TEST_F(ConfidentialEntryTest, APublishedTreeHoldsNoCleartextAndItsSignaturesStillVerify) {
  Submit(Secret("DOC-1"));
  const std::string pub = dir_ + "-published";
  std::filesystem::remove_all(pub);
  auto published = Publish(data_.get(), pub);
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_EQ(published->clear_entries, 0u);
  for (const auto& file : std::filesystem::recursive_directory_iterator(pub)) {
    if (!file.is_regular_file()) continue;
    std::stringstream bytes;
    bytes << std::ifstream(file.path()).rdbuf();
    for (const char* secret : {"NIGHTJAR", "Directorate", "Registry", "\"classification\":\"S"}) {
      EXPECT_EQ(bytes.str().find(secret), std::string::npos) << secret << " in " << file.path();
    }
  }
  auto source = OpenTreeSource(pub);
  ASSERT_TRUE(source.ok());
  auto report = VerifyPublishedTree(source->get(), data_->verifier(), std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->sealed, report->entries);
  EXPECT_EQ(report->actor_signed, report->entries);

  // An entry in the custodian's name, signed by someone else, appended with
  // the log's key: the outside auditor names it without any cleartext.
  seq_.reset();
  Event forged = Stamped(Secret("DOC-FORGED"));
  SignEvent("confidential.example/log", TestKey("ADM"), SystemRandom(), &forged);
  testing::AppendWithTheLogKey(data_.get(), {forged});
  ASSERT_TRUE(Publish(data_.get(), pub).ok());
  source = OpenTreeSource(pub);
  ASSERT_TRUE(source.ok());
  report = VerifyPublishedTree(source->get(), data_->verifier(), std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().message();
  std::string all;
  for (const auto& p : report->problems) all += p + "\n";
  EXPECT_NE(all.find("the actor signature of holding.register by CUS does not verify"),
            std::string::npos)
      << all;
}

// Without the cleartext the auditor still checks what the public values
// decide: who holds which key (an enrolment needs a person added with the
// code it shows; a key is replaced only by its holder) and that a
// completion answers an open request, signed by someone else.
TEST_F(ConfidentialEntryTest, AnOutsideAuditorChecksWhoHoldsWhichKeyAndWhatIsApproved) {
  Submit(Secret("DOC-1"));
  seq_.reset();
  const std::string origin = "confidential.example/log";
  Event ghost = Ev(EventType::kPersonEnrol, "GHOST", {},
                   {{"person", "GHOST"},
                    {"code", testing::TestCode("GHOST")},
                    {"public_key", testing::TestPublicKey("GHOST")}});
  SignEvent(origin, TestKey("GHOST"), SystemRandom(), &ghost);
  Event takeover = Ev(EventType::kPersonRekey, "ADM", {},
                      {{"person", "CUS"}, {"public_key", testing::TestPublicKey("GHOST")}});
  SignEvent(origin, TestKey("ADM"), SystemRandom(), &takeover);
  Event destroy = Ev(EventType::kDestroy, "CUS", {"DOC-1"}, {{"method", "shredding"}});
  destroy.basis = 2;  // not a request
  SignAsWith(origin, "ADM", TestKey("ADM"), &destroy);
  testing::AppendWithTheLogKey(data_.get(), {Stamped(ghost), Stamped(takeover), Stamped(destroy)});
  const std::string pub = dir_ + "-published";
  std::filesystem::remove_all(pub);
  ASSERT_TRUE(Publish(data_.get(), pub).ok());
  auto source = OpenTreeSource(pub);
  ASSERT_TRUE(source.ok());
  auto report = VerifyPublishedTree(source->get(), data_->verifier(), std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().message();
  std::string all;
  for (const auto& p : report->problems) all += p + "\n";
  EXPECT_NE(all.find("person.enrol by GHOST: GHOST is not in the log"), std::string::npos) << all;
  EXPECT_NE(all.find("person.rekey by ADM: a person replaces only their own key"), std::string::npos)
      << all;
  EXPECT_NE(all.find("holding.destroy by CUS answers no open request R-2"), std::string::npos)
      << all;
  // The store's own audit refuses them too (with the cleartext, the rules).
  EXPECT_FALSE(AuditStore(data_.get(), std::nullopt)->ok());
}

// A store that began before sealed fields: a two-person request opened in
// schema 3 (fields in clear) and approved in schema 4 (sealed under a key of
// its own) verifies both ways; only the cleartext compares their fields.
TEST(ConfidentialEntryUpgradeTest, ARequestOpenedInSchema3IsApprovedInSchema4) {
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-confidential-upgrade";
  std::filesystem::remove_all(dir);
  auto data = DataDir::Init(dir, "upgrade.example/log", SystemRandom()).value();
  const std::string origin = "upgrade.example/log";
  std::vector<Event> old;
  auto schema3 = [&](Event e) {
    e.version = 3;
    e = Signed(origin, std::move(e));
    return Stamped(std::move(e));
  };
  for (Event e : testing::SetUpEvents()) old.push_back(schema3(std::move(e)));
  old.push_back(schema3(testing::Registration("DOC-1")));
  Event destroy = schema3(Ev(EventType::kDestroy, "CUS", {"DOC-1"}, {{"method", "shredding"}}));
  old.push_back(RequestEvent(destroy, {"destruction"}));
  testing::AppendWithTheLogKey(data.get(), old);
  const int64_t request = static_cast<int64_t>(old.size()) - 1;

  Event approval = Ev(EventType::kDestroy, "CUS", {"DOC-1"}, {{"method", "shredding"}});
  approval.basis = request;
  SignAsWith(origin, "ADM", TestKey("ADM"), &approval);
  testing::AppendWithTheLogKey(data.get(), {Stamped(approval)});

  // (Appended without the sequencer, the projection was never written:
  // the audit's only problems are the rows it misses.)
  auto audit = AuditStore(data.get(), std::nullopt);
  ASSERT_TRUE(audit.ok());
  for (const std::string& p : audit->problems) EXPECT_EQ(p.rfind("projection ", 0), 0u) << p;
  EXPECT_EQ(audit->clear, old.size());
  EXPECT_EQ(audit->disclosed, 1u);
  const std::string pub = dir + "-published";
  std::filesystem::remove_all(pub);
  auto published = Publish(data.get(), pub);
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(published->clear_entries, old.size());
  auto source = OpenTreeSource(pub);
  ASSERT_TRUE(source.ok());
  auto report = VerifyPublishedTree(source->get(), data->verifier(), std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->sealed, 1u);
}

}  // namespace
}  // namespace strongroom
