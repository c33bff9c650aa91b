// What the command line does against strongroomd over HTTPS: log in, and
// turn the service's answers back into the Status the CLI reports.
#ifndef STRONGROOM_CLI_REMOTE_H_
#define STRONGROOM_CLI_REMOTE_H_

#include <string>

#include "base/status.h"
#include "cli/secrets.h"
#include "verify/fetch.h"

namespace strongroom {

// `base` ending in "/" ("https://host:8443/").
std::string ServerBase(std::string url);

// A session token for `person` at strongroomd `base`, their credential
// read from `secret`.
Result<std::string> LogIn(const std::string& base, const std::string& person,
                          const SecretSource& secret, const HttpOptions& http);

// OK for a 2xx reply; else the service's {"error"} as the Status its HTTP
// status stands for (400 InvalidArgument, 401/403 PermissionDenied, 404
// NotFound, 409 FailedPrecondition, 5xx Unavailable).
Status ReplyStatus(const HttpReply& reply);

}  // namespace strongroom

#endif  // STRONGROOM_CLI_REMOTE_H_
