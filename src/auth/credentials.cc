#include "auth/credentials.h"

#include <argon2.h>
#include <openssl/evp.h>

#include <memory>

#include "base/encoding.h"

namespace strongroom {
namespace {

// OWASP's recommended minimum for argon2id: 19 MiB, 2 passes, 1 lane.
constexpr uint32_t kMemoryKiB = 19 * 1024;
constexpr uint32_t kPasses = 2;
constexpr uint32_t kLanes = 1;
constexpr size_t kSaltBytes = 16, kHashBytes = 32, kNonceBytes = 12, kTagBytes = 16;

Status CheckSecret(std::string_view secret) {
  if (secret.size() < kMinSecretLength) {
    return InvalidArgument("a credential has at least " + std::to_string(kMinSecretLength) +
                           " characters");
  }
  if (secret.size() > 1024) return InvalidArgument("a credential has at most 1024 characters");
  return OkStatus();
}

Result<std::string> DeriveKey(std::string_view secret, const std::string& salt) {
  std::string key(32, '\0');
  if (argon2id_hash_raw(kPasses, kMemoryKiB, kLanes, secret.data(), secret.size(), salt.data(),
                        salt.size(), key.data(), key.size()) != ARGON2_OK) {
    return Internal("argon2id key derivation failed");
  }
  return key;
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// AES-256-GCM; the person id is authenticated data, so a sealed key cannot
// be moved to another person's row.
Result<std::string> Seal(const std::string& key, const std::string& nonce, std::string_view plain,
                         const std::string& aad) {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(plain.size(), '\0');
  int len = 0;
  unsigned char tag[kTagBytes];
  auto u = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u(key), u(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, u(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), nullptr, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) != 1) {
    return Internal("AES-256-GCM encryption failed");
  }
  return nonce + out + std::string(reinterpret_cast<char*>(tag), kTagBytes);
}

Result<std::string> Open(const std::string& key, const std::string& sealed,
                         const std::string& aad) {
  if (sealed.size() < kNonceBytes + kTagBytes) return DataLoss("sealed key is truncated");
  const std::string nonce = sealed.substr(0, kNonceBytes);
  const std::string body = sealed.substr(kNonceBytes, sealed.size() - kNonceBytes - kTagBytes);
  std::string tag = sealed.substr(sealed.size() - kTagBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(body.size(), '\0');
  int len = 0;
  auto u = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u(key), u(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, u(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, u(body),
                        static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len) != 1) {
    return PermissionDenied("wrong credential");
  }
  return out;
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
  const std::string salt = random->Bytes(kSaltBytes);
  std::string encoded(
      argon2_encodedlen(kPasses, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id), '\0');
  if (argon2id_hash_encoded(kPasses, kMemoryKiB, kLanes, secret.data(), secret.size(), salt.data(),
                            salt.size(), kHashBytes, encoded.data(), encoded.size()) != ARGON2_OK) {
    return Internal("argon2id hashing failed");
  }
  c.hash = encoded.c_str();  // drop the terminating NUL
  const std::string key_salt = random->Bytes(kSaltBytes);
  c.key_salt = Base64Encode(key_salt);
  SR_ASSIGN_OR_RETURN(std::string kek, DeriveKey(secret, key_salt));
  SR_ASSIGN_OR_RETURN(std::string sealed,
                      Seal(kek, random->Bytes(kNonceBytes), key.seed(), person));
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
  SR_ASSIGN_OR_RETURN(std::string kek, DeriveKey(secret, salt));
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
