// strongroomd end to end: the real `strongroom serve` process over real TLS,
// driven by a real HTTP client (libcurl) that trusts only the certificate
// the data directory was given at init.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "base/clock.h"
#include "base/encoding.h"
#include "custody/data_dir.h"
#include "json/canonical.h"
#include "ledger/note.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"
#include "server_harness.h"

namespace strongroom::testing {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "/data";
    Ok({"init", "--data", dir_, "--origin", "serve.example/log"});
    Ok({"person", "add", "--data", dir_, "--actor", "ADM", "--id", "ADM", "--name", "Ada", "--unit",
        "Security", "--roles", "administrator,security_manager", "--clearance", "TOP SECRET"});
    Enrolled({"person", "add", "--data", dir_, "--actor", "ADM", "--id", "OFF", "--name",
              "Officer", "--unit", "Ops", "--roles", "holder", "--clearance", "SECRET"});
    Enrolled({"person", "add", "--data", dir_, "--actor", "ADM", "--id", "CUS", "--name",
              "Custodian", "--unit", "Registry", "--roles", "custodian", "--clearance", "SECRET"});
  }
  void Ok(const std::vector<std::string>& args) {
    RunResult r = Strongroom(args);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  // A person added, who then sets their own credential with their code.
  void Enrolled(const std::vector<std::string>& add) {
    RunResult r = AddAndEnrol(add);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  std::string Login(Client& c, const std::string& url, const std::string& person) {
    Reply r = c.Call("POST", url + "api/v1/login",
                     Json{{"person", person}, {"credential", kTestCredential}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("token", "");
  }
  uint64_t Size(Client& c, const std::string& url) {
    Reply r = c.Call("GET", url + "checkpoint");
    EXPECT_EQ(r.status, 200);
    auto key = NoteVerifier::FromVkey(TrimTrailing(Slurp(dir_ + "/log.vkey")));
    EXPECT_TRUE(key.ok());
    auto cp = OpenCheckpoint(r.body, *key);  // signed by the log's key
    EXPECT_TRUE(cp.ok()) << cp.status().message();
    return cp.ok() ? cp->size : 0;
  }
  static std::string TrimTrailing(std::string s) {
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
  std::string Ca() const { return dir_ + "/tls.crt"; }
  std::string dir_;
};

TEST_F(ServerTest, LoginEventsDenialsAndTheLogOverTls) {
  Server server(dir_, {"--body-limit", "2048"});
  const std::string u = server.url();
  ASSERT_EQ(u.rfind("https://127.0.0.1:", 0), 0u) << u;
  Client c(Ca());
  EXPECT_EQ(c.Call("GET", u + "healthz").status, 200);
  EXPECT_EQ(c.Call("GET", u + "readyz").status, 200);

  // Logging in.
  Reply bad = c.Call("POST", u + "api/v1/login",
                     Json{{"person", "ADM"}, {"credential", "not the one at all"}}.dump());
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.json()["error"], "person or credential not accepted");
  EXPECT_EQ(c.Call("POST", u + "api/v1/login",
                   Json{{"person", "NOBODY"}, {"credential", "whatever it is"}}.dump())
                .json()["error"],
            "person or credential not accepted");  // no hint that NOBODY does not exist
  EXPECT_EQ(c.Call("POST", u + "api/v1/login", "{not json").status, 400);
  EXPECT_EQ(c.Call("POST", u + "api/v1/login", R"({"person":"ADM","credential":"x","extra":1})")
                .json()["error"],
            "unknown field 'extra'");
  EXPECT_EQ(c.Call("GET", u + "api/v1/login").status, 405);
  const std::string adm = Login(c, u, "ADM");
  const std::string off = Login(c, u, "OFF");
  const std::string cus = Login(c, u, "CUS");
  ASSERT_FALSE(adm.empty());

  // Custody events: accepted, refused for input or state (nothing written),
  // denied by the policy (logged), pending a second person.
  const uint64_t before = Size(c, u);
  const std::string events = u + "api/v1/events";
  Reply fac =
      c.Call("POST", events,
             R"({"type":"facility.add","fields":{"facility":"HQ","name":"HQ store"}})", adm);
  EXPECT_EQ(fac.status, 200) << fac.body;
  EXPECT_EQ(fac.json()["outcome"], "accepted");
  EXPECT_EQ(fac.json()["entry"]["actor"], "ADM");  // the session's person, never the body's
  EXPECT_EQ(Size(c, u), before + 1);
  c.Call(
      "POST", events,
      R"({"type":"location.add","fields":{"location":"V1","facility":"HQ","name":"Vault","kind":"vault"}})",
      adm);
  Reply reg = c.Call(
      "POST", events,
      R"({"type":"holding.register","holdings":["DOC1"],"fields":{"kind":"document","title":"Order","location":"V1"}})",
      cus);
  EXPECT_EQ(reg.status, 200) << reg.body;
  const uint64_t size = Size(c, u);
  struct Case {
    std::string body, token;
    long status;
    std::string error;
  };
  const std::vector<Case> refusals = {
      {R"({"type":"facility.add","fields":{"facility":"HQ","name":"again"}})", adm, 409,
       "facility HQ already exists"},
      {R"({"type":"holding.move","holdings":["NOPE"],"fields":{"location":"V1"}})", cus, 404,
       "no holding NOPE that you may read"},
      {R"({"type":"holding.teleport"})", adm, 400, "unknown event type 'holding.teleport'"},
      {R"({"type":"facility.add","fields":{"facility":"N","name":"n","colour":"red"}})", adm, 400,
       "colour"},
      {R"({"type":"facility.add","actor":"CUS"})", adm, 400, "unknown field 'actor'"},
      {R"({"type":"facility.add","fields":[]})", adm, 400, "'fields' must be an object"},
      {R"([1,2])", adm, 400, "the body must be a JSON object"},
      {R"({"type":"facility.add","fields":{"facility":"N","name":"n","name":"m"}})", adm, 400,
       "a member name appears twice"},
      {R"({"type":"facility.add","fields":{"facility":"N","name":"n"}})", "", 401, "log in first"},
      {R"({"type":"facility.add","fields":{"facility":"N","name":"n"}})", "forged-token", 401,
       "not valid"},
      {R"({"type":"person.add","fields":{}})", adm, 400, "missing field 'person'"},
      // Nobody chooses another person's credential or key (issue 12).
      {R"({"type":"person.add","fields":{"person":"NEW","name":"N","unit":"U","roles":["holder"],"clearance":"SECRET"},"credential":"long enough secret"})",
       adm, 400, "nobody sets another person's credential"},
      {R"({"type":"facility.add","fields":{"facility":"N","name":"n"},"credential":"x"})", adm, 400,
       "nobody sets another person's credential"},
      {R"({"type":"person.add","fields":{"person":"NEW","name":"N","unit":"U","roles":["holder"],"clearance":"SECRET","public_key":"MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="}})",
       adm, 400, "'public_key' and 'enrolment' are made by the server"},
      {R"({"type":"person.enrol","fields":{"person":"ADM"}})", adm, 400,
       "person.enrol goes through POST /api/v1/enrol"},
      {std::string(3000, ' '), adm, 413, "larger than 2048 bytes"},
  };
  for (const Case& k : refusals) {
    Reply r = c.Call("POST", events, k.body, k.token);
    EXPECT_EQ(r.status, k.status) << k.body.substr(0, 80) << ": " << r.body;
    EXPECT_NE(r.body.find(k.error), std::string::npos) << "want '" << k.error << "': " << r.body;
  }
  EXPECT_EQ(Size(c, u), size);  // none of them wrote anything
  Reply denied = c.Call("POST", events,
                        R"({"type":"facility.add","fields":{"facility":"N","name":"n"}})", off);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.json()["reasons"][0],
            "OFF has no role that may administer (needs administrator)");
  EXPECT_EQ(denied.json()["entry"]["type"], "denied");
  EXPECT_EQ(Size(c, u), size + 1);  // the denial is in the log
  Reply pending = c.Call(
      "POST", events,
      R"({"type":"holding.destroy","holdings":["DOC1"],"fields":{"method":"shredding"}})", cus);
  EXPECT_EQ(pending.status, 202) << pending.body;
  EXPECT_EQ(pending.json()["needs"][0], "destruction");
  EXPECT_EQ(pending.json()["request"], "R-" + std::to_string(size + 1));

  // The second person approves with their own credential: the server
  // unseals their key for that one signature.
  const std::string approve =
      u + "api/v1/requests/" + pending.json()["request"].get<std::string>() + "/approve";
  Reply wrong = c.Call("POST", approve, Json{{"credential", "not my credential"}}.dump(), adm);
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_EQ(
      c.Call("POST", approve, Json{{"credential", kTestCredential}}.dump(), cus).json()["outcome"],
      "denied");  // the actor
  Reply approved = c.Call("POST", approve, Json{{"credential", kTestCredential}}.dump(), adm);
  EXPECT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json()["entry"]["type"], "holding.destroy");
  EXPECT_EQ(approved.json()["entry"]["actor"], "CUS");
  EXPECT_EQ(approved.json()["entry"]["signatures"][0]["person"], "ADM");
  Reply again = c.Call("POST", approve, Json{{"credential", kTestCredential}}.dump(), adm);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_NE(again.body.find("is done"), std::string::npos) << again.body;
  EXPECT_EQ(c.Call("POST", u + "api/v1/requests/R-999/approve",
                   Json{{"credential", kTestCredential}}.dump(), adm)
                .status,
            404);
  EXPECT_EQ(c.Call("POST", u + "api/v1/requests/R-1/reject", "{}", adm).status, 404);
  EXPECT_EQ(c.Call("POST", u + "api/v1/holdings/DOC1/acknowledge",
                   Json{{"credential", kTestCredential}}.dump(), off)
                .status,
            409);  // destroyed

  // A distributed copy's receipt, signed by the person who acknowledges it.
  EXPECT_EQ(
      c.Call(
           "POST", events,
           R"({"type":"holding.register","holdings":["DOC2"],"fields":{"kind":"document","title":"Circular","location":"V1"}})",
           cus)
          .status,
      200);
  Reply dist = c.Call(
      "POST", events,
      R"({"type":"holding.distribute","holdings":["DOC2"],"fields":{"units":["Ops"],"return_by":"2030-01-01"}})",
      cus);
  EXPECT_EQ(dist.status, 200) << dist.body;
  Reply ack = c.Call("POST", u + "api/v1/holdings/DOC2-C1/acknowledge",
                     Json{{"credential", kTestCredential}}.dump(), off);
  EXPECT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.json()["entry"]["type"], "holding.acknowledge");
  EXPECT_EQ(ack.json()["entry"]["signatures"][0]["person"], "OFF");

  // The log: checkpoint and hash tiles for anyone, entry bundles only for
  // people who may read the log.
  const uint64_t n = Size(c, u);
  const std::string partial = ".p/" + std::to_string(n);
  Reply tile = c.Call("GET", u + "tile/0/000" + partial);
  EXPECT_EQ(tile.status, 200);
  EXPECT_EQ(tile.body.size(), n * 32);
  EXPECT_NE(tile.headers.find("cache-control: public, max-age=31536000, immutable"),
            std::string::npos);
  EXPECT_EQ(c.Call("GET", u + "tile/0/000" + partial).body, tile.body);  // again, from memory
  EXPECT_EQ(c.Call("GET", u + "tile/0/000.p/" + std::to_string(n + 1)).status, 404);
  EXPECT_EQ(c.Call("GET", u + "tile/0/000").status, 404);  // not full yet
  EXPECT_EQ(c.Call("GET", u + "tile/0/0000").status, 400);
  EXPECT_EQ(c.Call("GET", u + "tile/entries/000" + partial).status, 401);
  Reply refused = c.Call("GET", u + "tile/entries/000" + partial, "", off);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("OFF has no role that may read the log's entries"), std::string::npos)
      << refused.body;
  EXPECT_EQ(refused.json()["entry"]["fields"]["attempted"],
            "access.read");  // the refusal is logged
  EXPECT_EQ(Size(c, u), n + 1);
  Reply bundle = c.Call("GET", u + "tile/entries/000" + partial, "", adm);
  EXPECT_EQ(bundle.status, 200);
  auto entries = SplitEntryBundle(bundle.body);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), n);

  // Suspension ends the suspended person's sessions at once.
  const std::string cus2 = Login(c, u, "CUS");
  Reply suspend =
      c.Call("POST", events,
             R"({"type":"person.suspend","fields":{"person":"CUS","reason":"inquiry"}})", adm);
  EXPECT_EQ(suspend.status, 200) << suspend.body;
  for (const std::string& t : {cus, cus2}) {
    EXPECT_EQ(c.Call("POST", events,
                     R"({"type":"request.cancel","fields":{"request":"R-1","reason":"r"}})", t)
                  .status,
              401);
  }
  EXPECT_EQ(
      c.Call("POST", events, R"({"type":"facility.add","fields":{"facility":"Q","name":"q"}})", adm)
          .status,
      200);
  // And a suspended person cannot log in again, with the right credential.
  Reply relogin = c.Call("POST", u + "api/v1/login",
                         Json{{"person", "CUS"}, {"credential", kTestCredential}}.dump());
  EXPECT_EQ(relogin.status, 403) << relogin.body;
  EXPECT_NE(relogin.body.find("CUS is suspended"), std::string::npos) << relogin.body;

  // Logging out ends the session at once.
  EXPECT_EQ(c.Call("POST", u + "api/v1/logout", "", off).status, 204);
  EXPECT_EQ(
      c.Call("POST", events, R"({"type":"facility.add","fields":{"facility":"N","name":"n"}})", off)
          .status,
      401);

  // Enrolment through the service: the administrator gets a one-time code
  // (the log holds its commitment only); the new person sets their own
  // credential with it, and it works at once.
  const std::string add =
      R"({"type":"person.add","fields":{"person":"NEW","name":"New","unit":"Ops","roles":["holder"],"clearance":"SECRET"}})";
  EXPECT_EQ(c.Call("POST", events, add, Login(c, u, "OFF")).status, 403);  // no administrator
  Reply added = c.Call("POST", events, add, adm);
  ASSERT_EQ(added.status, 200) << added.body;
  std::string issued = added.json()["enrolment_code"].get<std::string>();
  EXPECT_EQ(issued.size(), 32u);
  EXPECT_EQ(added.body.find(issued), added.body.rfind(issued));  // in the answer once, not in the entry
  EXPECT_FALSE(added.json()["entry"]["fields"].contains("public_key"));
  const std::string enrol_url = u + "api/v1/enrol";
  auto enrol = [&](const std::string& person, const std::string& with) {
    return c.Call("POST", enrol_url,
                  Json{{"person", person}, {"code", with}, {"credential", "new person credential 1"}}
                      .dump());
  };
  // Refused with one answer, whatever the reason (the enrol door needs no
  // session: it must not tell who exists, is enrolled or suspended).
  Reply wrong_code = enrol("NEW", std::string(32, 'f'));  // not the code issued
  EXPECT_EQ(wrong_code.status, 401);
  EXPECT_EQ(wrong_code.json()["error"], "person or enrolment code not accepted");
  Reply enrolled_already = enrol("OFF", issued);  // not theirs, and OFF is enrolled
  EXPECT_EQ(enrolled_already.status, 401);
  EXPECT_EQ(enrolled_already.body, wrong_code.body);
  EXPECT_EQ(enrol("NOBODY", issued).body, wrong_code.body);  // no such person
  EXPECT_EQ(c.Call("POST", u + "api/v1/login",
                   Json{{"person", "NEW"}, {"credential", "new person credential 1"}}.dump())
                .status,
            401);
  // A new code replaces the first (for someone who missed it); only a
  // person.update asks for one.
  EXPECT_EQ(c.Call("POST", events,
                   R"({"type":"facility.add","fields":{"facility":"Z","name":"z"},"new_enrolment_code":true})",
                   adm)
                .status,
            400);
  Reply reissued = c.Call(
      "POST", events,
      R"({"type":"person.update","fields":{"person":"NEW"},"new_enrolment_code":true})", adm);
  ASSERT_EQ(reissued.status, 200) << reissued.body;
  const std::string first = issued;
  issued = reissued.json()["enrolment_code"].get<std::string>();
  EXPECT_NE(issued, first);  // (the old one no longer matches: CliTest.APersonWhoMissedTheirCode...)
  Reply enrolled = enrol("NEW", issued);
  EXPECT_EQ(enrolled.status, 200) << enrolled.body;
  EXPECT_EQ(enrolled.json()["entry"]["type"], "person.enrol");
  EXPECT_EQ(enrolled.json()["entry"]["fields"]["public_key"].get<std::string>().size(), 44u);
  EXPECT_EQ(enrol("NEW", issued).status, 401);  // once
  Reply logged_in = c.Call("POST", u + "api/v1/login",
                           Json{{"person", "NEW"}, {"credential", "new person credential 1"}}.dump());
  ASSERT_EQ(logged_in.status, 200) << logged_in.body;
  const std::string fresh = logged_in.json()["token"];
  // A new credential (and key), signed with the old one; the sessions end.
  Reply changed = c.Call("POST", u + "api/v1/credential",
                         Json{{"credential", "new person credential 1"},
                              {"new_credential", "new person credential 2"}}
                             .dump(),
                         fresh);
  EXPECT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["entry"]["type"], "person.rekey");
  EXPECT_EQ(c.Call("POST", events, R"({"type":"facility.add","fields":{"facility":"Q","name":"q"}})",
                   fresh)
                .status,
            401);  // that session ended with the old key
  EXPECT_EQ(c.Call("POST", u + "api/v1/login",
                   Json{{"person", "NEW"}, {"credential", "new person credential 1"}}.dump())
                .status,
            401);
  EXPECT_EQ(c.Call("POST", u + "api/v1/login",
                   Json{{"person", "NEW"}, {"credential", "new person credential 2"}}.dump())
                .status,
            200);

  // Browsers are told to come back over TLS only (HSTS).
  EXPECT_NE(c.Call("GET", u + "healthz").headers.find("strict-transport-security: max-age=31536000"),
            std::string::npos);

  // A client that asks "Expect: 100-continue" is told to go on.
  Reply big = c.Call("POST", u + "api/v1/logout", std::string(1500, ' '), "no-such-session",
                     "Expect: 100-continue");
  EXPECT_EQ(big.status, 401);
  EXPECT_NE(big.headers.find("http/1.1 100 continue"), std::string::npos) << big.headers;

  // Metrics, in the Prometheus text format.
  Reply m = c.Call("GET", u + "metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.headers.find("content-type: text/plain; version=0.0.4"), std::string::npos);
  for (const std::string& want :
       {std::string("strongroom_decisions_total{outcome=\"denied\"} 4\n"),
        std::string("strongroom_decisions_total{outcome=\"pending\"} 1\n"),
        // 4 logins refused, a wrong credential for an approval, and 4
        // enrolments refused (a wrong code, another's code, an unknown
        // person, a code used twice).
        std::string("strongroom_login_failures_total 9\n"),
        "strongroom_log_size " + std::to_string(Size(c, u)) + "\n",
        std::string("strongroom_http_requests_total{route=\"events\",code=\"4xx\"}"),
        std::string("strongroom_http_request_seconds_bucket{route=\"events\",le=\"+Inf\"}"),
        std::string("# TYPE strongroom_sequencer_batches_total counter\n")}) {
    EXPECT_NE(m.body.find(want), std::string::npos) << "want '" << want << "' in:\n" << m.body;
  }

  auto [code, printed] = server.Stop();
  EXPECT_EQ(code, 0) << printed;
  // The access log: one JSON line per request, without secrets.
  const std::string log = server.log();
  size_t lines = 0, refused_logins = 0;
  for (size_t at = 0, end; (end = log.find('\n', at)) != std::string::npos; at = end + 1) {
    Json line = Json::parse(log.substr(at, end - at), nullptr, false);
    ASSERT_TRUE(line.is_object()) << log.substr(at, end - at);
    ++lines;
    refused_logins += line["path"] == "/api/v1/login" && line["status"] == 401;
  }
  EXPECT_GT(lines, 40u);
  EXPECT_EQ(refused_logins, 4u);
  EXPECT_EQ(log.find(kTestCredential), std::string::npos);
  EXPECT_EQ(log.find(adm), std::string::npos);
  EXPECT_NE(printed.find("stopped on SIGTERM"), std::string::npos) << printed;
  // Every entry, those made through the service included, is signed by its
  // actor's own key (the one their session unsealed), or is an approval
  // signed by the approver.
  RunResult verified = Strongroom({"verify", "--data", dir_, "--json"});
  ASSERT_EQ(verified.code, 0) << verified.err;
  Json report = Json::parse(verified.out);
  EXPECT_GT(report["actor_signed"].get<uint64_t>(), 10u);
  EXPECT_FALSE(report.contains("schema2"));
}

