#include "cli/remote.h"

#include <cctype>

#include "custody/receipt.h"
#include "json/canonical.h"

namespace strongroom {

std::string ServerBase(std::string url) {
  if (url.empty() || url.back() != '/') url += '/';
  return url;
}

namespace {

Result<std::string> LogInWith(const std::string& base, const std::string& person,
                              const std::string& credential, const HttpOptions& http) {
  const std::string body = Json{{"person", person}, {"credential", credential}}.dump();
  SR_ASSIGN_OR_RETURN(HttpReply reply,
                      HttpCall("POST", ServerBase(base) + "api/v1/login", body, http));
  SR_RETURN_IF_ERROR(ReplyStatus(reply));
  auto j = ParseJson(reply.body);
  if (!j.ok() || !j->contains("token") || !(*j)["token"].is_string()) {
    return Unavailable("the server's login answer has no token");
  }
  return (*j)["token"].get<std::string>();
}

void LogOut(const std::string& base, const HttpOptions& http) {
  (void)HttpCall("POST", ServerBase(base) + "api/v1/logout", "", http);
}

Json EventBody(const Event& e) {
  return {{"type", EventTypeName(e.type)}, {"holdings", e.holdings}, {"fields", e.fields.ToJson()}};
}

}  // namespace

Result<std::string> LogIn(const std::string& base, const std::string& person,
                          const SecretSource& secret, const HttpOptions& http) {
  SR_ASSIGN_OR_RETURN(std::string credential,
                      ReadSecret(secret, "credential for " + person + ": "));
  return LogInWith(base, person, credential, http);
}

Result<Output> RemoteSubmit(const Remote& remote, const Event& event, const Authority& auth) {
  SR_ASSIGN_OR_RETURN(std::string secret,
                      ReadSecret(auth.secret, "credential for " + auth.who + ": "));
  using Body = Authority::RemoteBody;
  Json body;
  switch (auth.remote_body) {
    case Body::kEvent:
      body = EventBody(event);
      if (auth.new_enrolment_code) body["new_enrolment_code"] = true;
      break;
    case Body::kCredential:
      body = {{"credential", secret}};
      break;
    case Body::kEnrol: {
      SR_ASSIGN_OR_RETURN(std::string code,
                          ReadSecret(*auth.code, "enrolment code for " + auth.who + ": "));
      body = {{"person", auth.who}, {"code", code}, {"credential", secret}};
      break;
    }
    case Body::kNewCredential: {
      SR_ASSIGN_OR_RETURN(std::string fresh,
                          ReadSecret(*auth.new_secret, "new credential for " + auth.who + ": "));
      body = {{"credential", secret}, {"new_credential", fresh}};
      break;
    }
  }
  HttpOptions http = remote.http;
  // A person enrolling has no credential to log in with yet.
  if (auth.remote_body != Body::kEnrol) {
    SR_ASSIGN_OR_RETURN(http.bearer_token, LogInWith(remote.base, auth.who, secret, http));
  }
  auto reply = HttpCall(
      "POST",
      ServerBase(remote.base) + (auth.explain ? std::string("api/v1/explain") : auth.remote_path),
      auth.explain ? EventBody(event).dump() : body.dump(), http);
  if (!http.bearer_token.empty()) LogOut(remote.base, http);
  if (!reply.ok()) return reply.status();
  auto answer = ParseJson(reply->body);
  if (reply->status == 403 && answer.ok() && answer->value("outcome", "") == "denied") {
    std::vector<std::string> reasons;
    for (const Json& r : answer->value("reasons", Json::array())) {
      if (r.is_string()) reasons.push_back(r.get<std::string>());
    }
    return PermissionDenied(DeniedSentence(reasons, answer->value("index", uint64_t{0})));
  }
  SR_RETURN_IF_ERROR(ReplyStatus(*reply));
  if (!answer.ok()) return Unavailable("strongroomd's answer is not JSON");
  if (auth.explain) return DecisionOutput(std::move(*answer));
  return SubmitOutput(std::move(*answer), "--server " + remote.base);
}

Result<HttpReply> RemoteGet(const Remote& remote, const std::string& path,
                            const std::string& person, const SecretSource& secret) {
  return RemoteCall(remote, "GET", path, "", person, secret);
}

Result<HttpReply> RemoteCall(const Remote& remote, const std::string& method, const std::string& path,
                             const std::string& body, const std::string& person,
                             const SecretSource& secret) {
  HttpOptions http = remote.http;
  if (!person.empty()) {
    SR_ASSIGN_OR_RETURN(http.bearer_token, LogIn(remote.base, person, secret, http));
  }
  auto reply = HttpCall(method, ServerBase(remote.base) + path, body, http);
  if (!person.empty()) LogOut(remote.base, http);
  if (!reply.ok()) return reply.status();
  SR_RETURN_IF_ERROR(ReplyStatus(*reply));
  return reply;
}

std::string QueryEscape(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Status ReplyStatus(const HttpReply& reply) {
  if (reply.status >= 200 && reply.status < 300) return OkStatus();
  std::string message = reply.body;
  auto j = ParseJson(reply.body);
  if (j.ok() && j->is_object() && j->contains("error") && (*j)["error"].is_string()) {
    message = (*j)["error"].get<std::string>();
  }
  message = "strongroomd: " + message + " (HTTP " + std::to_string(reply.status) + ")";
  return Status(StatusCodeForHttp(static_cast<int>(reply.status)), std::move(message));
}

}  // namespace strongroom
