#include "cli/commands.h"

#include <iostream>

#include "base/encoding.h"
#include "cli/command_line.h"

namespace strongroom {

CommandLine::CommandLine(std::ostream& out) : out_(out) {
  app_.require_subcommand(1);
  app_.add_flag("--json", json, "machine-readable output")->configurable(false);
  AddLogCommands();
  AddCustodyCommands();
  AddInspectionCommands();
  AddDetectionCommands();
  AddRequestCommands();
  AddHoldingCommands();
  AddServeCommand();
  AddWitnessCommands();
}

void CommandLine::DataOption(CLI::App* c) {
  c->add_option("--data", dir, "data directory")->required();
}

void CommandLine::TargetOption(CLI::App* c, bool reads) {
  c->add_option("--data", dir, "data directory");
  c->add_option("--server", server_url, "strongroomd's URL, instead of --data");
  c->add_option("--cacert", ca_file, "trust only this certificate for an https:// --server");
  if (reads) {
    c->add_option("--login", login_person, "with --server: the person who reads");
    c->add_option("--credential-fd", secret.fd, "read their credential from this fd");
    c->add_option("--credential-env", secret.env, "read it from this environment variable");
  }
  target_commands_.push_back(c);
}

void CommandLine::ActorOptions(CLI::App* c) {
  c->add_option("--actor", actor, "the person performing the action")->required();
  c->add_option("--credential-fd", secret.fd,
                "read the actor's credential from this file descriptor");
  c->add_option("--credential-env", secret.env,
                "read the actor's credential from this environment variable (default: "
                "STRONGROOM_CREDENTIAL if set, else a prompt)");
  c->add_flag("--explain", explain, "only decide and explain; write nothing");
  LogPassphraseOptions(c);
}

void CommandLine::LogPassphraseOptions(CLI::App* c) {
  c->add_option("--log-passphrase-fd", log_passphrase.fd,
                "when the log key is sealed: read its passphrase (in a PKCS#11 token: the "
                "token's user PIN) from this file descriptor");
  c->add_option("--log-passphrase-env", log_passphrase.env,
                "read it from this environment variable (default: STRONGROOM_LOG_PASSPHRASE if "
                "set, else a prompt)");
}

PassphraseSource CommandLine::LogPassphrase() {
  return [this]() { return ReadSecret(log_passphrase, "passphrase of the log key: "); };
}

// Every subcommand also accepts --json after its name.
void CommandLine::JsonFlag(CLI::App* c) { c->add_flag("--json", json, "machine-readable output"); }

std::vector<std::string> CommandLine::SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    size_t comma = s.find(',', start);
    std::string item =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

int CommandLine::Run(int argc, char** argv, std::ostream& err) {
  // "holding teleport": name the unknown command rather than CLI11's generic
  // "a subcommand is required".
  if (argc > 2 && argv[2][0] != '-') {
    for (CLI::App* group : app_.get_subcommands([](CLI::App*) { return true; })) {
      if (group->get_name() != argv[1] || group->get_subcommands({}).empty()) continue;
      bool known = false;
      for (CLI::App* sub : group->get_subcommands({})) known |= sub->get_name() == argv[2];
      if (!known) {
        err << "strongroom: unknown command '" << EscapeUnsafe(argv[1]) << " "
            << EscapeUnsafe(argv[2]) << "' (see 'strongroom " << EscapeUnsafe(argv[1])
            << " --help')\n";
        return ExitCodeFor(StatusCode::kInvalidArgument);
      }
    }
  }
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out_ << app_.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      out_ << (e.what()) << "\n";
      return 0;
    }
    err << "strongroom: " << EscapeUnsafe(e.what()) << "\n";
    return ExitCodeFor(StatusCode::kInvalidArgument);
  }
  if (!handler_) {
    err << "strongroom: no command given\n";
    return ExitCodeFor(StatusCode::kInvalidArgument);
  }
  for (CLI::App* c : target_commands_) {
    if (!c->parsed()) continue;
    if (dir.empty() == server_url.empty()) {
      err << "strongroom: give exactly one of --data DIR and --server URL\n";
      return ExitCodeFor(StatusCode::kInvalidArgument);
    }
    target_ = server_url.empty() ? LocalTarget(dir, LogPassphrase()) : RemoteTarget(remote());
  }
  Result<Output> result = [&]() -> Result<Output> {
    try {
      return handler_();
    } catch (const std::exception& e) {
      return Internal(std::string("unexpected error: ") + e.what());
    }
  }();
  if (!result.ok()) {
    // One line, whatever the message quotes of the input or the store.
    err << "strongroom: " << EscapeUnsafe(result.status().message()) << "\n";
    return ExitCodeFor(result.status().code());
  }
  if (json) {
    out_ << result->data.dump() << "\n";
  } else if (!result->text.empty()) {
    out_ << EscapeUnsafe(result->text, /*keep_newlines=*/true)
         << (result->text.back() == '\n' ? "" : "\n");
  }
  return 0;
}

int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  // "strongroom explain holding destroy ..." is "strongroom holding destroy ... --explain".
  if (argc > 1 && std::string_view(argv[1]) == "explain") {
    std::vector<char*> args(argv, argv + argc);
    args.erase(args.begin() + 1);
    static char flag[] = "--explain";
    args.push_back(flag);
    if (args.size() < 3) {
      err << "strongroom: explain takes a custody command, e.g. 'strongroom explain holding "
             "check-out --data D --actor P --holding H --to O --purpose X --due-back T'\n";
      return ExitCodeFor(StatusCode::kInvalidArgument);
    }
    return RunCli(static_cast<int>(args.size()), args.data(), out, err);
  }
  return CommandLine(out).Run(argc, argv, err);
}

}  // namespace strongroom
