// The `strongroom` command line: every command's options and handler.
// RunCli() (commands.h) builds a CommandLine, parses and runs one command.
#ifndef STRONGROOM_CLI_COMMAND_LINE_H_
#define STRONGROOM_CLI_COMMAND_LINE_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/local_store.h"
#include "cli/remote.h"
#include "cli/secrets.h"
#include "cli/target.h"
#include "custody/event.h"
#include "custody/kinds/kind.h"

namespace strongroom {

// The values of every option, bound by CLI11 and read by the handlers. One
// command runs per process, so commands share the fields they have in common.
struct Flags {
  bool json = false;
  std::string dir;
  std::string actor, approver;
  SecretSource secret{-1, "", "STRONGROOM_CREDENTIAL"};
  SecretSource new_secret{-1, "", "STRONGROOM_NEW_CREDENTIAL", "new-credential"};
  SecretSource enrolment_code{-1, "", "STRONGROOM_ENROLMENT_CODE", "code"};
  // The log key's passphrase, when it is sealed (asked only then).
  SecretSource log_passphrase{-1, "", "STRONGROOM_LOG_PASSPHRASE", "log-passphrase"};
  bool seal_log_key = false, plaintext_log_key = false;
  std::string log_key_pkcs11;  // init: the PKCS#11 URI of the token to make the log key in
  bool explain = false;
  // Set by a command before its event is submitted.
  Authority::Complete complete;
  // Undoes what `complete` did outside the store, if the event is not logged.
  std::function<void()> on_failure;
  // inspection open / draw: the file the inspector's reveal is kept in.
  std::string reveal_file;
  // detect --as-of.
  std::string as_of;
  // Custody commands: the holding(s), and each field's text by field name.
  std::string holding, holdings, imei;
  std::map<std::string, std::string> field_values_;
  // Reads: the request approved, list filters.
  std::string id, kind, facility, case_number;
  // Log commands.
  std::string origin, to_dir, log_location, vkey, prev_file;
  // Talking to strongroomd, and witnesses.
  std::string ca_file, login_person, witness_key_file, state_file, witness_name;
  std::vector<std::string> witness_keys;
  size_t quorum = 0;
  // --server: the command goes to strongroomd instead of a local store.
  std::string server_url, remote_path;
  Authority::RemoteBody remote_body = Authority::RemoteBody::kEvent;
  bool enrolling = false;
  bool new_enrolment_code = false;  // person update --new-enrolment-code
  std::shared_ptr<Json> answer_extra = std::make_shared<Json>(Json::object());
  uint64_t events = 0, seed = 1;
  bool print_acks = false, demo_logins = false, demo_misconduct = false;
  size_t window = 1024;
  uint64_t entry_at = 0, proof_index = 0, proof_from = 0, proof_size = 0;
  // serve.
  std::string listen = "127.0.0.1:8443", cert_file, key_file;
  bool plain_http = false;
  size_t body_limit = 1 << 20;
  int max_connections = 512;
  int max_connections_per_address = 64;
  // Queries.
  bool proofs = false;
  std::string status_filter, holder_filter;
  size_t limit = 0;
};

// Thread-compatible; one per command line run.
class CommandLine : private Flags {
 public:
  explicit CommandLine(std::ostream& out);
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // Parses and runs one command line; the exit status.
  int Run(int argc, char** argv, std::ostream& err);

  // "a,b,,c" -> {"a", "b", "c"}.
  static std::vector<std::string> SplitList(const std::string& s);

 private:
  using Handler = std::function<Result<Output>()>;

  void AddLogCommands();      // init, key, demo, publish, verify, entry, proof, checkpoint
  void AddCustodyCommands();  // one per event kind people submit: holding check-out, ...
  void AddRequestCommands();  // request approve, request list
  void AddHoldingCommands();  // holding show, holding list
  void AddServeCommand();     // serve
  void AddWitnessCommands();  // witness keygen, witness cosign
  void AddInspectionCommands();  // inspection show, list, verify-sample
  void AddDetectionCommands();   // detect, detection list

  // Options every command of a kind takes.
  void DataOption(CLI::App* c);
  // --data DIR or --server URL [--cacert F]; with `reads`, also --login
  // PERSON and their credential's source, for reading through the server.
  void TargetOption(CLI::App* c, bool reads);
  Remote remote() const { return {server_url, {ca_file, ""}}; }
  // The person who reads through --server (--login and their credential).
  Target::Reader reader() const { return {login_person, secret}; }
  // An inclusion proof of entry `first`, or a consistency proof from size
  // `first`, to `size`: from the store or the server.
  Result<Output> Proof(bool inclusion, uint64_t first, std::optional<uint64_t> size);
  void ActorOptions(CLI::App* c);
  void JsonFlag(CLI::App* c);
  // The command group `name` (holding, person, ...), made on first use.
  CLI::App* Group(const std::string& name);
  // What the client of `kind` does beyond filling in fields (enrols a
  // credential, signs): options it adds to `c`, and a step run before
  // submitting; null if nothing.
  std::function<Status(Event*)> ClientSteps(const EventKind& kind, CLI::App* c);
  // Those of inspection open and draw (inspection_commands.cc).
  std::function<Status(Event*)> InspectionSteps(const EventKind& kind, CLI::App* c);
  // Issues a new person's one-time enrolment code into `e`; the answer
  // shows it.
  void IssueCode(Event* e);
  // --log-passphrase-fd/-env, for a command that signs with the log key;
  // and the source that reads it (asked only when the key is sealed).
  void LogPassphraseOptions(CLI::App* c);
  PassphraseSource LogPassphrase();

  std::ostream& out_;
  CLI::App app_{"Strongroom: verifiable custody of sensitive material", "strongroom"};
  Handler handler_;
  std::vector<CLI::App*> target_commands_;  // those with TargetOption
  std::unique_ptr<Target> target_;          // picked once, for the command run
};

}  // namespace strongroom

#endif  // STRONGROOM_CLI_COMMAND_LINE_H_
