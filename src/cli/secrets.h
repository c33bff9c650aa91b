// Where the CLI reads a person's credential from: a file descriptor, a named
// environment variable, the default variable, or (on a terminal) a prompt
// without echo. Credentials are never taken as command-line arguments,
// which other users can read in the process list.
#ifndef STRONGROOM_CLI_SECRETS_H_
#define STRONGROOM_CLI_SECRETS_H_

#include <optional>
#include <string>

#include "base/status.h"

namespace strongroom {

struct SecretSource {
  int fd = -1;              // --credential-fd N: read one line from N
  std::string env;          // --credential-env NAME
  std::string default_env;  // used when neither is given and it is set
  // What it is and its options' prefix, for messages ("credential":
  // --credential-fd, --credential-env).
  std::string what = "credential";
  // The secret itself, once read (a command that authenticates twice reads
  // a file descriptor or the terminal once).
  std::optional<std::string> value;
};

// The secret, without its line ending. InvalidArgument if the named source
// is empty or missing, or if there is no source and no terminal.
Result<std::string> ReadSecret(const SecretSource& source, const std::string& prompt);

}  // namespace strongroom

#endif  // STRONGROOM_CLI_SECRETS_H_
