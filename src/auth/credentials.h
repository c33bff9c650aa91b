// Personal credentials: each person's secret (a passphrase), stored only as
// an argon2id hash, and each person's Ed25519 signing key, stored only
// encrypted (AES-256-GCM) under a key derived from the passphrase with
// argon2id and its own salt. Neither the passphrase nor the key ever enters
// the log; the public key does (person.add), so anyone can check a
// signature, and nobody with the database alone can make one.
#ifndef STRONGROOM_AUTH_CREDENTIALS_H_
#define STRONGROOM_AUTH_CREDENTIALS_H_

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "crypto/ed25519.h"
#include "store/store.h"

namespace strongroom {

// What is stored for a person. Every field is text; none is secret alone.
struct Credential {
  std::string person;
  std::string hash;        // argon2id encoded string ($argon2id$v=19$m=...)
  std::string key_salt;    // base64, for the key-encryption key
  std::string sealed_key;  // base64 (12-byte nonce || ciphertext || 16-byte tag)
  std::string public_key;  // base64, the same as in the person's record
};

inline constexpr size_t kMinSecretLength = 10;

// A new credential and signing key for `person`. InvalidArgument if the
// secret is shorter than kMinSecretLength or longer than 1024 bytes.
Result<Credential> NewCredential(const std::string& person, std::string_view secret,
                                 Random* random);

// A credential for `person` that seals an existing signing key (`key`).
Result<Credential> SealCredential(const std::string& person, std::string_view secret,
                                  const Ed25519PrivateKey& key, Random* random);

// The person's signing key, if `secret` is theirs; PermissionDenied (with
// a message that does not say which part failed) otherwise.
Result<Ed25519PrivateKey> Unlock(const Credential& credential, std::string_view secret);

// Whether `secret` is the person's (cheaper than Unlock: one argon2id run).
bool Authenticate(const Credential& credential, std::string_view secret);

// The credentials table: stored beside the projection, written only with
// the person.add event that enrols its key, never compared by verify.
const TableSpec& CredentialsTable();
Row ToRow(const Credential& c);
Result<Credential> CredentialFromRow(const Row& row);

}  // namespace strongroom

#endif  // STRONGROOM_AUTH_CREDENTIALS_H_
