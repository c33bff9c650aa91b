// witness ...: an outside auditor's office runs a witness (C2SP
// tlog-cosignature). It keeps the last checkpoint it cosigned, cosigns a new
// one only if a consistency proof from the log's tiles shows the new tree
// extends the old, and sends the cosignature to strongroomd, which serves
// it with the checkpoint; `verify --witness ... --quorum N` requires them.
#include <algorithm>

#include "base/clock.h"
#include "base/file.h"
#include "cli/command_line.h"
#include "cli/remote.h"
#include "ledger/cosignature.h"
#include "verify/audit.h"

namespace strongroom {

void CommandLine::AddWitnessCommands() {
  auto* witness = app_.add_subcommand("witness", "a witness that cosigns the log's checkpoints");
  witness->require_subcommand(1);

  auto* keygen = witness->add_subcommand(
      "keygen", "make a witness key: writes the private key, prints the verifier key");
  JsonFlag(keygen);
  keygen->add_option("--name", witness_name, "the witness's name, e.g. audit.example/witness")
      ->required();
  keygen
      ->add_option("--out", witness_key_file,
                   "file for the private key (mode 0600, never overwritten)")
      ->required();
  keygen->callback([this] {
    handler_ = [this]() -> Result<Output> {
      if (!ValidKeyName(witness_name)) {
        return InvalidArgument("--name must be printable, without spaces or '+'");
      }
      if (PathExists(witness_key_file)) {
        return AlreadyExists(witness_key_file + " exists; not overwriting it");
      }
      NoteSigner signer(witness_name, Ed25519PrivateKey::Generate(SystemRandom()),
                        kNoteCosignatureV1);
      SR_RETURN_IF_ERROR(WriteFileAtomic(witness_key_file, signer.Skey().value() + "\n", 0600));
      Output o;
      o.text = signer.Verifier().Vkey();
      o.data = {{"name", witness_name}, {"vkey", o.text}, {"key_file", witness_key_file}};
      return o;
    };
  });

  auto* cosign = witness->add_subcommand(
      "cosign", "cosign the log's checkpoint if it extends the last one this witness cosigned");
  JsonFlag(cosign);
  cosign->add_option("--log", log_location, "strongroomd's URL")->required();
  cosign->add_option("--key", vkey, "the log's verifier key")->required();
  cosign->add_option("--key-file", witness_key_file, "the witness's private key (witness keygen)")
      ->required();
  cosign->add_option("--state", state_file,
                     "the last checkpoint this witness cosigned (default: KEY_FILE.state)");
  cosign->add_option("--cacert", ca_file, "trust only this certificate for https://");
  cosign->callback([this] {
    handler_ = [this]() -> Result<Output> {
      auto log_key = NoteVerifier::FromVkey(vkey);
      if (!log_key.ok()) return InvalidArgument("--key: " + log_key.status().message());
      SR_ASSIGN_OR_RETURN(std::string skey, ReadFile(witness_key_file));
      while (!skey.empty() && (skey.back() == '\n' || skey.back() == '\r')) skey.pop_back();
      auto signer = NoteSigner::FromSkey(skey, kNoteCosignatureV1);
      if (!signer.ok()) return InvalidArgument(witness_key_file + ": " + signer.status().message());
      const std::string state = state_file.empty() ? witness_key_file + ".state" : state_file;
      const HttpOptions http{ca_file, ""};
      SR_ASSIGN_OR_RETURN(auto source, OpenTreeSource(log_location, http));
      SR_ASSIGN_OR_RETURN(std::string note, source->Fetch("checkpoint"));
      SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(note, *log_key));
      uint64_t previous_size = 0;
      if (PathExists(state)) {
        SR_ASSIGN_OR_RETURN(std::string kept, ReadFile(state));
        auto earlier = OpenCheckpoint(kept, *log_key);
        if (!earlier.ok()) return DataLoss(state + ": " + earlier.status().message());
        if (Status st = ProveConsistencyFromTiles(source.get(), *earlier, cp); !st.ok()) {
          return DataLoss("not cosigning: the checkpoint of size " + std::to_string(cp.size) +
                          " does not extend the one this witness cosigned (size " +
                          std::to_string(earlier->size) + "): " + st.message());
        }
        previous_size = earlier->size;
      }
      // Remember it before saying so: this witness never cosigns a tree that
      // does not extend this one.
      SR_RETURN_IF_ERROR(WriteFileAtomic(state, note, 0600));
      SR_ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
      const uint64_t now = static_cast<uint64_t>(SystemClock()->Now() / 1'000'000);
      SR_ASSIGN_OR_RETURN(const std::string line, CosignatureLine(*signer, parsed.text, now));
      // Sent: the checkpoint, the log's signature and this cosignature only.
      std::string cosigned = parsed.text + "\n";
      for (const NoteSignature& sig : parsed.signatures) {
        if (sig.name == log_key->name() && sig.key_id == log_key->key_id()) {
          cosigned += SignatureLineOf(sig);
        }
      }
      cosigned += line;
      SR_ASSIGN_OR_RETURN(
          HttpReply reply,
          HttpCall("POST", ServerBase(log_location) + "api/v1/cosignatures", cosigned, http));
      SR_RETURN_IF_ERROR(ReplyStatus(reply));
      auto answer = ParseJson(reply.body);
      const Json names =
          answer.ok() && answer->is_object() ? answer->value("cosigned_by", Json()) : Json();
      if (!names.is_array() ||
          std::find(names.begin(), names.end(), Json(signer->name())) == names.end()) {
        return Unavailable("strongroomd did not say it kept the cosignature of " + signer->name());
      }
      Output o;
      o.data = {{"witness", signer->name()},
                {"tree_size", cp.size},
                {"previous_size", previous_size},
                {"cosignature", line}};
      o.text = "cosigned tree size " + std::to_string(cp.size) + " as " + signer->name() +
               (previous_size ? " (consistent with size " + std::to_string(previous_size) + ")"
                              : " (first checkpoint this witness has seen)");
      return o;
    };
  });
}

}  // namespace strongroom