TEST_F(ServerTest, ReadsAreDecidedByThePolicyAndRefusedReadsAreLogged) {
  Server server(dir_, {});
  const std::string u = server.url();
  Client c(Ca());
  const std::string adm = Login(c, u, "ADM"), off = Login(c, u, "OFF"), cus = Login(c, u, "CUS");
  const std::string events = u + "api/v1/events";
  for (
      const char* body :
      {R"({"type":"facility.add","fields":{"facility":"HQ","name":"HQ store"}})",
       R"({"type":"location.add","fields":{"location":"V1","facility":"HQ","name":"Vault","kind":"vault"}})"}) {
    ASSERT_EQ(c.Call("POST", events, body, adm).status, 200);
  }
  for (
      const char* body :
      {R"({"type":"holding.register","holdings":["PUB"],"fields":{"kind":"document","title":"Circular","location":"V1"}})",
       R"({"type":"holding.register","holdings":["SEC"],"fields":{"kind":"document","title":"Plan","location":"V1","classification":"SECRET"}})"}) {
    Reply r = c.Call("POST", events, body, cus);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // An officer reads an unclassified record; a SECRET one needs need-to-know:
  // the refusal is logged as a denied access.read and answered as if there
  // were no such holding (it says nothing of why: not its classification).
  Reply pub = c.Call("GET", u + "api/v1/holdings/PUB", "", off);
  EXPECT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.json()["holding"]["title"], "Circular");
  EXPECT_EQ(pub.json()["chain"].size(), 1u);
  const uint64_t before = Size(c, u);
  Reply sec = c.Call("GET", u + "api/v1/holdings/SEC", "", off);
  EXPECT_EQ(sec.status, 404) << sec.body;
  EXPECT_EQ(sec.json()["error"], "no holding SEC that you may read");
  Reply none = c.Call("GET", u + "api/v1/holdings/NOSUCH", "", off);
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.json()["error"], "no holding NOSUCH that you may read");
  EXPECT_EQ(Size(c, u), before + 1);  // the refusal is logged, the missing one is not
  Reply refusal = c.Call("GET", u + "api/v1/entries/" + std::to_string(before), "", adm);
  ASSERT_EQ(refusal.status, 200) << refusal.body;
  EXPECT_EQ(refusal.json()["entry"]["type"], "denied");
  EXPECT_EQ(refusal.json()["fields"]["attempted"], "access.read");
  EXPECT_EQ(refusal.json()["entry"]["holdings"][0], "SEC");
  EXPECT_EQ(refusal.json()["fields"]["reasons"][0],
            "OFF has no live need-to-know for SEC, its case or its compartments");
  // Explaining an action on it, or attempting one, says no more.
  Reply explain = c.Call("POST", u + "api/v1/explain",
                         R"({"type":"holding.transfer","holdings":["SEC"],"fields":{"to":"OFF"}})",
                         off);
  EXPECT_EQ(explain.status, 404) << explain.body;
  EXPECT_EQ(explain.body, sec.body);
  Reply attempt = c.Call("POST", events,
                         R"({"type":"holding.transfer","holdings":["SEC"],"fields":{"to":"OFF"}})",
                         off);
  EXPECT_EQ(attempt.status, 404) << attempt.body;
  EXPECT_EQ(attempt.body, sec.body);
  EXPECT_EQ(Size(c, u), before + 3);  // each attempt logged
  const uint64_t after_attempts = Size(c, u);
  // The list shows only what the person may read, and says how much of the
  // store it withheld; under a filter it does not (?case= would tell
  // whether a case exists and its size).
  Reply list = c.Call("GET", u + "api/v1/holdings", "", off);
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()["holdings"].size(), 1u);
  EXPECT_EQ(list.json()["holdings"][0]["id"], "PUB");
  EXPECT_EQ(list.json()["withheld"], 1);
  Reply filtered = c.Call("GET", u + "api/v1/holdings?kind=document", "", off);
  EXPECT_EQ(filtered.json()["holdings"].size(), 1u);
  EXPECT_FALSE(filtered.json().contains("withheld")) << filtered.body;
  EXPECT_EQ(Size(c, u), after_attempts);  // a list is no attempt on a named record
  // A grant opens it.
  Reply grant = c.Call(
      "POST", events,
      R"({"type":"grant.add","fields":{"person":"OFF","scope":"holding","target":"SEC","expires":"2028-01-01"}})",
      adm);
  ASSERT_EQ(grant.status, 200) << grant.body;
  EXPECT_EQ(c.Call("GET", u + "api/v1/holdings/SEC", "", off).status, 200);
  EXPECT_EQ(c.Call("GET", u + "api/v1/holdings", "", off).json()["withheld"], 0);
  // A custodian reads by clearance; with proofs, each event is proven.
  Reply proven = c.Call("GET", u + "api/v1/holdings/SEC?proofs=true", "", cus);
  EXPECT_EQ(proven.status, 200) << proven.body;
  EXPECT_TRUE(proven.json()["chain"][0].contains("inclusion_proof"));
  EXPECT_EQ(c.Call("GET", u + "api/v1/holdings/SEC?proofs=maybe", "", cus).status, 400);
  EXPECT_EQ(c.Call("GET", u + "api/v1/holdings/SEC?colour=red", "", cus).json()["error"],
            "unknown query parameter 'colour'");
  EXPECT_EQ(c.Call("GET", u + "api/v1/holdings?limit=x", "", cus).status, 400);
  EXPECT_EQ(c.Call("GET", u + "api/v1/holdings/NOPE", "", cus).status, 404);
  EXPECT_EQ(c.Call("GET", u + "api/v1/holdings/SEC").status, 401);

  // Entries: people who may read the log; an officer's attempt is logged.
  const uint64_t size = Size(c, u);
  EXPECT_EQ(c.Call("GET", u + "api/v1/entries/0", "", off).status, 403);
  EXPECT_EQ(Size(c, u), size + 1);
  Reply first = c.Call("GET", u + "api/v1/entries/0", "", adm);
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json()["entry"]["type"], "person.add");
  EXPECT_EQ(c.Call("GET", u + "api/v1/entries/99999", "", adm).status, 404);
  EXPECT_EQ(c.Call("GET", u + "api/v1/entries/x1", "", adm).status, 400);

  // An inspector cleared only to RESTRICTED may read the log, but not an
  // entry that names a SECRET holding (issue 12: its title, classification
  // and place were served): the same answer as for an entry that does not
  // exist, and the attempt on the holding is logged.
  Reply added = c.Call(
      "POST", events,
      R"({"type":"person.add","fields":{"person":"LOWINS","name":"Low","unit":"Inspectorate","roles":["inspector"],"clearance":"RESTRICTED"}})",
      adm);
  ASSERT_EQ(added.status, 200) << added.body;
  Reply enrolled =
      c.Call("POST", u + "api/v1/enrol",
             Json{{"person", "LOWINS"},
                  {"code", added.json()["enrolment_code"]},
                  {"credential", kTestCredential}}
                 .dump());
  ASSERT_EQ(enrolled.status, 200) << enrolled.body;
  const std::string low = Login(c, u, "LOWINS");
  uint64_t sec_index = 0;
  for (uint64_t i = 0; i < Size(c, u); ++i) {
    Reply e = c.Call("GET", u + "api/v1/entries/" + std::to_string(i), "", adm);
    if (e.json()["entry"]["type"] == "holding.register" && e.json()["entry"]["holdings"][0] == "SEC") {
      sec_index = i;
    }
  }
  ASSERT_GT(sec_index, 0u);
  const uint64_t before_entry = Size(c, u);
  Reply hidden = c.Call("GET", u + "api/v1/entries/" + std::to_string(sec_index), "", low);
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(hidden.json()["error"], "no entry " + std::to_string(sec_index) + " that you may read");
  EXPECT_EQ(hidden.body.find("Plan"), std::string::npos);
  Reply missing = c.Call("GET", u + "api/v1/entries/99999", "", low);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["error"], "no entry 99999 that you may read");
  EXPECT_EQ(Size(c, u), before_entry + 1);  // the refused read of SEC, logged
  Reply logged = c.Call("GET", u + "api/v1/entries/" + std::to_string(before_entry), "", adm);
  EXPECT_EQ(logged.json()["entry"]["type"], "denied");
  EXPECT_EQ(logged.json()["entry"]["actor"], "LOWINS");
  EXPECT_EQ(logged.json()["entry"]["holdings"][0], "SEC");
  // A registration is judged by the record it made: CUS's TOP SECRET
  // registration of "SQUAT" is denied (above CUS's clearance), then CUS
  // registers an unclassified "SQUAT"; the denied entry is still not served
  // to LOWINS (it was, judged by the new record: title and all).
  Reply above = c.Call(
      "POST", events,
      R"({"type":"holding.register","holdings":["SQUAT"],"fields":{"kind":"document","title":"Covert plan","location":"V1","classification":"TOP SECRET"}})",
      cus);
  ASSERT_EQ(above.status, 403) << above.body;
  const uint64_t denied_index = above.json()["index"];
  EXPECT_EQ(c.Call("GET", u + "api/v1/entries/" + std::to_string(denied_index), "", low).status,
            404);  // no such holding yet: nothing to judge it by
  ASSERT_EQ(c.Call("POST", events,
                   R"({"type":"holding.register","holdings":["SQUAT"],"fields":{"kind":"document","title":"Open","location":"V1"}})",
                   cus)
                .status,
            200);
  Reply squatted = c.Call("GET", u + "api/v1/entries/" + std::to_string(denied_index), "", low);
  EXPECT_EQ(squatted.status, 404) << squatted.body;
  EXPECT_EQ(squatted.body.find("Covert plan"), std::string::npos);
  EXPECT_EQ(c.Call("GET", u + "api/v1/holdings/SQUAT", "", low).status, 200);  // the new one: fine
  // Entries naming nothing they may not read are served; so is PUB's.
  EXPECT_EQ(c.Call("GET", u + "api/v1/entries/0", "", low).status, 200);
  // Entry bundles: the same rule over every entry in them.
  Reply bundle = c.Call("GET", u + "tile/entries/000.p/" + std::to_string(sec_index + 1), "", low);
  EXPECT_EQ(bundle.status, 404) << bundle.body;
  Reply full = c.Call("GET", u + "tile/entries/000.p/" + std::to_string(sec_index + 1), "", adm);
  EXPECT_EQ(full.status, 200);
  // Even to a reader cleared for it, the log itself holds the title sealed:
  // only the entry's disclosure has it in clear.
  EXPECT_EQ(full.body.find("Plan"), std::string::npos);
  Reply opened = c.Call("GET", u + "api/v1/entries/" + std::to_string(sec_index), "", adm);
  EXPECT_NE(opened.json()["fields"]["title"].get<std::string>().find("Plan"), std::string::npos)
      << opened.body;
  EXPECT_EQ(opened.json()["entry"]["fields"]["title"].get<std::string>().find("Plan"),
            std::string::npos);

  // Proofs are hashes: anyone may have them, and they verify.
  Reply inc = c.Call("GET", u + "api/v1/proofs/inclusion?index=0");
  ASSERT_EQ(inc.status, 200) << inc.body;
  const Json proof = inc.json();
  auto leaf = Base64Decode(proof["leaf_hash"].get<std::string>());
  ASSERT_TRUE(leaf.ok());
  std::vector<Hash> path;
  for (const Json& h : proof["proof"]) {
    auto bytes = Base64Decode(h.get<std::string>());
    ASSERT_TRUE(bytes.ok() && bytes->size() == 32);
    path.push_back(Hash::FromBytes(*bytes));
  }
  auto root = Base64Decode(proof["root"].get<std::string>());
  ASSERT_TRUE(root.ok());
  Status proven_in = VerifyInclusion(Hash::FromBytes(*leaf), 0, proof["tree_size"].get<uint64_t>(),
                                     path, Hash::FromBytes(*root));
  EXPECT_TRUE(proven_in.ok()) << proven_in.message() << " " << inc.body;
  EXPECT_EQ(c.Call("GET", u + "api/v1/proofs/consistency?from=3&to=5").json()["proof"].size() > 0,
            true);
  EXPECT_EQ(c.Call("GET", u + "api/v1/proofs/consistency").json()["error"],
            "query parameter 'from' is required");
  EXPECT_EQ(c.Call("GET", u + "api/v1/proofs/inclusion?index=0&size=999999").status, 400);
  EXPECT_EQ(c.Call("GET", u + "api/v1/proofs/inclusion?index=%zz").status, 400);

  // Explain: the decision, nothing written.
  const uint64_t now = Size(c, u);
  Reply why = c.Call(
      "POST", u + "api/v1/explain",
      R"({"type":"holding.check_out","holdings":["PUB"],"fields":{"to":"OFF","purpose":"read","due_back":"2099-01-01"}})",
      off);
  EXPECT_EQ(why.status, 200) << why.body;
  EXPECT_EQ(why.json()["decision"], "denied");
  EXPECT_EQ(why.json()["reasons"][0], "OFF has no role that may check out (needs custodian)");
  EXPECT_EQ(Size(c, u), now);
  EXPECT_EQ(c.Call("GET", u + "api/v1/requests", "", off).json(), Json::array());
  // Read refusals are written by the service only.
  EXPECT_EQ(c.Call("POST", events,
                   R"({"type":"access.read","holdings":["SEC"],"fields":{"what":"holding"}})", adm)
                .status,
            400);

  EXPECT_EQ(server.Stop().first, 0);
  RunResult verified = Strongroom({"verify", "--data", dir_});
  EXPECT_EQ(verified.code, 0) << verified.err;  // replay re-decides the logged refusals
}

