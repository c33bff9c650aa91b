// A month in an evidence and records store, through the command line:
// registrations, need-to-know, check-outs, a transfer, copies, a distribution,
// a dispatch whose seal arrives broken, a witnessed destruction, a release by
// court order, heightened control, a suspended officer's attempt, a
// dismissal and a correction. At the end: the state, the log and `verify`.
#include <gtest/gtest.h>

#include "cli_harness.h"
#include "json/canonical.h"

namespace strongroom::testing {
namespace {

class ScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("scenario") + "/data";
    Ok({"init", "--data", dir_, "--origin", "evidence.example/log"});
    Ok({"person", "add", "--data", dir_, "--actor", "SM", "--id", "SM", "--name", "Sam Manager",
        "--unit", "Security", "--roles", "administrator,security_manager", "--clearance",
        "TOP SECRET", "--compartments", "ORCHID"});
    Ok({"facility", "add", "--data", dir_, "--actor", "SM", "--id", "HQ", "--name", "HQ store"});
    Ok({"facility", "add", "--data", dir_, "--actor", "SM", "--id", "LAB", "--name", "Lab"});
    Ok({"location", "add", "--data", dir_, "--actor", "SM", "--id", "V1", "--facility", "HQ",
        "--name", "Vault", "--kind", "vault"});
    Ok({"location", "add", "--data", dir_, "--actor", "SM", "--id", "V2", "--facility", "HQ",
        "--name", "Safe", "--kind", "safe"});
    Ok({"location", "add", "--data", dir_, "--actor", "SM", "--id", "L1", "--facility", "LAB",
        "--name", "Lab shelf", "--kind", "shelf"});
    Person("C1", "custodian,holder", "TOP SECRET", "HQ");
    Person("C2", "custodian,holder", "TOP SECRET", "HQ");
    Person("C3", "custodian", "SECRET", "LAB");
    Person("O1", "holder", "SECRET", "");
    Person("O2", "holder", "SECRET", "");
    Person("INS", "inspector", "TOP SECRET", "");
    Person("SM2", "security_manager", "TOP SECRET", "");
  }

  void Person(const std::string& id, const std::string& roles, const std::string& clearance,
              const std::string& facility) {
    std::vector<std::string> args = {
        "person",  "add", "--data",      dir_,           "--actor",        "SM",
        "--id",    id,    "--name",      "Person " + id, "--unit",         "Narcotics",
        "--roles", roles, "--clearance", clearance,      "--compartments", "ORCHID"};
    if (!facility.empty()) args.insert(args.end(), {"--facility", facility});
    RunResult r = AddAndEnrol(args);  // they set their own credential
    ASSERT_EQ(r.code, 0) << r.err;
  }

  Json Ok(std::vector<std::string> args) {
    args.push_back("--json");
    RunResult r = Strongroom(args);
    EXPECT_EQ(r.code, 0) << args[0] << " " << args[1] << ": " << r.err;
    return r.out.empty() ? Json() : Json::parse(r.out);
  }
  RunResult Fails(std::vector<std::string> args, int code, const std::string& words) {
    RunResult r = Strongroom(args);
    EXPECT_EQ(r.code, code) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << "want '" << words << "', got " << r.err;
    return r;
  }
  Json Holding(const std::string& id) {
    return Ok({"holding", "show", "--data", dir_, "--holding", id})["holding"];
  }
  // Opens a request as `actor`, approves it as `second`; the final entry.
  Json TwoPerson(std::vector<std::string> args, const std::string& second) {
    Json pending = Ok(args);
    EXPECT_EQ(pending["outcome"], "pending") << pending.dump();
    return Ok({"request", "approve", "--data", dir_, "--request", pending["request"], "--actor",
               second})["entry"];
  }
  std::vector<std::string> Cmd(std::initializer_list<std::string> words) {
    std::vector<std::string> v(words);
    v.insert(v.begin() + 2, {"--data", dir_});
    return v;
  }

  std::string dir_;
};

