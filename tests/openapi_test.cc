// The OpenAPI document (docs/openapi.json) against the running service: the
// service serves exactly that document, and every example in it — each
// request example and each response example — is sent, in the order of the
// document's x-strongroom-scenario, to a real strongroomd over TLS; the
// status must be the one the example is filed under and the body must match
// the example (values that differ from run to run by type only).
//
// OPENAPI_PRINT=1 prints every actual answer (for writing the examples).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "base/encoding.h"
#include "server_harness.h"

namespace strongroom::testing {
namespace {

// Keys whose values change from run to run: compared by JSON type only.
const std::set<std::string> kVolatile = {"time",       "nonce",      "token",     "expires",
                                         "checkpoint", "root",       "leaf_hash", "inclusion_proof",
                                         "proof",      "public_key", "signature", "actor_signature",
                                         "key",        "opened_at",  "drawn_at",  "closed_at",
                                         "raised_at",  "disposal_request_expires"};

// A sealed field's commitment (base64 of 32 bytes): random from run to run.
bool IsCommitment(const Json& j) {
  if (!j.is_string()) return false;
  auto raw = Base64Decode(j.get<std::string>());
  return raw.ok() && raw->size() == 32;
}

// Why `actual` does not match the `expected` example ("" if it does).
std::string Mismatch(const Json& expected, const Json& actual, const std::string& where) {
  if (expected.type() != actual.type()) {
    return where + ": expected " + expected.dump() + ", got " + actual.dump();
  }
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) return where + "." + key + " is missing";
    }
    for (const auto& [key, value] : actual.items()) {
      if (!expected.contains(key)) return where + "." + key + " is not in the example";
      if (kVolatile.count(key)) {
        if (expected[key].type() != value.type()) return where + "." + key + " has another type";
        continue;
      }
      if (std::string m = Mismatch(expected[key], value, where + "." + key); !m.empty()) return m;
    }
    return "";
  }
  if (expected.is_array()) {
    if (expected.size() != actual.size()) {
      return where + ": expected " + std::to_string(expected.size()) + " items, got " +
             actual.dump();
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      if (std::string m = Mismatch(expected[i], actual[i], where + "[" + std::to_string(i) + "]");
          !m.empty()) {
        return m;
      }
    }
    return "";
  }
  if (IsCommitment(expected) && IsCommitment(actual)) return "";
  return expected == actual ? ""
                            : where + ": expected " + expected.dump() + ", got " + actual.dump();
}

