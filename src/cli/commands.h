// The `strongroom` command line: parsing, dispatch and output. main() only
// calls RunCli(); tests call it in-process too.
#ifndef STRONGROOM_CLI_COMMANDS_H_
#define STRONGROOM_CLI_COMMANDS_H_

#include <iosfwd>

namespace strongroom {

// Runs one command line; prints results to `out`, one-line errors to `err`,
// and returns the process exit status.
int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace strongroom

#endif  // STRONGROOM_CLI_COMMANDS_H_
