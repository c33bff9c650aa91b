#include "auth/credentials.h"

#include <argon2.h>

#include <memory>

#include "auth/sealing.h"
#include "base/encoding.h"

namespace strongroom {
namespace {

constexpr size_t kHashBytes = 32;

Status CheckSecret(std::string_view secret) {
  if (secret.size() < kMinSecretLength) {
    return InvalidArgument("a credential has at least " + std::to_string(kMinSecretLength) +
                           " characters");
  }
  if (secret.size() > 1024) return InvalidArgument("a credential has at most 1024 characters");
  return OkStatus();
}

}  // namespace

Result<Credential> NewCredential(const std::string& person, std::string_view secret,
                                 Random* random) {
  return SealCredential(person, secret, Ed25519PrivateKey::Generate(random), random);
}

Result<Credential> SealCredential(const std::string& person, std::string_view secret,
                                  const Ed25519PrivateKey& key, Random* random) {
  SR_RETURN_IF_ERROR(CheckSecret(secret));
  Credential c;
  c.person = person;
  const std::string salt = random->Bytes(kSealSaltBytes);
  const Argon2idCost cost = kCredentialCost;
  std::string encoded(argon2_encodedlen(cost.passes, cost.memory_kib, cost.lanes, kSealSaltBytes,
                                        kHashBytes, Argon2_id),
                      '\0');
  if (argon2id_hash_encoded(cost.passes, cost.memory_kib, cost.lanes, secret.data(), secret.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(),
                            encoded.size()) != ARGON2_OK) {
    return Internal("argon2id hashing failed");
  }
  c.hash = encoded.c_str();  // drop the terminating NUL
  const std::string key_salt = random->Bytes(kSealSaltBytes);
  c.key_salt = Base64Encode(key_salt);
  SR_ASSIGN_OR_RETURN(std::string kek, DeriveKey(secret, key_salt, kCredentialCost));
  // The person id is authenticated data: a sealed key cannot be moved to
  // another person's row.
  SR_ASSIGN_OR_RETURN(std::string sealed,
                      Seal(kek, random->Bytes(kSealNonceBytes), key.seed(), person));
  c.sealed_key = Base64Encode(sealed);
  c.public_key = Base64Encode(key.public_key());
  return c;
}

bool Authenticate(const Credential& c, std::string_view secret) {
  return argon2id_verify(c.hash.c_str(), secret.data(), secret.size()) == ARGON2_OK;
}

Result<Ed25519PrivateKey> Unlock(const Credential& c, std::string_view secret) {
  if (!Authenticate(c, secret)) return PermissionDenied("wrong credential for " + c.person);
  SR_ASSIGN_OR_RETURN(std::string salt, Base64Decode(c.key_salt));
  SR_ASSIGN_OR_RETURN(std::string sealed, Base64Decode(c.sealed_key));
  SR_ASSIGN_OR_RETURN(std::string kek, DeriveKey(secret, salt, kCredentialCost));
  auto seed = Open(kek, sealed, c.person);
  if (!seed.ok()) return PermissionDenied("wrong credential for " + c.person);
  SR_ASSIGN_OR_RETURN(Ed25519PrivateKey key, Ed25519PrivateKey::FromSeed(*seed));
  if (Base64Encode(key.public_key()) != c.public_key) {
    return DataLoss("the sealed key of " + c.person + " does not match their public key");
  }
  return key;
}

const TableSpec& CredentialsTable() {
  static const TableSpec kTable = {"credentials",
                                   {"person", "hash", "key_salt", "sealed_key", "public_key"},
                                   {false, false, false, false, false},
                                   1,
                                   {}};
  return kTable;
}

Row ToRow(const Credential& c) {
  return Row{{c.person, c.hash, c.key_salt, c.sealed_key, c.public_key}};
}

Result<Credential> CredentialFromRow(const Row& row) {
  if (row.values.size() != 5) return DataLoss("credential row has the wrong shape");
  Credential c;
  std::string* fields[] = {&c.person, &c.hash, &c.key_salt, &c.sealed_key, &c.public_key};
  for (size_t i = 0; i < 5; ++i) {
    const auto* text = std::get_if<std::string>(&row.values[i]);
    if (!text) return DataLoss("credential row has a non-text value");
    *fields[i] = *text;
  }
  return c;
}

}  // namespace strongroom