TEST(OpenApiTest, EveryExampleIsSentAndAnsweredAsDocumented) {
  const std::string dir = TempDir("openapi") + "/data";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"init", "--data", dir, "--origin", "openapi.example/log"},
           {"person", "add", "--data", dir, "--actor", "ADM", "--id", "ADM", "--name", "Ada",
            "--unit", "Security", "--roles", "administrator,security_manager", "--clearance",
            "TOP SECRET"},
           {"person", "add", "--data", dir, "--actor", "ADM", "--id", "OFF", "--name", "Officer",
            "--unit", "Ops", "--roles", "holder", "--clearance", "SECRET"},
           {"person", "add", "--data", dir, "--actor", "ADM", "--id", "CUS", "--name", "Custodian",
            "--unit", "Registry", "--roles", "custodian", "--clearance", "SECRET"},
           {"person", "add", "--data", dir, "--actor", "ADM", "--id", "INS", "--name", "Inspector",
            "--unit", "Inspectorate", "--roles", "inspector", "--clearance", "SECRET"}}) {
    RunResult r = AddAndEnrol(args);  // (just runs what is not a person.add of another)
    ASSERT_EQ(r.code, 0) << r.err;
  }
  Server server(dir, {});
  const std::string base = server.url();
  Client c(dir + "/tls.crt");
  const bool print = std::getenv("OPENAPI_PRINT") != nullptr;
  const bool update = std::getenv("SR_UPDATE_DOCS") != nullptr;

  // The service serves the document in the source tree.
  const Json doc = Json::parse(Slurp(std::string(STRONGROOM_SOURCE_DIR) + "/docs/openapi.json"));
  Reply served = c.Call("GET", base + "api/v1/openapi.json");
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.json(), doc);
  EXPECT_EQ(doc.value("openapi", ""), "3.0.3");
  // (Kept in the document's own member order, to rewrite it in place.)
  nlohmann::ordered_json updated = nlohmann::ordered_json::parse(
      Slurp(std::string(STRONGROOM_SOURCE_DIR) + "/docs/openapi.json"));

  std::map<std::string, std::string> token = {{"", ""}};
  for (const char* person : {"ADM", "OFF", "CUS", "INS"}) {
    Reply r = c.Call("POST", base + "api/v1/login",
                     Json{{"person", person}, {"credential", kTestCredential}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
    token[person] = r.json()["token"];
  }

  std::set<std::string> sent;  // "method path example"
  for (const Json& step : doc.at("x-strongroom-scenario")) {
    const std::string operation = step.at("operation");
    const std::string method = operation.substr(0, operation.find(' '));
    const std::string templ = operation.substr(operation.find(' ') + 1);
    const std::string name = step.at("example");
    const std::string path = step.value("path", templ);
    SCOPED_TRACE(operation + " example " + name);
    ASSERT_TRUE(doc["paths"].contains(templ) && doc["paths"][templ].contains(method));
    const Json& op = doc["paths"][templ][method];
    std::string body;
    if (op.contains("requestBody")) {
      const Json& examples = op["requestBody"]["content"]["application/json"]["examples"];
      if (examples.contains(name)) body = examples[name]["value"].dump();
    }
    int status = 0;
    Json expected;
    std::string type;
    for (const auto& [code, response] : op["responses"].items()) {
      const Json contents = response.value("content", Json::object());
      for (const auto& [ctype, content] : contents.items()) {
        if (content.value("examples", Json::object()).contains(name)) {
          status = std::stoi(code);
          expected = content["examples"][name]["value"];
          type = ctype;
        }
      }
    }
    ASSERT_NE(status, 0) << "no response example named " << name;
    sent.insert(method + " " + templ + " " + name);
    std::string upper = method;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    Reply r = c.Call(upper, base + path.substr(1), body, token[step.value("as", "")]);
    if (print)
      std::printf("%s %s [%s] -> %ld\n%s\n\n", upper.c_str(), path.c_str(), name.c_str(), r.status,
                  r.body.c_str());
    EXPECT_EQ(r.status, status) << r.body;
    if (type == "application/json") {
      const std::string mismatch = Mismatch(expected, r.json(), "body");
      if (update && !mismatch.empty()) {
        // SR_UPDATE_DOCS=1: the example becomes what the service answered.
        for (const auto& [code, response] : op["responses"].items()) {
          const Json contents = response.value("content", Json::object());
          if (contents.value(type, Json::object()).value("examples", Json::object()).contains(name)) {
            updated["paths"][templ][method]["responses"][code]["content"][type]["examples"][name]
                   ["value"] = nlohmann::ordered_json::parse(r.body);
          }
        }
        continue;
      }
      EXPECT_EQ(mismatch, "") << r.body;
    } else {
      const std::string first =
          expected.get<std::string>().substr(0, expected.get<std::string>().find('\n'));
      EXPECT_EQ(r.body.substr(0, r.body.find('\n')), first) << r.body;
    }
  }

  // Every example in the document was sent.
  for (const auto& [templ, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      std::vector<std::string> names;
      if (op.contains("requestBody")) {
        for (const auto& [n, e] :
             op["requestBody"]["content"]["application/json"]["examples"].items()) {
          names.push_back(n);
        }
      }
      for (const auto& [code, response] : op["responses"].items()) {
        const Json contents = response.value("content", Json::object());
        for (const auto& [ctype, content] : contents.items()) {
          const Json examples = content.value("examples", Json::object());
          for (const auto& [n, e] : examples.items()) names.push_back(n);
        }
      }
      for (const std::string& n : names) {
        EXPECT_TRUE(sent.count(method + " " + templ + " " + n))
            << "example " << n << " of " << method << " " << templ << " is never sent";
      }
    }
  }
  if (update) {
    std::ofstream(std::string(STRONGROOM_SOURCE_DIR) + "/docs/openapi.json") << updated.dump(1)
                                                                              << "\n";
  }
  EXPECT_EQ(server.Stop().first, 0);
  EXPECT_EQ(Strongroom({"verify", "--data", dir}).code, 0);
  // Published, the same log verifies without any cleartext: the approval
  // the service made commits to exactly what was requested.
  const std::string pub = TempDir("openapi-published");
  ASSERT_EQ(Strongroom({"publish", "--data", dir, "--to", pub}).code, 0);
  std::string vkey = Slurp(dir + "/log.vkey");
  while (!vkey.empty() && vkey.back() == '\n') vkey.pop_back();
  RunResult published = Strongroom({"verify", "--log", pub, "--key", vkey, "--json"});
  EXPECT_EQ(published.code, 0) << published.err;
  EXPECT_NE(published.out.find("\"sealed\":"), std::string::npos) << published.out;
}

}  // namespace
}  // namespace strongroom::testing
