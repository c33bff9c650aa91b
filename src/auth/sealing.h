// Secrets sealed under a passphrase: argon2id derives a 256-bit key from the
// passphrase and a random salt, and AES-256-GCM seals the secret under it
// with authenticated data that binds it to its place (a person's id, a
// log's verifier key), so a sealed secret cannot be moved elsewhere.
//
// Used for each person's signing key (auth/credentials.h) and for the log's
// own signing key (SealText: a small text file of its own).
#ifndef STRONGROOM_AUTH_SEALING_H_
#define STRONGROOM_AUTH_SEALING_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace strongroom {

struct Argon2idCost {
  uint32_t memory_kib;
  uint32_t passes;
  uint32_t lanes;
};
// OWASP's recommended minimum, for logins (paid at every one).
inline constexpr Argon2idCost kCredentialCost{19 * 1024, 2, 1};
// For the log key, unsealed once when a process starts: costlier to guess.
inline constexpr Argon2idCost kLogKeyCost{64 * 1024, 3, 1};

inline constexpr size_t kSealSaltBytes = 16, kSealNonceBytes = 12, kSealTagBytes = 16;

// The 32-byte key argon2id derives from `passphrase` and `salt`.
Result<std::string> DeriveKey(std::string_view passphrase, std::string_view salt,
                              Argon2idCost cost);
// nonce || AES-256-GCM(key, nonce, aad; plain) || tag.
Result<std::string> Seal(std::string_view key, std::string_view nonce, std::string_view plain,
                         std::string_view aad);
// The plaintext, or PermissionDenied when the key or aad is not the one
// sealed with (or the bytes were changed); DataLoss when truncated.
Result<std::string> Open(std::string_view key, std::string_view sealed, std::string_view aad);

// `plain` sealed under `passphrase` as a text file:
//   LINE1 (`header`, naming what it holds)
//   argon2id m=KIB t=PASSES p=LANES salt=BASE64
//   BASE64(nonce || ciphertext || tag)
Result<std::string> SealText(std::string_view header, std::string_view passphrase,
                             std::string_view plain, std::string_view aad, Argon2idCost cost,
                             Random* random);
// Opens SealText's output: InvalidArgument for a file not of that form (or
// whose cost is out of bounds: at most 1 GiB, 16 passes, 8 lanes),
// PermissionDenied for a wrong passphrase.
Result<std::string> OpenText(std::string_view header, std::string_view text,
                             std::string_view passphrase, std::string_view aad);

}  // namespace strongroom

#endif  // STRONGROOM_AUTH_SEALING_H_
