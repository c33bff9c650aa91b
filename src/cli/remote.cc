#include "cli/remote.h"

#include "json/canonical.h"

namespace strongroom {

std::string ServerBase(std::string url) {
  if (url.empty() || url.back() != '/') url += '/';
  return url;
}

Result<std::string> LogIn(const std::string& base, const std::string& person,
                          const SecretSource& secret, const HttpOptions& http) {
  SR_ASSIGN_OR_RETURN(std::string credential,
                      ReadSecret(secret, "credential for " + person + ": "));
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

Status ReplyStatus(const HttpReply& reply) {
  if (reply.status >= 200 && reply.status < 300) return OkStatus();
  std::string message = reply.body;
  auto j = ParseJson(reply.body);
  if (j.ok() && j->is_object() && j->contains("error") && (*j)["error"].is_string()) {
    message = (*j)["error"].get<std::string>();
  }
  message = "strongroomd: " + message + " (HTTP " + std::to_string(reply.status) + ")";
  switch (reply.status) {
    case 400:
    case 405:
    case 413:
    case 431:
      return InvalidArgument(message);
    case 401:
    case 403:
    case 429:
      return PermissionDenied(message);
    case 404:
      return NotFound(message);
    case 409:
      return FailedPrecondition(message);
    default:
      return Unavailable(message);
  }
}

}  // namespace strongroom
