// What the command line does against strongroomd over HTTPS: log in, and
// turn the service's answers back into the Status the CLI reports.
#ifndef STRONGROOM_CLI_REMOTE_H_
#define STRONGROOM_CLI_REMOTE_H_

#include <string>

#include "base/status.h"
#include "cli/local_store.h"
#include "cli/secrets.h"
#include "custody/event.h"
#include "verify/fetch.h"

namespace strongroom {

// `base` ending in "/" ("https://host:8443/").
std::string ServerBase(std::string url);

// A session token for `person` at strongroomd `base`, their credential
// read from `secret`.
Result<std::string> LogIn(const std::string& base, const std::string& person,
                          const SecretSource& secret, const HttpOptions& http);

// strongroomd, as the command line reaches it.
struct Remote {
  std::string base;  // "https://host:port/"
  HttpOptions http;  // --cacert
};

// What Submit() (cli/local_store.h) does, through the service: the person
// `auth.who` logs in with their credential, the event goes to
// `auth.remote_path`, the session ends; the same output as a local store's.
Result<Output> RemoteSubmit(const Remote& remote, const Event& event, const Authority& auth);

// GET `path` (below the base, with its query) as `person` (logging in with
// their credential from `secret`), or anonymously if `person` is empty.
Result<HttpReply> RemoteGet(const Remote& remote, const std::string& path,
                            const std::string& person, const SecretSource& secret);
// `method` `path` with `body` (JSON), likewise.
Result<HttpReply> RemoteCall(const Remote& remote, const std::string& method, const std::string& path,
                             const std::string& body, const std::string& person,
                             const SecretSource& secret);

// `value` percent-encoded for a query string.
std::string QueryEscape(const std::string& value);

// OK for a 2xx reply; else the service's {"error"} as the Status its HTTP
// status stands for (400 InvalidArgument, 401/403 PermissionDenied, 404
// NotFound, 409 FailedPrecondition, 5xx Unavailable).
Status ReplyStatus(const HttpReply& reply);

}  // namespace strongroom

#endif  // STRONGROOM_CLI_REMOTE_H_