// Every endpoint x every role: the status each gets, and every policy
// refusal (403) logged as a denied entry (the tree grows by exactly one),
// while everything else that is refused writes nothing.
TEST_F(ServerTest, AuthorisationMatrix) {
  std::vector<std::vector<std::string>> adds;
  for (const auto& [id, roles] : std::vector<std::pair<std::string, std::string>>{
           {"ADMIN", "administrator"}, {"INSP", "inspector"}, {"SECM", "security_manager"}}) {
    adds.push_back({"person", "add", "--data", dir_, "--actor", "ADM", "--id", id, "--name", id,
                    "--unit", "Oversight", "--roles", roles, "--clearance", "SECRET"});
  }
  RunResult enrolled = AddThenEnrol(adds);
  ASSERT_EQ(enrolled.code, 0) << enrolled.err;
  Server server(dir_, {});
  const std::string u = server.url();
  Client c(Ca());
  const std::string adm = Login(c, u, "ADM");
  for (
      const char* body :
      {R"({"type":"facility.add","fields":{"facility":"HQ","name":"HQ store"}})",
       R"({"type":"facility.add","fields":{"facility":"HQ2","name":"Annex"}})",
       R"({"type":"location.add","fields":{"location":"V1","facility":"HQ","name":"Vault","kind":"vault"}})"}) {
    ASSERT_EQ(c.Call("POST", u + "api/v1/events", body, adm).status, 200);
  }
  const std::vector<std::string> people = {"", "ADMIN", "CUS", "OFF", "INSP", "SECM"};
  std::map<std::string, std::string> token = {{"", ""}};
  for (const std::string& p : people) {
    if (!p.empty()) token[p] = Login(c, u, p);
  }
  ASSERT_EQ(
      c.Call(
           "POST", u + "api/v1/events",
           R"({"type":"holding.register","holdings":["DOC"],"fields":{"kind":"document","title":"Plan","location":"V1","classification":"SECRET"}})",
           token["CUS"])
          .status,
      200);
  // CUS asks to destroy DOC: a request that needs a second person.
  Reply opened =
      c.Call("POST", u + "api/v1/events",
             R"({"type":"holding.destroy","holdings":["DOC"],"fields":{"method":"shredding"}})",
             token["CUS"]);
  ASSERT_EQ(opened.status, 202) << opened.body;
  const std::string approve =
      u + "api/v1/requests/" + opened.json()["request"].get<std::string>() + "/approve";
  const std::string credential = Json{{"credential", kTestCredential}}.dump();

  struct Row {
    std::string method, path, body;
    std::vector<int> want;  // per person, in the order of `people`
  };
  // Rows that change state come after the reads they would change; the
  // approval comes last (it destroys DOC).
  const std::vector<Row> rows = {
      {"GET", "healthz", "", {200, 200, 200, 200, 200, 200}},
      {"GET", "metrics", "", {200, 200, 200, 200, 200, 200}},
      {"GET", "checkpoint", "", {200, 200, 200, 200, 200, 200}},
      {"GET", "api/v1/cosigned-checkpoint", "", {404, 404, 404, 404, 404, 404}},  // no witness
      {"GET", "tile/0/000.p/1", "", {200, 200, 200, 200, 200, 200}},
      {"GET", "api/v1/proofs/inclusion?index=0", "", {200, 200, 200, 200, 200, 200}},
      {"GET", "api/v1/proofs/consistency?from=1", "", {200, 200, 200, 200, 200, 200}},
      {"GET", "tile/entries/000.p/1", "", {401, 200, 403, 403, 200, 200}},
      {"GET", "api/v1/entries/0", "", {401, 200, 403, 403, 200, 200}},
      {"GET", "api/v1/holdings/DOC", "", {401, 404, 200, 404, 200, 200}},
      {"GET", "api/v1/holdings", "", {401, 200, 200, 200, 200, 200}},
      {"GET", "api/v1/requests", "", {401, 200, 200, 200, 200, 200}},
      {"POST",
       "api/v1/explain",
       R"({"type":"holding.inspect","holdings":["DOC"],"fields":{"result":"seen"}})",
       {401, 404, 200, 404, 200, 200}},
      {"POST",
       "api/v1/events",
       R"({"type":"facility.add","fields":{"facility":"F-{P}","name":"n"}})",
       {401, 200, 403, 403, 403, 403}},
      {"POST",
       "api/v1/events",
       R"({"type":"holding.register","fields":{"kind":"document","title":"t","location":"V1"}})",
       {401, 403, 200, 403, 403, 403}},
      {"POST",
       "api/v1/events",
       R"({"type":"holding.inspect","holdings":["DOC"],"fields":{"result":"seen"}})",
       {401, 404, 403, 404, 200, 403}},
      {"POST",
       "api/v1/events",
       R"({"type":"grant.add","fields":{"person":"OFF","scope":"case","target":"C-{P}","expires":"2028-01-01"}})",
       {401, 403, 403, 403, 403, 200}},
      {"POST",
       "api/v1/events",
       R"({"type":"facility.control","fields":{"facility":"HQ2","heightened":true,"reason":"r"}})",
       {401, 403, 403, 403, 403, 200}},
      {"POST", approve.substr(u.size()), credential, {401, 404, 403, 404, 403, 200}},
  };
  for (const Row& row : rows) {
    for (size_t i = 0; i < people.size(); ++i) {
      const std::string& p = people[i];
      std::string body = row.body;
      if (auto at = body.find("{P}"); at != std::string::npos) body.replace(at, 3, p);
      const uint64_t before = Size(c, u);
      Reply r = c.Call(row.method, u + row.path, body, token[p]);
      const std::string what = row.method + " /" + row.path + " as " + (p.empty() ? "nobody" : p);
      EXPECT_EQ(r.status, row.want[i]) << what << ": " << r.body;
      const bool writes =
          row.path == "api/v1/events" || row.path.find("/approve") != std::string::npos;
      // A refused read of a named record: the 404 of a missing one, logged.
      const bool refused_read = r.status == 404 && row.path.find("cosigned") == std::string::npos;
      if (r.status == 403) {
        EXPECT_EQ(r.json()["entry"]["type"], "denied") << what << ": " << r.body;
        EXPECT_EQ(Size(c, u), before + 1) << what << ": the refusal is logged";
      } else if (refused_read) {
        EXPECT_EQ(r.json()["error"], "no holding DOC that you may read") << what;
        EXPECT_EQ(Size(c, u), before + 1) << what << ": the refused read is logged";
      } else {
        EXPECT_EQ(Size(c, u), before + (writes && r.status == 200 ? 1 : 0)) << what;
      }
    }
  }
  // A request naming no holding (a person's addition) is for its requester
  // and those who approve such requests: nobody else lists it or learns of
  // it by trying to approve it.
  Reply pending = c.Call(
      "POST", u + "api/v1/events",
      R"({"type":"person.add","fields":{"person":"NEWCOMER","name":"N","unit":"U","roles":["holder"],"clearance":"SECRET"}})",
      adm);
  ASSERT_EQ(pending.status, 202) << pending.body;
  const std::string request = pending.json()["request"];
  auto lists = [&](const std::string& who) {
    return c.Call("GET", u + "api/v1/requests", "", token[who]).body.find(request) !=
           std::string::npos;
  };
  EXPECT_FALSE(lists("OFF"));
  EXPECT_FALSE(lists("CUS"));
  EXPECT_TRUE(lists("SECM"));
  Reply nosy = c.Call("POST", u + "api/v1/requests/" + request + "/approve", credential,
                      token["OFF"]);
  EXPECT_EQ(nosy.status, 404) << nosy.body;
  EXPECT_EQ(nosy.json()["error"], "no request " + request + " that you may read");
  Reply missing = c.Call("POST", u + "api/v1/requests/R-999999/approve", credential, token["OFF"]);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["error"], "no request R-999999 that you may read");
  EXPECT_EQ(nosy.body.find("NEWCOMER"), std::string::npos);
  EXPECT_EQ(c.Call("POST", u + "api/v1/requests/" + request + "/approve", credential,
                   token["SECM"])
                .status,
            200);
  EXPECT_EQ(server.Stop().first, 0);
  EXPECT_EQ(Strongroom({"verify", "--data", dir_}).code, 0);
}

