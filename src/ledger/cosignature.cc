#include "ledger/cosignature.h"

namespace strongroom {
namespace {

constexpr size_t kTimestampBytes = 8;

}  // namespace

std::string CosignedMessage(std::string_view checkpoint_body, uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(checkpoint_body);
}

Result<std::string> CosignatureLine(const NoteSigner& witness, std::string_view checkpoint_body,
                                    uint64_t timestamp) {
  std::string stamp(kTimestampBytes, '\0');
  for (size_t i = 0; i < kTimestampBytes; ++i) {
    stamp[i] = static_cast<char>(timestamp >> (8 * (kTimestampBytes - 1 - i)));
  }
  return witness.SignatureLineWith(stamp, CosignedMessage(checkpoint_body, timestamp));
}

Result<uint64_t> VerifyCosignature(const Note& note, const NoteVerifier& witness) {
  for (const NoteSignature& sig : note.signatures) {
    if (sig.name != witness.name() || sig.key_id != witness.key_id()) continue;
    if (sig.signature.size() != kTimestampBytes + 64) {
      return DataLoss("the cosignature of " + witness.name() + " has the wrong length");
    }
    uint64_t timestamp = 0;
    for (size_t i = 0; i < kTimestampBytes; ++i) {
      timestamp = timestamp << 8 | static_cast<uint8_t>(sig.signature[i]);
    }
    if (timestamp >> 63) return DataLoss("the cosignature of " + witness.name() + " is from 2^63");
    if (!witness.Verify(CosignedMessage(note.text, timestamp),
                        std::string_view(sig.signature).substr(kTimestampBytes))) {
      return DataLoss("the cosignature of " + witness.name() + " does not verify");
    }
    return timestamp;
  }
  return NotFound("no cosignature by " + witness.name());
}

}  // namespace strongroom