TEST_F(ScenarioTest, AMonthInTheEvidenceStore) {
  // Week 1: intake.
  Ok(Cmd({"holding",       "register",
          "--actor",       "C1",
          "--id",          "PHONE-1",
          "--kind",        "evidence",
          "--title",       "Phone from the Elm St search",
          "--location",    "V1",
          "--case",        "CASE-7",
          "--item-type",   "mobile phone",
          "--imei",        "356938035643809",
          "--disposition", "destroy"}));
  Ok(Cmd({"holding", "register", "--actor", "C1", "--id", "CASH-1", "--kind", "evidence", "--title",
          "Cash, 4,200 EUR", "--location", "V1", "--case", "CASE-7", "--item-type", "cash",
          "--disposition", "return"}));
  Ok(Cmd({"holding",
          "register",
          "--actor",
          "C1",
          "--id",
          "ORD-1",
          "--kind",
          "document",
          "--title",
          "Operations order",
          "--location",
          "V1",
          "--classification",
          "SECRET",
          "--compartments",
          "ORCHID",
          "--copy",
          "1",
          "--copies",
          "2"}));
  Ok(Cmd({"holding", "register", "--actor", "C1", "--id", "BAG-1", "--kind", "container", "--title",
          "Evidence bag", "--location", "V1"}));

  // Need-to-know: nobody sees the case until granted.
  Fails(Cmd({"holding", "check-out", "--actor", "C1", "--holding", "PHONE-1", "--to", "O1",
             "--purpose", "forensics", "--due-back", "2099-01-01"}),
        6, "O1 has no live need-to-know for PHONE-1");
  Ok(Cmd({"grant", "add", "--actor", "SM", "--person", "O1", "--scope", "case", "--target",
          "CASE-7", "--expires", "2030-01-01"}));
  Ok(Cmd({"grant", "add", "--actor", "SM", "--person", "O2", "--scope", "case", "--target",
          "CASE-7", "--expires", "2030-01-01"}));
  Ok(Cmd({"holding", "check-out", "--actor", "C1", "--holding", "PHONE-1", "--to", "O1",
          "--purpose", "forensics", "--due-back", "2099-01-01"}));
  // Week 2: a transfer between officers, then back into store.
  Ok(Cmd({"holding", "transfer", "--actor", "O1", "--holding", "PHONE-1", "--to", "O2"}));
  EXPECT_EQ(Holding("PHONE-1")["holder"], "O2");
  Ok(Cmd({"holding", "check-in", "--actor", "C2", "--holding", "PHONE-1"}));

  // Copies of the classified order need need-to-know and a second person;
  // copy numbers continue the series.
  Ok(Cmd({"grant", "add", "--actor", "SM", "--person", "C1", "--scope", "holding", "--target",
          "ORD-1", "--expires", "2030-01-01"}));
  Json copy = TwoPerson(
      Cmd({"holding", "reproduce", "--actor", "C1", "--holding", "ORD-1", "--copies", "1"}), "C2");
  EXPECT_EQ(copy["type"], "holding.reproduce");
  EXPECT_EQ(Holding("ORD-1-C3")["copy_number"], 3);
  EXPECT_EQ(Holding("ORD-1-C3")["copy_of"], "ORD-1");
  EXPECT_EQ(Holding("ORD-1")["copies_total"], 3);

  // Week 3: the phone is bagged, sealed and sent to the lab; the seal
  // arrives with another number.
  Ok(Cmd({"holding", "seal", "--actor", "C1", "--holding", "BAG-1", "--seal", "S-1001",
          "--contents", "PHONE-1"}));
  Fails(Cmd({"holding", "move", "--actor", "C1", "--holding", "PHONE-1", "--location", "V1"}), 5,
        "sealed in container BAG-1");
  Ok(Cmd({"holding", "unseal", "--actor", "C1", "--holding", "BAG-1", "--seal", "S-1001",
          "--condition", "intact"}));
  Ok(Cmd({"holding", "seal", "--actor", "C1", "--holding", "PHONE-1", "--seal", "S-2002"}));
  Json sent = Ok(Cmd({"holding", "dispatch", "--actor", "C1", "--holdings", "PHONE-1,CASH-1",
                      "--to-facility", "LAB", "--courier", "Courier Kowalski"}));
  const std::string dispatch = "D-" + std::to_string(sent["index"].get<int>());
  EXPECT_EQ(Holding("CASH-1")["status"], "in_transit");
  Ok(Cmd({"holding", "receive", "--actor", "C3", "--holdings", "PHONE-1", "--dispatch", dispatch,
          "--location", "L1", "--seals", "PHONE-1=S-9999"}));
  Json phone = Holding("PHONE-1");
  EXPECT_EQ(phone["facility"], "LAB");
  ASSERT_EQ(phone["flags"].size(), 1u);
  EXPECT_NE(phone["flags"][0].get<std::string>().find("seal reads S-9999"), std::string::npos);
  Json cash = Holding("CASH-1");
  EXPECT_EQ(cash["status"], "in_transit");  // still accounted for, flagged missing
  EXPECT_NE(cash["flags"][0].get<std::string>().find("missing on receipt"), std::string::npos);

  // A suspended officer can do nothing, and the attempt is on the record.
  Ok(Cmd({"person", "suspend", "--actor", "SM", "--id", "O2", "--reason", "under investigation"}));
  Ok(Cmd({"holding", "check-out", "--actor", "C3", "--holding", "PHONE-1", "--to", "O1",
          "--purpose", "lab work", "--due-back", "2099-01-01"}));
  RunResult attempt =
      Fails(Cmd({"holding", "transfer", "--actor", "O2", "--holding", "PHONE-1", "--to", "O2"}), 6,
            "O2 is suspended");

  // Week 4: the phone comes back and is destroyed before a witness. The
  // custodian who registered it may not dispose of it; a colleague does.
  Ok(Cmd({"holding", "check-in", "--actor", "C3", "--holding", "PHONE-1"}));
  Ok(Cmd({"holding", "unseal", "--actor", "C3", "--holding", "PHONE-1", "--seal", "S-9999",
          "--condition", "intact"}));
  Fails(Cmd({"holding", "destroy", "--actor", "C1", "--holding", "PHONE-1", "--method", "x"}), 6,
        "C1 registered evidence PHONE-1 and may not also destroy it");
  Json destroyed = TwoPerson(
      Cmd({"holding", "destroy", "--actor", "C3", "--holding", "PHONE-1", "--method", "shredding"}),
      "SM");
  EXPECT_EQ(destroyed["signatures"][0]["person"], "SM");
  EXPECT_EQ(Holding("PHONE-1")["destroyed_witness"], "SM");

  // Release needs an order (disposition is not 'return' for the phone) and
  // a second person.
  Ok(Cmd({"holding", "register", "--actor", "C2", "--id", "WATCH-1", "--kind", "evidence",
          "--title", "Watch", "--location", "V1", "--case", "CASE-7", "--item-type", "watch",
          "--disposition", "retain"}));
  Fails(Cmd({"holding", "release", "--actor", "C1", "--holding", "WATCH-1", "--to", "owner",
             "--recipient", "J. Doe"}),
        5, "release to the owner needs 'return'");
  TwoPerson(Cmd({"holding", "release", "--actor", "C1", "--holding", "WATCH-1", "--to", "court",
                 "--recipient", "Crown Court", "--court-order", "CO-2026-118"}),
            "C2");
  EXPECT_EQ(Holding("WATCH-1")["status"], "released");

  // Heightened control: every action needs a second person, and so does
  // ending it.
  Ok(Cmd({"facility", "control", "--actor", "SM", "--facility", "HQ", "--heightened", "on",
          "--reason", "audit"}));
  TwoPerson(Cmd({"holding", "move", "--actor", "C1", "--holding", "ORD-1", "--location", "V2"}),
            "C2");
  EXPECT_EQ(Holding("ORD-1")["location"], "V2");
  TwoPerson(Cmd({"facility", "control", "--actor", "SM", "--facility", "HQ", "--heightened", "off",
                 "--reason", "audit closed"}),
            "SM2");

  // Dismissal ends grants and flags what the person still holds.
  Ok(Cmd({"grant", "add", "--actor", "SM", "--person", "O1", "--scope", "holding", "--target",
          "ORD-1", "--expires", "2030-01-01"}));
  Ok(Cmd({"holding", "check-out", "--actor", "C2", "--holding", "ORD-1", "--to", "O1", "--purpose",
          "briefing", "--due-back", "2099-01-01"}));
  Ok(Cmd({"person", "dismiss", "--actor", "SM", "--id", "O1", "--reason", "misconduct"}));
  Json order = Holding("ORD-1");
  ASSERT_EQ(order["flags"].size(), 1u);
  EXPECT_NE(order["flags"][0].get<std::string>().find("held by O1 when dismissed"),
            std::string::npos);
  Ok(Cmd({"holding", "check-in", "--actor", "C2", "--holding", "ORD-1"}));
  Fails(Cmd({"holding", "check-out", "--actor", "C2", "--holding", "ORD-1", "--to", "O1",
             "--purpose", "again", "--due-back", "2099-01-01"}),
        6, "O1 is dismissed; O1 has no live need-to-know for ORD-1");

  // A wrong entry is annotated, never edited.
  Ok(Cmd({"record", "correct", "--actor", "SM", "--entry", "3", "--reason",
          "facility name misspelt"}));

  // Explain says why, and writes nothing.
  const uint64_t before = Ok({"checkpoint", "--data", dir_})["size"];
  RunResult why =
      Strongroom({"explain", "holding", "check-out", "--data", dir_, "--actor", "C1", "--holding",
                  "ORD-1", "--to", "O2", "--purpose", "x", "--due-back", "2099-01-01"});
  EXPECT_EQ(why.code, 0) << why.err;
  EXPECT_NE(why.out.find("denied: O2 is suspended"), std::string::npos) << why.out;
  RunResult allowed = Strongroom({"explain", "holding", "move", "--data", dir_, "--actor", "C1",
                                  "--holding", "ORD-1", "--location", "V1"});
  EXPECT_EQ(allowed.out, "allowed: C1 may move as custodian; C1 is cleared for ORD-1 (SECRET)\n")
      << allowed.err;
  EXPECT_EQ(Ok({"checkpoint", "--data", dir_})["size"], before);

  // The record: every personal signature and every denial re-checks.
  RunResult verified = Strongroom({"verify", "--data", dir_});
  EXPECT_EQ(verified.code, 0) << verified.err;
  // The suspended officer's attempt is in the log, with its reasons.
  const std::string& err = attempt.err;
  const size_t at = err.find("(logged as entry ");
  ASSERT_NE(at, std::string::npos) << err;
  const std::string index = err.substr(at + 17, err.find(')', at) - at - 17);
  Json denial = Ok({"entry", "--data", dir_, "--index", index});
  EXPECT_EQ(denial["entry"]["type"], "denied");
  EXPECT_EQ(denial["entry"]["actor"], "O2");
  EXPECT_EQ(denial["fields"]["attempted"], "holding.transfer");
  EXPECT_EQ(denial["fields"]["reasons"][0], "O2 is suspended");
  // In the log itself the reasons are a commitment; the reader allowed to
  // read the entry gets them in clear with the key that opens it.
  EXPECT_TRUE(denial["entry"]["fields"]["reasons"].is_string()) << denial.dump();
  EXPECT_EQ(denial["key"].get<std::string>().size(), 44u);
}

}  // namespace
}  // namespace strongroom::testing