// Load and faults: concurrent clients register holdings while the server is
// killed with SIGKILL and restarted, four times. Every event a client was
// told was accepted is in the log afterwards, byte for byte at its index,
// and the log verifies.
TEST_F(ServerTest, EveryAcknowledgedEventSurvivesSigkill) {
  {
    Server setup(dir_, {});
    Client c(Ca());
    const std::string adm = Login(c, setup.url(), "ADM");
    for (
        const char* body :
        {R"({"type":"facility.add","fields":{"facility":"HQ","name":"HQ store"}})",
         R"({"type":"location.add","fields":{"location":"V1","facility":"HQ","name":"Vault","kind":"vault"}})"}) {
      ASSERT_EQ(c.Call("POST", setup.url() + "api/v1/events", body, adm).status, 200);
    }
  }
  std::mutex mu;
  std::string url;                               // the live server's, guarded by mu
  std::vector<std::pair<uint64_t, Json>> acked;  // index, entry; guarded by mu
  std::atomic<bool> done{false};
  std::atomic<uint64_t> failures{0};
  auto client = [&](int n) {
    Client c(Ca());
    c.tolerate_failures_ = true;
    std::string token, token_url;
    for (int i = 0; !done; ++i) {
      std::string u;
      {
        std::lock_guard<std::mutex> lock(mu);
        u = url;
      }
      if (token.empty() || token_url != u) {  // a restarted server knows no sessions
        Reply login = c.Call("POST", u + "api/v1/login",
                             Json{{"person", "CUS"}, {"credential", kTestCredential}}.dump());
        token = login.status == 200 ? login.json().value("token", "") : "";
        token_url = u;
        if (token.empty()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
      }
      const std::string body = Json{
          {"type", "holding.register"},
          {"fields",
           {{"kind", "document"},
            {"title", "Item " + std::to_string(n) + "." + std::to_string(i)},
            {"location", "V1"}}}}.dump();
      Reply r = c.Call("POST", u + "api/v1/events", body, token);
      if (r.status == 200) {
        Json j = r.json();
        std::lock_guard<std::mutex> lock(mu);
        acked.emplace_back(j["index"].get<uint64_t>(), j["entry"]);
      } else {
        ++failures;  // killed mid-request, or not yet restarted: not acknowledged
        if (r.status == 401) token.clear();
        if (r.status == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  };
  std::mt19937 rng(20261122);
  auto server = std::make_unique<Server>(dir_, std::vector<std::string>{});
  url = server->url();
  std::vector<std::thread> clients;
  for (int n = 0; n < 4; ++n) clients.emplace_back(client, n);
  size_t acked_before_kill = 0;
  for (int round = 0; round < 4; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400 + rng() % 600));
    {
      std::lock_guard<std::mutex> lock(mu);
      acked_before_kill = acked.size();
    }
    server->Kill();
    server = std::make_unique<Server>(dir_, std::vector<std::string>{});
    std::lock_guard<std::mutex> lock(mu);
    url = server->url();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(server->Stop().first, 0);
  EXPECT_GT(acked_before_kill, 0u) << "the clients got nothing acknowledged before the last kill";

  auto data = DataDir::Open(dir_, DataDir::Mode::kRead);
  ASSERT_TRUE(data.ok()) << data.status().message();
  std::set<uint64_t> indexes;
  for (const auto& [index, entry] : acked) {
    EXPECT_TRUE(indexes.insert(index).second) << "index " << index << " acknowledged twice";
    Status st = (*data)->store()->ScanEntries(index, index + 1, [&](uint64_t, std::string_view e) {
      EXPECT_EQ(Json::parse(e), entry) << "entry " << index << " is not what was acknowledged";
      return OkStatus();
    });
    EXPECT_TRUE(st.ok()) << "acknowledged entry " << index << " is missing: " << st.message();
  }
  RunResult verified = Strongroom({"verify", "--data", dir_});
  EXPECT_EQ(verified.code, 0) << verified.err;
  std::printf("%zu events acknowledged across 4 SIGKILLs; %llu requests failed or refused\n",
              acked.size(), static_cast<unsigned long long>(failures.load()));
}

// The command line against the server (--server URL): the same commands,
// the same output as against the store itself.
TEST_F(ServerTest, TheCliTalksToTheServerWithTheSameOutput) {
  Server server(dir_, {});
  const std::vector<std::string> at = {"--server", server.url(), "--cacert", Ca()};
  auto run = [&](std::vector<std::string> args) {
    const size_t command_words = args[0] == "explain" ? 3 : args[0] == "entry" ? 1 : 2;
    args.insert(args.begin() + static_cast<long>(command_words), at.begin(), at.end());
    return Strongroom(args);
  };
  RunResult fac = run({"facility", "add", "--actor", "ADM", "--id", "HQ", "--name", "HQ store"});
  EXPECT_EQ(fac.code, 0) << fac.err;
  EXPECT_EQ(fac.out, "recorded as log entry 5; tree size 6\n");
  EXPECT_EQ(run({"location", "add", "--actor", "ADM", "--id", "V1", "--facility", "HQ", "--name",
                 "Vault", "--kind", "vault"})
                .code,
            0);
  RunResult reg = run({"holding", "register", "--actor", "CUS", "--kind", "document", "--title",
                       "Plan", "--location", "V1", "--classification", "SECRET"});
  EXPECT_EQ(reg.code, 0) << reg.err;
  EXPECT_EQ(reg.out, "recorded as log entry 7 (holding H-000007); tree size 8\n");
  // Denied: logged, and reported as the local store reports it.
  RunResult denied = run({"facility", "add", "--actor", "OFF", "--id", "X", "--name", "x"});
  EXPECT_EQ(denied.code, 6);
  EXPECT_EQ(denied.err,
            "strongroom: denied: OFF has no role that may administer (needs administrator) "
            "(logged as entry 8)\n");
  RunResult why = run({"explain", "facility", "add", "--actor", "OFF", "--id", "Y", "--name", "y"});
  EXPECT_EQ(why.code, 0) << why.err;
  EXPECT_EQ(why.out, "denied: OFF has no role that may administer (needs administrator)\n");
  // A new person: the administrator is shown their one-time enrolment code.
  RunResult enrol = run({"person", "add", "--actor", "ADM", "--id", "NEW", "--name", "New",
                         "--unit", "Ops", "--roles", "holder", "--clearance", "SECRET"});
  EXPECT_EQ(enrol.code, 0) << enrol.err;
  const size_t code_at = enrol.out.find("enrolment code for NEW: ");
  ASSERT_NE(code_at, std::string::npos) << enrol.out;
  const std::string code = enrol.out.substr(code_at + 24, 32);
  // Two people: a request, listed, approved by the second person.
  RunResult req = run(
      {"holding", "destroy", "--actor", "CUS", "--holding", "H-000007", "--method", "shredding"});
  EXPECT_EQ(req.code, 0) << req.err;
  EXPECT_EQ(req.out,
            "request R-10 opened (log entry 10): needs a second person: destruction\na second "
            "person approves it with: strongroom request approve --server " +
                server.url() + " --request R-10 --actor PERSON\n");
  RunResult open = run({"request", "list", "--login", "CUS"});
  EXPECT_EQ(open.code, 0) << open.err;
  EXPECT_NE(open.out.find("R-10 holding.destroy by CUS [\"H-000007\"]"), std::string::npos);
  RunResult approved = run({"request", "approve", "--request", "R-10", "--actor", "ADM"});
  EXPECT_EQ(approved.code, 0) << approved.err;
  EXPECT_EQ(approved.out, "recorded as log entry 11 (holding H-000007); tree size 12\n");
  // A distributed copy, acknowledged by a member of its unit with their own key.
  EXPECT_EQ(run({"holding", "register", "--actor", "CUS", "--kind", "document", "--title",
                 "Circular", "--location", "V1"})
                .code,
            0);
  RunResult dist = run({"holding", "distribute", "--actor", "CUS", "--holding", "H-000012",
                        "--units", "Ops", "--return-by", "2030-01-01"});
  EXPECT_EQ(dist.code, 0) << dist.err;
  RunResult ack = run({"holding", "acknowledge", "--actor", "OFF", "--holding", "H-000012-C1"});
  EXPECT_EQ(ack.code, 0) << ack.err;
  EXPECT_EQ(ack.out, "recorded as log entry 14 (holding H-000012-C1); tree size 15\n");
  RunResult again = run({"holding", "acknowledge", "--actor", "CUS", "--holding", "H-000012-C1"});
  EXPECT_EQ(again.code, 5);  // refused by the state: nothing written
  EXPECT_EQ(again.err, "strongroom: strongroomd: H-000012-C1 was acknowledged by OFF (HTTP 409)\n");
  // Bad input and refusals keep their exit codes.
  EXPECT_EQ(run({"request", "approve", "--request", "R-10", "--actor", "ADM"}).code, 5);  // done
  EXPECT_EQ(run({"holding", "show", "--holding", "H-000007"}).err,
            "strongroom: --server needs --login PERSON: the service answers what they may read\n");
  RunResult both = Strongroom({"holding", "list", "--data", dir_, "--server", server.url()});
  EXPECT_EQ(both.code, 2);
  EXPECT_EQ(both.err, "strongroom: give exactly one of --data DIR and --server URL\n");
  // NEW sets their own credential with the code, over the server, and acts.
  ::setenv("STRONGROOM_ENROLMENT_CODE", code.c_str(), 1);
  ::setenv("STRONGROOM_CREDENTIAL", "NEW's very own credential", 1);
  RunResult enrolled = run({"person", "enrol", "--actor", "NEW"});
  RunResult listed = run({"holding", "list", "--login", "NEW"});
  ::setenv("STRONGROOM_CREDENTIAL", kTestCredential, 1);
  ::unsetenv("STRONGROOM_ENROLMENT_CODE");
  EXPECT_EQ(enrolled.code, 0) << enrolled.err;
  EXPECT_EQ(listed.code, 0) << listed.err;
  // Reads, remembered to compare with the store's own answers.
  const std::vector<std::vector<std::string>> reads = {
      {"holding", "show", "--holding", "H-000007", "--proofs", "--login", "CUS"},
      {"holding", "list", "--kind", "document", "--login", "CUS"},
      {"holding", "list", "--kind", "document", "--login", "CUS", "--json"},
      {"entry", "--index", "3", "--login", "ADM"},
      {"proof", "inclusion", "--index", "3", "--size", "9"},
      {"proof", "consistency", "--from", "4", "--to", "9"}};
  std::vector<std::string> remote;
  for (const auto& r : reads) {
    RunResult got = run(r);
    EXPECT_EQ(got.code, 0) << got.err;
    remote.push_back(got.out);
  }
  EXPECT_EQ(server.Stop().first, 0);
  for (size_t i = 0; i < reads.size(); ++i) {
    std::vector<std::string> local = reads[i];
    if (auto login = std::find(local.begin(), local.end(), "--login"); login != local.end()) {
      local.erase(login, login + 2);
    }
    local.insert(local.begin() + (local[0] == "entry" ? 1 : 2), {"--data", dir_});
    RunResult mine = Strongroom(local);
    EXPECT_EQ(mine.code, 0) << mine.err;
    EXPECT_EQ(remote[i], mine.out) << local[0] << " " << local[1];
  }
  EXPECT_EQ(Strongroom({"verify", "--data", dir_}).code, 0);
}

TEST_F(ServerTest, AnInspectionAndItsDetectionsThroughTheService) {
  Enrolled({"person", "add", "--data", dir_, "--actor", "ADM", "--id", "INS", "--name", "Inspector",
            "--unit", "Inspectorate", "--roles", "inspector", "--clearance", "SECRET"});
  Ok({"facility", "add", "--data", dir_, "--actor", "ADM", "--id", "HQ", "--name", "HQ store"});
  Ok({"location", "add", "--data", dir_, "--actor", "ADM", "--id", "V1", "--facility", "HQ",
      "--name", "Vault", "--kind", "vault"});
  // Three phones to destroy a few seconds after each is registered: overdue
  // before the inspection is done, however slow the build (ASan) is.
  int64_t deadline = 0;
  for (const char* id : {"PH1", "PH2", "PH3"}) {
    deadline = SystemClock()->Now() + 8000000;
    Ok({"holding", "register", "--data", dir_, "--actor", "CUS", "--id", id, "--kind", "evidence",
        "--title", "Phone", "--location", "V1", "--case", "CASE-1", "--item-type", "mobile phone",
        "--disposition", "destroy", "--disposition-due", FormatRfc3339(deadline)});
  }
  const int64_t registered = SystemClock()->Now();
  const std::string other = dir_ + "-other-log";
  Ok({"init", "--data", other, "--origin", "other.example/log"});
  const std::string other_vkey = TrimTrailing(Slurp(other + "/log.vkey"));
  Server server(dir_, {});
  const std::string u = server.url();
  const std::vector<std::string> at = {"--server", u, "--cacert", Ca()};
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin() + 2, at.begin(), at.end());
    return Strongroom(args);
  };
  Client c(Ca());
  const std::string ins = Login(c, u, "INS"), off = Login(c, u, "OFF"), cus = Login(c, u, "CUS");

  // The open sends only the commitment; the service counts the population.
  const std::string reveal = dir_ + "-reveal";
  RunResult opened = run({"inspection", "open", "--actor", "INS", "--facility", "HQ", "--announced",
                          "off", "--occasion", "routine", "--method", "full", "--reveal-file", reveal,
                          "--json"});
  ASSERT_EQ(opened.code, 0) << opened.err;
  const Json open_entry = Json::parse(opened.out)["entry"];
  EXPECT_EQ(open_entry["fields"]["population"], 3);
  const std::string text = Slurp(reveal);
  EXPECT_EQ(open_entry.dump().find(text.substr(text.find('\n') + 1, 44)), std::string::npos);
  const std::string id = "INSP-" + std::to_string(Json::parse(opened.out)["index"].get<uint64_t>());
  // Bad input: an open without a commitment, a draw with no reveal.
  Reply bare = c.Call("POST", u + "api/v1/events",
                      R"({"type":"inspection.open","fields":{"facility":"HQ","announced":false,)"
                      R"("occasion":"routine","method":"full"}})",
                      ins);
  EXPECT_EQ(bare.status, 400) << bare.body;
  EXPECT_NE(bare.json()["error"].get<std::string>().find("carries 'commitment'"), std::string::npos)
      << bare.body;
  Reply no_reveal = c.Call("POST", u + "api/v1/events",
                           Json{{"type", "inspection.draw"},
                                {"fields", {{"inspection", id}, {"reveal", "bm90IDMyIGJ5dGVz"}}}}
                               .dump(),
                           ins);
  EXPECT_EQ(no_reveal.status, 400) << no_reveal.body;
  // The reveal leaves only once a checkpoint signed by the log's key covers
  // the open entry, checked by the client against that key.
  RunResult keyless = run({"inspection", "draw", "--actor", "INS", "--inspection", id,
                           "--reveal-file", reveal});
  EXPECT_EQ(keyless.code, 2) << keyless.err;
  EXPECT_NE(keyless.err.find("needs --key VKEY"), std::string::npos) << keyless.err;
  const std::string vkey = TrimTrailing(Slurp(dir_ + "/log.vkey"));
  // Another log's key: its checkpoint does not verify, nothing is sent.
  const uint64_t undrawn = Size(c, u);
  RunResult wrong_key = run({"inspection", "draw", "--actor", "INS", "--inspection", id,
                             "--reveal-file", reveal, "--key", other_vkey});
  EXPECT_NE(wrong_key.code, 0) << wrong_key.out;
  EXPECT_EQ(Size(c, u), undrawn);
  // The draw sends the reveal; the service computes the sample.
  RunResult drawn = run({"inspection", "draw", "--actor", "INS", "--inspection", id, "--reveal-file",
                         reveal, "--key", vkey, "--json"});
  ASSERT_EQ(drawn.code, 0) << drawn.err;
  Reply shown = c.Call("GET", u + "api/v1/inspections/" + id, "", ins);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.json()["status"], "drawn");
  const Json sample = shown.json()["sample"];
  ASSERT_EQ(sample.size(), 3u);
  EXPECT_EQ(shown.json()["not_yet_recorded"], sample);
  // The lists never show what remains to count.
  Reply drawn_list = c.Call("GET", u + "api/v1/inspections?status=drawn", "", ins);
  ASSERT_EQ(drawn_list.status, 200) << drawn_list.body;
  EXPECT_FALSE(drawn_list.json()["inspections"][0].contains("not_yet_recorded")) << drawn_list.body;
  EXPECT_FALSE(drawn_list.json()["inspections"][0].contains("sample")) << drawn_list.body;
  // Nobody else reads it; each refusal is logged.
  uint64_t before = Size(c, u);
  for (const std::string* who : {&off, &cus}) {
    Reply refused = c.Call("GET", u + "api/v1/inspections/" + id, "", *who);
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_NE(refused.body.find("only inspectors and security managers read"), std::string::npos);
  }
  EXPECT_EQ(c.Call("GET", u + "api/v1/detections", "", off).status, 403);
  EXPECT_EQ(Size(c, u), before + 3);
  EXPECT_EQ(c.Call("GET", u + "api/v1/inspections/INSP-999999", "", ins).status, 404);
  EXPECT_EQ(c.Call("GET", u + "api/v1/inspections?status=lost", "", ins).status, 400);

  // The custodian kept one phone: missing; the inspection closes with it.
  for (const Json& h : sample) {
    const std::string result = h == "PH2" ? "missing" : "found";
    RunResult rec = run({"inspection", "record", "--actor", "INS", "--inspection", id, "--holding",
                         h.get<std::string>(), "--result", result});
    EXPECT_EQ(rec.code, 0) << rec.err;
  }
  EXPECT_EQ(run({"inspection", "close", "--actor", "INS", "--inspection", id, "--finding-owner",
                 "ADM", "--findings-due", "2030-01-01"})
                .code,
            0);
  Reply closed = c.Call("GET", u + "api/v1/inspections?status=closed", "", ins);
  ASSERT_EQ(closed.status, 200) << closed.body;
  ASSERT_EQ(closed.json()["inspections"].size(), 1u);
  EXPECT_EQ(closed.json()["inspections"][0]["discrepancies"],
            Json::parse(R"([{"holding":"PH2","result":"missing"}])"));

  // Detect: only inspectors and security managers raise; each cause once.
  while (SystemClock()->Now() <= deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  before = Size(c, u);
  EXPECT_EQ(c.Call("POST", u + "api/v1/detect", "{}", off).status, 403);
  EXPECT_EQ(Size(c, u), before + 1);
  Reply raised = c.Call("POST", u + "api/v1/detect", "{}", ins);
  ASSERT_EQ(raised.status, 200) << raised.body;
  std::multiset<std::string> rules;
  const Json raised_json = raised.json();
  for (const Json& d : raised_json["raised"]) rules.insert(d["rule"].get<std::string>());
  EXPECT_EQ(rules, (std::multiset<std::string>{"disposition_overdue", "disposition_overdue",
                                               "disposition_overdue", "inspection_missing"}))
      << raised.body;
  EXPECT_EQ(raised.json()["refused"].size(), 0u);
  Reply again = c.Call("POST", u + "api/v1/detect", "{}", ins);
  EXPECT_EQ(again.json()["raised"].size(), 0u) << again.body;
  Reply listed = c.Call("GET", u + "api/v1/detections?status=raised", "", ins);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json()["detections"].size(), 4u);
  // As of a past time: computed from the log, nothing written.
  before = Size(c, u);
  Reply then = c.Call("POST", u + "api/v1/detect",
                      Json{{"as_of", FormatRfc3339(registered)}}.dump(), ins);
  ASSERT_EQ(then.status, 200) << then.body;
  EXPECT_EQ(then.json()["due"].size(), 0u);
  Reply now = c.Call("POST", u + "api/v1/detect",
                     Json{{"as_of", FormatRfc3339(SystemClock()->Now())}}.dump(), ins);
  ASSERT_EQ(now.status, 200) << now.body;
  EXPECT_EQ(now.json()["due"].size(), 4u);
  const Json due_now = now.json()["due"];
  for (const Json& d : due_now) EXPECT_TRUE(d["raised_by_then"].get<bool>());
  EXPECT_EQ(c.Call("POST", u + "api/v1/detect", R"({"as_of":"yesterday"})", ins).status, 400);
  EXPECT_EQ(c.Call("POST", u + "api/v1/detect", R"({"when":"now"})", ins).status, 400);
  EXPECT_EQ(Size(c, u), before);
  // The command line through the service: the same answers as the store's.
  const std::string when = FormatRfc3339(SystemClock()->Now());
  auto detect = [&](std::vector<std::string> args) {
    std::vector<std::string> all = {"detect", "--server", u, "--cacert", Ca()};
    all.insert(all.end(), args.begin(), args.end());
    return Strongroom(all);
  };
  RunResult nothing = detect({"--actor", "INS"});
  EXPECT_EQ(nothing.code, 0) << nothing.err;
  EXPECT_EQ(nothing.out, "nothing new is due\n");
  RunResult remote_as_of = detect({"--actor", "INS", "--as-of", when});
  EXPECT_EQ(remote_as_of.code, 0) << remote_as_of.err;
  RunResult keyless_as_of = detect({"--as-of", when});
  EXPECT_EQ(keyless_as_of.code, 2) << keyless_as_of.err;
  EXPECT_NE(keyless_as_of.err.find("detect --server needs --actor PERSON"), std::string::npos);
  RunResult not_reviewer = detect({"--actor", "OFF"});
  EXPECT_EQ(not_reviewer.code, 6) << not_reviewer.err;
  EXPECT_EQ(server.Stop().first, 0);
  RunResult local_as_of = Strongroom({"detect", "--data", dir_, "--as-of", when});
  EXPECT_EQ(local_as_of.code, 0) << local_as_of.err;
  EXPECT_EQ(remote_as_of.out, local_as_of.out);
  EXPECT_NE(remote_as_of.out.find(": 4 due"), std::string::npos) << remote_as_of.out;
  RunResult recomputed = Strongroom({"inspection", "verify-sample", "--data", dir_, "--inspection", id});
  EXPECT_EQ(recomputed.code, 0) << recomputed.err;
  EXPECT_EQ(Strongroom({"verify", "--data", dir_}).code, 0);
}

