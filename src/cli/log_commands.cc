// init, key, demo, publish, verify, entry, proof, checkpoint: the log itself.
#include <chrono>
#include <cstdio>

#include "base/encoding.h"
#include "base/file.h"
#include "cli/command_line.h"
#include "cli/remote.h"
#include "custody/demo.h"
#include "custody/queries.h"
#include "custody/sequencer.h"
#include "ledger/note.h"
#include "ledger/proof.h"
#include "server/tls.h"
#include "verify/audit.h"
#include "verify/publish.h"

namespace strongroom {

Result<Output> CommandLine::Proof(bool inclusion, uint64_t first, std::optional<uint64_t> size) {
  SR_ASSIGN_OR_RETURN(Json proof, inclusion ? target_->Proof(first, std::nullopt, size)
                                            : target_->Proof(std::nullopt, first, size));
  return ProofOutput(std::move(proof));
}

void CommandLine::AddLogCommands() {
  auto* init = app_.add_subcommand("init", "create a store and its Ed25519 log key");
  DataOption(init);
  JsonFlag(init);
  init->add_option("--origin", origin,
                   "the log's origin (and key name), e.g. records.example.org/log")
      ->required();
  init->add_flag("--seal-log-key", seal_log_key,
                 "write the log key only sealed under a passphrase (--log-passphrase-fd, "
                 "--log-passphrase-env, $STRONGROOM_LOG_PASSPHRASE or a prompt), which every "
                 "process that signs as the log is then given");
  auto* pkcs11 = init->add_option(
      "--log-key-pkcs11", log_key_pkcs11,
      "make the log key in a PKCS#11 token, which never gives it up: its RFC 7512 URI with the "
      "module, e.g. 'pkcs11:token=strongroom;object=log-key"
      "?module-path=/usr/lib/softhsm/libsofthsm2.so'; the token's user PIN is read as the "
      "passphrase is, and every process that signs as the log is given it");
  pkcs11->excludes("--seal-log-key");
  LogPassphraseOptions(init);
  init->callback([this] {
    handler_ = [this]() -> Result<Output> {
      NewLogKey key;
      if (!log_key_pkcs11.empty()) key.token_uri = log_key_pkcs11;
      if (seal_log_key || key.token_uri) {
        SR_ASSIGN_OR_RETURN(key.passphrase, LogPassphrase()());
      }
      SR_ASSIGN_OR_RETURN(auto data, DataDir::Init(dir, origin, SystemRandom(), key));
      // For `strongroom serve` on this machine; a real deployment configures
      // its own certificate (--cert, --key).
      SR_RETURN_IF_ERROR(WriteSelfSignedCertificate(dir + "/tls.crt", dir + "/tls.key",
                                                    {"localhost", "127.0.0.1", "::1"}));
      Output o;
      o.data = {{"origin", origin}, {"vkey", data->verifier().Vkey()}};
      o.text = data->verifier().Vkey();
      return o;
    };
  });
  auto* seal = app_.add_subcommand(
      "seal-log-key",
      "seal the store's plaintext log key under a passphrase (and remove the plaintext file), so "
      "that whoever reads the data directory cannot sign as the log");
  DataOption(seal);
  JsonFlag(seal);
  LogPassphraseOptions(seal);
  seal->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, DataDir::Open(dir, DataDir::Mode::kWrite));
      SR_ASSIGN_OR_RETURN(std::string passphrase, LogPassphrase()());
      SR_RETURN_IF_ERROR(data->SealLogKey(passphrase, SystemRandom()));
      Output o;
      o.data = {{"sealed", dir + "/log.key.sealed"}};
      o.text = "the log key is sealed in " + dir +
               "/log.key.sealed; give its passphrase to every command that signs as the log "
               "(serve, demo, local writes). Blocks of the old plaintext file may remain on the "
               "disk until overwritten.";
      return o;
    };
  });

  auto* key = app_.add_subcommand("key", "print the log's verifier key (C2SP signed-note vkey)");
  DataOption(key);
  JsonFlag(key);
  key->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      Output o;
      o.data = {{"origin", data->origin()}, {"vkey", data->verifier().Vkey()}};
      o.text = data->verifier().Vkey();
      return o;
    };
  });

  // demo
  auto* demo = app_.add_subcommand("demo", "issue a synthetic organisation's custody events");
  DataOption(demo);
  JsonFlag(demo);
  demo->add_option("--events", events, "how many custody events")
      ->required()
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000000}));
  demo->add_option("--seed", seed, "random seed");
  demo->add_option("--window", window, "events in flight at once")
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  demo->add_flag("--print-acks", print_acks,
                 "print 'ack INDEX LEAF_HASH TREE_SIZE ROOT' for each acknowledged event");
  demo->add_flag("--logins", demo_logins,
                 "let the demo's key people log in to strongroomd with the credential read as "
                 "usual (--credential-fd, --credential-env, $STRONGROOM_CREDENTIAL, a prompt)");
  demo->add_flag("--misconduct", demo_misconduct,
                 "then plant the misconduct docs/oversight.md describes (phones kept past their "
                 "destruction deadline), told in DIR/demo-misconduct.json");
  demo->add_option("--credential-fd", secret.fd, "read the demo logins' credential from this fd");
  demo->add_option("--credential-env", secret.env, "read it from this environment variable");
  LogPassphraseOptions(demo);
  demo->callback([this] {
    handler_ = [this]() -> Result<Output> {
      std::string login_secret;
      if (demo_logins) {
        SR_ASSIGN_OR_RETURN(login_secret, ReadSecret(secret, "Credential for the demo logins: "));
      }
      SR_ASSIGN_OR_RETURN(auto data, DataDir::Open(dir, DataDir::Mode::kWrite));
      SR_ASSIGN_OR_RETURN(NoteSigner signer, data->signer(LogPassphrase()));
      SR_ASSIGN_OR_RETURN(auto reads, data->OpenReadStore());  // a pipelined sequencer
      SequencerOptions options;
      options.read_store = reads.get();
      SR_ASSIGN_OR_RETURN(auto seq, Sequencer::Start(data->store(), std::move(signer),
                                                     SystemClock(), SystemRandom(), options));
      auto start = std::chrono::steady_clock::now();
      std::function<void(const Receipt&)> on_ack;
      if (print_acks) {
        on_ack = [&](const Receipt& r) {
          auto cp = ParseCheckpointBody(r.checkpoint.substr(0, r.checkpoint.find("\n\n") + 1));
          out_ << "ack " << r.index << " " << Base64Encode(LeafHash(r.entry).view()) << " "
               << r.tree_size << " " << (cp.ok() ? Base64Encode(cp->root.view()) : "?")
               << std::endl;
        };
      }
      SR_ASSIGN_OR_RETURN(DemoStats stats,
                          RunDemo(seq.get(), data->store(), events, seed, window, on_ack));
      std::optional<PlantedStory> story;
      if (demo_misconduct) {
        SR_ASSIGN_OR_RETURN(story, PlantMisconduct(seq.get(), data->store(), SystemClock()));
        SR_RETURN_IF_ERROR(WriteFileAtomic(dir + "/demo-misconduct.json", ToJson(*story).dump(1) + "\n", 0644));
      }
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (demo_logins) {
        SR_RETURN_IF_ERROR(EnrolDemoLogins(data->store(), login_secret, SystemRandom()));
      }
      Output o;
      const double rate = stats.seconds > 0 ? stats.custody_events / stats.seconds : 0;
      o.data = {{"setup_events", stats.setup_events},
                {"custody_events", stats.custody_events},
                {"refused", stats.refused},
                {"tree_size", stats.log_size},
                {"seconds", secs},
                {"event_seconds", stats.seconds},
                {"setup_seconds", stats.setup_seconds},
                {"events_per_second", static_cast<int64_t>(rate)}};
      char line[256];
      std::snprintf(line, sizeof line,
                    "%llu custody events in %.3f s (%.0f/s), +%llu set-up events and the "
                    "organisation loaded in %.3f s; tree size %llu",
                    static_cast<unsigned long long>(stats.custody_events), stats.seconds, rate,
                    static_cast<unsigned long long>(stats.setup_events), stats.setup_seconds,
                    static_cast<unsigned long long>(stats.log_size));
      o.text = line;
      if (story) {
        o.data["misconduct"] = ToJson(*story);
        o.text += "\nplanted: " + story->custodian + " keeps " + std::to_string(story->kept.size()) +
                  " of " + std::to_string(story->phones.size()) + " phones due for destruction at " +
                  story->deadline + " (" + dir + "/demo-misconduct.json)";
      }
      if (demo_logins) {
        o.data["logins"] = DemoLogins();
        o.text += "\nlogins: ";
        for (const std::string& p : DemoLogins())
          o.text += p + (p == DemoLogins().back() ? "" : " ");
      }
      return o;
    };
  });

  // publish
  auto* publish =
      app_.add_subcommand("publish", "write a static C2SP tlog-tiles tree (incremental)");
  DataOption(publish);
  JsonFlag(publish);
  publish->add_option("--to", to_dir, "output directory")->required();
  publish->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      SR_ASSIGN_OR_RETURN(PublishStats s, Publish(data.get(), to_dir));
      Output o;
      o.data = {
          {"previous_size", s.previous_size}, {"size", s.size}, {"files_written", s.files_written}};
      o.text = "published tree size " + std::to_string(s.size) + " (was " +
               std::to_string(s.previous_size) + "), " + std::to_string(s.files_written) + " files";
      if (s.clear_entries > 0) {
        o.data["clear_entries"] = s.clear_entries;
        o.text += "; WARNING: " + std::to_string(s.clear_entries) +
                  " entries written before confidential entries (schema 2 and 3) are published "
                  "with their fields in clear";
      }
      return o;
    };
  });

  // verify
  auto* verify =
      app_.add_subcommand("verify", "audit a store (--data) or a published tree (--log)");
  JsonFlag(verify);
  verify->add_option("--data", dir, "data directory to audit");
  verify->add_option("--log", log_location, "published tree: directory or URL");
  verify->add_option("--key", vkey, "the verifier key the auditor trusts");
  verify->add_option("--prev", prev_file, "an earlier checkpoint the auditor kept");
  verify->add_option("--witness", witness_keys,
                     "a witness the auditor trusts (cosignature/v1 vkey); repeatable");
  verify->add_option("--quorum", quorum,
                     "how many of the --witness keys must have cosigned (default: all)");
  verify->add_option("--cacert", ca_file, "trust only this certificate for an https:// --log");
  verify->add_option("--login", login_person,
                     "log in to strongroomd as this person to read entry bundles (credential "
                     "from --credential-fd, --credential-env, $STRONGROOM_CREDENTIAL or a prompt)");
  verify->add_option("--credential-fd", secret.fd, "read the --login credential from this fd");
  verify->add_option("--credential-env", secret.env, "read it from this environment variable");
  verify->callback([this] {
    handler_ = [this]() -> Result<Output> {
      if (dir.empty() == log_location.empty())
        return InvalidArgument("give exactly one of --data and --log");
      std::optional<NoteVerifier> key;
      if (!vkey.empty()) {
        auto v = NoteVerifier::FromVkey(vkey);
        if (!v.ok()) return InvalidArgument("--key: " + v.status().message());
        key = *v;
      }
      AuditReport report;
      if (!dir.empty()) {
        if (!prev_file.empty()) return InvalidArgument("--prev applies to --log");
        SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
        SR_ASSIGN_OR_RETURN(report, AuditStore(data.get(), key));
      } else {
        if (!key) return InvalidArgument("--log needs --key");
        std::optional<std::string> prev;
        if (!prev_file.empty()) {
          auto text = ReadFile(prev_file);
          if (!text.ok()) return InvalidArgument("--prev: " + text.status().message());
          prev = *text;
        }
        WitnessPolicy policy;
        for (const std::string& w : witness_keys) {
          auto v = NoteVerifier::FromVkey(w, kNoteCosignatureV1);
          if (!v.ok()) return InvalidArgument("--witness: " + v.status().message());
          policy.witnesses.push_back(*v);
        }
        policy.quorum = quorum ? quorum : policy.witnesses.size();
        if (policy.quorum > policy.witnesses.size()) {
          return InvalidArgument("--quorum " + std::to_string(quorum) + " is more than the " +
                                 std::to_string(policy.witnesses.size()) + " --witness keys");
        }
        HttpOptions http{ca_file, ""};
        if (!login_person.empty()) {
          SR_ASSIGN_OR_RETURN(http.bearer_token, LogIn(log_location, login_person, secret, http));
        }
        SR_ASSIGN_OR_RETURN(auto source, OpenTreeSource(log_location, http));
        SR_ASSIGN_OR_RETURN(report, VerifyPublishedTree(source.get(), *key, prev, policy));
      }
      if (!report.ok()) {
        std::string all;
        for (const auto& p : report.problems) all += "\n  " + p;
        return DataLoss("verification failed, " + std::to_string(report.problems.size()) +
                        " problem(s): " + report.problems.front() +
                        (report.problems.size() > 1 ? all : ""));
      }
      Output o;
      o.data = {{"ok", true},
                {"entries", report.entries},
                {"checkpoints", report.checkpoints},
                {"tiles", report.tiles},
                {"checkpoint", report.checkpoint}};
      o.text = "OK: " + std::to_string(report.entries) + " entries, " +
               std::to_string(report.checkpoints) + " checkpoint(s), " +
               std::to_string(report.tiles) + " tiles verified";
      o.data["actor_signed"] = report.actor_signed;
      o.text += "; " + std::to_string(report.actor_signed) + " signed by their actors";
      if (report.schema2 > 0) {
        o.data["schema2"] = report.schema2;
        o.text += ", " + std::to_string(report.schema2) +
                  " of schema 2 (written before actor signatures: the log's word only)";
      }
      if (report.sealed > 0) {
        o.data["sealed"] = report.sealed;
        o.text += "; " + std::to_string(report.sealed) +
                  " sealed (no cleartext: signatures and structure checked, the custody rules "
                  "not replayed)";
      }
      if (report.disclosed > 0) {
        o.data["disclosed"] = report.disclosed;
        o.text += "; " + std::to_string(report.disclosed) +
                  " opened by their disclosures (every commitment matches its cleartext)";
      }
      if (report.clear > 0) o.data["clear"] = report.clear;
      if (report.uncovered > 0) {
        o.data["uncovered"] = report.uncovered;
        o.text += "; " + std::to_string(report.uncovered) +
                  " committed entries are not yet covered by a checkpoint (the next writer "
                  "signs them)";
      }
      if (!report.cosigned_by.empty()) {
        o.data["cosigned_by"] = report.cosigned_by;
        o.text += "; cosigned by";
        for (const std::string& w : report.cosigned_by) o.text += " " + w;
        o.text += " at tree size " + std::to_string(report.cosigned_size);
        o.data["cosigned_size"] = report.cosigned_size;
      }
      return o;
    };
  });

  auto* entry_cmd = app_.add_subcommand("entry", "print one log entry");
  TargetOption(entry_cmd, /*reads=*/true);
  JsonFlag(entry_cmd);
  entry_cmd->add_option("--index", entry_at)->required();
  entry_cmd->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(Json entry, target_->Entry(entry_at, reader()));
      return EntryOutput(std::move(entry));
    };
  });

  // proofs
  auto* proof_cmd = app_.add_subcommand("proof", "inclusion and consistency proofs");
  proof_cmd->require_subcommand(1);
  auto* inc = proof_cmd->add_subcommand("inclusion", "prove an entry is in the log");
  TargetOption(inc, /*reads=*/false);
  JsonFlag(inc);
  inc->add_option("--index", proof_index)->required();
  auto* inc_size = inc->add_option("--size", proof_size, "tree size (default: latest)");
  inc->callback([this, inc_size] {
    handler_ = [this, inc_size] {
      return Proof(true, proof_index, inc_size->count() ? std::optional(proof_size) : std::nullopt);
    };
  });
  auto* cons = proof_cmd->add_subcommand("consistency", "prove the log only grew");
  TargetOption(cons, /*reads=*/false);
  JsonFlag(cons);
  cons->add_option("--from", proof_from)->required();
  auto* cons_size = cons->add_option("--to", proof_size, "tree size (default: latest)");
  cons->callback([this, cons_size] {
    handler_ = [this, cons_size] {
      return Proof(false, proof_from,
                   cons_size->count() ? std::optional(proof_size) : std::nullopt);
    };
  });

  auto* checkpoint = app_.add_subcommand("checkpoint", "print the latest signed checkpoint");
  DataOption(checkpoint);
  JsonFlag(checkpoint);
  checkpoint->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
      SR_ASSIGN_OR_RETURN(std::optional<std::string> note, data->store()->LatestCheckpoint());
      SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(note.value_or(""), data->verifier()));
      Output o;
      o.data = {{"origin", cp.origin},
                {"size", cp.size},
                {"root", Base64Encode(cp.root.view())},
                {"note", *note}};
      o.text = *note;
      return o;
    };
  });
}

}  // namespace strongroom
