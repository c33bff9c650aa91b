// The `strongroom` command line: every command's options and handler.
// RunCli() (commands.h) builds a CommandLine, parses and runs one command.
#ifndef STRONGROOM_CLI_COMMAND_LINE_H_
#define STRONGROOM_CLI_COMMAND_LINE_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/local_store.h"
#include "cli/remote.h"
#include "cli/secrets.h"
#include "custody/event.h"

namespace strongroom {

// The values of every option, bound by CLI11 and read by the handlers. One
// command runs per process, so commands share the fields they have in common.
struct Flags {
  bool json = false;
  std::string dir;
  std::string actor, approver;
  SecretSource secret{-1, "", "STRONGROOM_CREDENTIAL"};
  SecretSource new_secret{-1, "", "STRONGROOM_NEW_CREDENTIAL"};
  bool explain = false;
  // Set by a command before its event is submitted.
  Authority::Complete complete;
  // Custody event fields.
  std::string id, name, facility, location, kind, unit, roles, clearance, compartments, to, purpose,
      due_back, method, title, classification, originator, case_number, item_type, imei, seized_at,
      seized_place, disposition, disposition_due, holding, caveats, nationality, reason, scope,
      target, expires, on_off, releasable_to, seal, contents, condition, holdings, courier, seals,
      units, return_by, recipient, court_order, inspection, note;
  int64_t entry_index = 0, copies = 0;
  int64_t copy_number = 0, copies_total = 0;
  // Log commands.
  std::string origin, to_dir, log_location, vkey, prev_file;
  // Talking to strongroomd, and witnesses.
  std::string ca_file, login_person, witness_key_file, state_file, witness_name;
  std::vector<std::string> witness_keys;
  size_t quorum = 0;
  // --server: the command goes to strongroomd instead of a local store.
  std::string server_url, remote_path;
  bool remote_signed = false, remote_enrol = false;
  uint64_t events = 0, seed = 1;
  bool print_acks = false, demo_logins = false;
  size_t window = 1024;
  uint64_t entry_at = 0, proof_index = 0, proof_from = 0, proof_size = 0;
  // serve.
  std::string listen = "127.0.0.1:8443", cert_file, key_file;
  bool plain_http = false;
  size_t body_limit = 1 << 20;
  int max_connections = 512;
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

 private:
  using Handler = std::function<Result<Output>()>;

  void AddLogCommands();      // init, key, demo, publish, verify, entry, proof, checkpoint
  void AddPeopleCommands();   // facility, location, person, grant, request, record
  void AddHoldingCommands();  // holding ...
  void AddServeCommand();     // serve
  void AddWitnessCommands();  // witness keygen, witness cosign

  // Options every command of a kind takes.
  void DataOption(CLI::App* c);
  // --data DIR or --server URL [--cacert F]; with `reads`, also --login
  // PERSON and their credential's source, for reading through the server.
  void TargetOption(CLI::App* c, bool reads);
  Remote remote() const { return {server_url, {ca_file, ""}}; }
  // A read through the server: GET `path` as --login.
  Result<Json> RemoteJson(const std::string& path, bool needs_login);
  // An inclusion proof of entry `first`, or a consistency proof from size
  // `first`, to `size`: from the store or the server.
  Result<Output> Proof(bool inclusion, uint64_t first, std::optional<uint64_t> size);
  void ActorOptions(CLI::App* c);
  void JsonFlag(CLI::App* c);
  // A command that submits one event of `type`, filled in by `fill`.
  CLI::App* Custody(CLI::App* parent, const char* name, const char* help, EventType type,
                    std::function<Status(Event*)> fill);
  // Sets a field if the option was given.
  static void Put(Event* e, const char* key, const std::string& value);
  static std::vector<std::string> SplitList(const std::string& s);

  std::ostream& out_;
  CLI::App app_{"Strongroom: verifiable custody of sensitive material", "strongroom"};
  Handler handler_;
  std::vector<CLI::App*> target_commands_;  // those with TargetOption
};

}  // namespace strongroom

#endif  // STRONGROOM_CLI_COMMAND_LINE_H_