TEST_F(ServerTest, FailedLoginsAreLimitedPerPerson) {
  Server server(dir_, {});
  Client c(Ca());
  const std::string login = server.url() + "api/v1/login";
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(
        c.Call("POST", login,
               Json{{"person", "OFF"}, {"credential", "guess number " + std::to_string(i)}}.dump())
            .status,
        401);
  }
  // Now even the right credential is not checked.
  Reply r = c.Call("POST", login, Json{{"person", "OFF"}, {"credential", kTestCredential}}.dump());
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_NE(r.headers.find("retry-after: "), std::string::npos) << r.headers;
  // Others are not locked out by OFF's attacker (below the address limit).
  EXPECT_EQ(
      c.Call("POST", login, Json{{"person", "ADM"}, {"credential", kTestCredential}}.dump()).status,
      200);
}

// Issue 12: a 64 KB body nested 31,000 levels deep, sent without a session,
// overflowed the JSON encoder's stack and killed strongroomd.
TEST_F(ServerTest, ADeeplyNestedBodyIsRefusedAndTheServiceLives) {
  Server server(dir_, {});
  Client c(Ca());
  const std::string deep = std::string(31000, '[') + std::string(31000, ']');
  Reply r = c.Call("POST", server.url() + "api/v1/login", deep);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.json().value("error", "").find("nested deeper than 64 levels"), std::string::npos)
      << r.body;
  std::string objects;
  for (int i = 0; i < 20000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(20000, '}');
  const std::string token = Login(c, server.url(), "CUS");
  r = c.Call("POST", server.url() + "api/v1/events",
             R"({"type":"holding.move","holdings":["H-000001"],"fields":)" + objects + "}", token);
  EXPECT_EQ(r.status, 400) << r.body;
  // Still serving, to the same client and to a new one.
  EXPECT_EQ(c.Call("GET", server.url() + "checkpoint").status, 200);
  Client fresh(Ca());
  EXPECT_FALSE(Login(fresh, server.url(), "OFF").empty());
  auto [code, out] = server.Stop();
  EXPECT_EQ(code, 0) << out;
}