namespace strongroom::testing {
namespace {

TEST_F(ScenarioTest, DistributedCopiesAreAcknowledgedAndRecalled) {
  Ok(Cmd({"holding", "register", "--actor", "C1", "--id", "INS-1", "--kind", "document", "--title",
          "Standing instruction 4/2026", "--location", "V1", "--classification", "RESTRICTED",
          "--copy", "1", "--copies", "1"}));
  Ok(Cmd({"grant", "add", "--actor", "SM", "--person", "O1", "--scope", "holding", "--target",
          "INS-1", "--expires", "2030-01-01"}));
  Json sent = Ok(Cmd({"holding", "distribute", "--actor", "C1", "--holding", "INS-1", "--units",
                      "Narcotics,Fraud", "--return-by", "2027-03-01"}));
  EXPECT_EQ(sent["outcome"], "accepted");
  Json first = Holding("INS-1-C2");
  EXPECT_EQ(first["status"], "distributed");
  EXPECT_EQ(first["unit"], "Narcotics");
  EXPECT_EQ(Holding("INS-1-C3")["unit"], "Fraud");
  EXPECT_EQ(Holding("INS-1")["copies_total"], 3);

  // Only someone of the copy's unit acknowledges, with their own signature.
  Fails(Cmd({"holding", "acknowledge", "--actor", "O1", "--holding", "INS-1-C3"}), 5,
        "was issued to unit Fraud, not to Narcotics");
  Json ack = Ok(Cmd({"holding", "acknowledge", "--actor", "O1", "--holding", "INS-1-C2"}))["entry"];
  EXPECT_EQ(ack["signatures"][0]["person"], "O1");
  EXPECT_EQ(Holding("INS-1-C2")["acknowledged_by"], "O1");
  Fails(Cmd({"holding", "acknowledge", "--actor", "O1", "--holding", "INS-1-C2"}), 5,
        "was acknowledged by O1");

  Ok(Cmd({"holding", "recall", "--actor", "C2", "--holding", "INS-1-C2"}));
  EXPECT_EQ(Holding("INS-1-C2")["status"], "in_store");
  Fails(Cmd({"holding", "recall", "--actor", "C2", "--holding", "INS-1-C2"}), 5,
        "is not a distributed copy");
  RunResult verified = Strongroom({"verify", "--data", dir_});
  EXPECT_EQ(verified.code, 0) << verified.err;
}

}  // namespace
}  // namespace strongroom::testing
