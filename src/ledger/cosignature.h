// C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519
// cosignature/v1: a witness's statement that, as of a time, the checkpoint
// is the largest consistent tree it has seen of the log. A cosignature is a
// signed-note signature line by a key of type 0x04 whose signature is
//   u64 timestamp (big-endian) || Ed25519(message)
//   message = "cosignature/v1\n" "time " decimal(timestamp) "\n" checkpoint-body
#ifndef STRONGROOM_LEDGER_COSIGNATURE_H_
#define STRONGROOM_LEDGER_COSIGNATURE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ledger/note.h"

namespace strongroom {

// The message a cosignature/v1 at `timestamp` (POSIX seconds) signs.
std::string CosignedMessage(std::string_view checkpoint_body, uint64_t timestamp);

// The signature line `witness` (a kNoteCosignatureV1 signer) adds to the
// checkpoint whose note text is `checkpoint_body`.
Result<std::string> CosignatureLine(const NoteSigner& witness, std::string_view checkpoint_body,
                                    uint64_t timestamp);

// The timestamp of `witness`'s cosignature among `note`'s signatures.
// NotFound if it has none; DataLoss if it does not verify or its timestamp
// is malformed (2^63 or more).
Result<uint64_t> VerifyCosignature(const Note& note, const NoteVerifier& witness);

}  // namespace strongroom

#endif  // STRONGROOM_LEDGER_COSIGNATURE_H_