// Issue 11: an insider who edits one projection row (a grant's expiry that is
// not a time) stopped the service at the next event that read it. Now that
// event is refused with a 500 (DataLoss) naming the row, nothing is written,
// and the service goes on serving.
// Issue 12: a tampered projection is not served. An administrator with the
// database file makes a SECRET holding's row UNCLASSIFIED while strongroomd
// runs: the row fails its MAC (a key the database does not hold), so the
// read is refused (DataLoss) and counted as an alarm instead of the record
// reaching an uncleared officer, and the service lives; restarted, it
// refuses to serve that store at all.
TEST_F(ServerTest, AnEditedRowIsRefusedAndTheServiceLives) {
  Ok({"facility", "add", "--data", dir_, "--actor", "ADM", "--id", "HQ", "--name", "HQ"});
  Ok({"location", "add", "--data", dir_, "--actor", "ADM", "--id", "V1", "--facility", "HQ",
      "--name", "Vault", "--kind", "vault"});
  Ok({"holding", "register", "--data", dir_, "--actor", "CUS", "--id", "DOC1", "--kind",
      "document", "--title", "Order of battle", "--location", "V1", "--classification",
      "SECRET"});
  Server server(dir_, {});
  Client c(Ca());
  const std::string off = Login(c, server.url(), "OFF");
  const std::string doc = server.url() + "api/v1/holdings/DOC1";
  EXPECT_EQ(c.Call("GET", doc, "", off).status, 404);  // no need-to-know
  sqlite3* db;
  ASSERT_EQ(sqlite3_open((dir_ + "/strongroom.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE holdings SET data=json_set(data,'$.classification','UNCLASSIFIED') "
                         "WHERE id='DOC1'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Reply r = c.Call("GET", doc, "", off);
  EXPECT_EQ(r.status, 500) << r.body;
  // The asker learns nothing of what failed (the operator's alarm says).
  EXPECT_EQ(r.json()["error"], "the store failed an integrity check (reported to the operator)");
  EXPECT_EQ(r.body.find("Order of battle"), std::string::npos);
  // The custodian's events on it are refused too: nothing is written.
  const std::string cus = Login(c, server.url(), "CUS");
  const uint64_t size = Size(c, server.url());
  r = c.Call("POST", server.url() + "api/v1/events",
             R"({"type":"holding.move","holdings":["DOC1"],"fields":{"location":"V1"}})", cus);
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(Size(c, server.url()), size);
  EXPECT_NE(c.Call("GET", server.url() + "metrics").body.find(
                "strongroom_projection_mac_failures_total 2"),
            std::string::npos);
  EXPECT_EQ(c.Call("GET", server.url() + "healthz").status, 200);
  auto [code, out] = server.Stop();
  EXPECT_EQ(code, 0) << out;
  const std::string err = server.log();
  EXPECT_NE(err.find(R"({"alarm":"projection row fails its MAC","detail":"the holdings row DOC1 does not check out)"),
            std::string::npos)
      << err;

  RunResult restarted = Strongroom(
      {"serve", "--data", dir_, "--listen", "127.0.0.1:0", "--plain-http", "--plaintext-log-key"});
  EXPECT_EQ(restarted.code, 7) << restarted.err;
  EXPECT_NE(restarted.err.find("does not check out, so it is not served"), std::string::npos)
      << restarted.err;
  // verify names it; the log itself is intact.
  RunResult verify = Strongroom({"verify", "--data", dir_});
  EXPECT_EQ(verify.code, 7);
  EXPECT_NE(verify.err.find("projection holdings DOC1"), std::string::npos) << verify.err;
}

TEST_F(ServerTest, PlainHttpOnlyOnLoopbackAndBadListenAddresses) {
  RunResult r = Strongroom({"serve", "--data", dir_, "--listen", "0.0.0.0:0", "--plain-http"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--plain-http is only allowed on a loopback address"), std::string::npos)
      << r.err;
  r = Strongroom({"serve", "--data", dir_, "--listen", "nowhere"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--listen takes ADDRESS:PORT"), std::string::npos) << r.err;
  r = Strongroom({"serve", "--data", dir_, "--cert", dir_ + "/tls.crt"});
  EXPECT_NE(r.err.find("give both --cert and --key"), std::string::npos) << r.err;
  r = Strongroom({"serve", "--data", dir_, "--cert", dir_ + "/log.vkey", "--key", dir_ + "/tls.key",
                  "--listen", "127.0.0.1:0"});
  EXPECT_NE(r.err.find("TLS certificate"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace strongroom::testing
