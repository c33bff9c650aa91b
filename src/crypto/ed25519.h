// Ed25519 (RFC 8032) keys, signatures and verification over OpenSSL 3.
#ifndef STRONGROOM_CRYPTO_ED25519_H_
#define STRONGROOM_CRYPTO_ED25519_H_

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace strongroom {

// A private key. Thread-compatible; Sign is safe for concurrent use.
class Ed25519PrivateKey {
 public:
  // From the 32-byte RFC 8032 seed.
  static Result<Ed25519PrivateKey> FromSeed(std::string_view seed);
  static Ed25519PrivateKey Generate(Random* random);

  const std::string& seed() const { return seed_; }
  const std::string& public_key() const { return public_key_; }  // 32 bytes
  // A 64-byte signature of `message`.
  std::string Sign(std::string_view message) const;

 private:
  std::string seed_;
  std::string public_key_;
  // OpenSSL's key, made once (deriving it costs as much as a signature);
  // shared by copies, read-only, so Sign stays safe for concurrent use.
  std::shared_ptr<EVP_PKEY> pkey_;
};

// An Ed25519 key whose private half stays where it is kept (a PKCS#11
// token, crypto/pkcs11.h) and signs on request, which may fail (the token
// gone, its session closed). Sign is safe for concurrent use.
class Ed25519Device {
 public:
  virtual ~Ed25519Device() = default;
  virtual const std::string& public_key() const = 0;  // 32 bytes
  // A 64-byte signature of `message` (RFC 8032 Ed25519: deterministic).
  virtual Result<std::string> Sign(std::string_view message) const = 0;
};

// Verifies a 64-byte signature by a 32-byte public key.
bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature);

}  // namespace strongroom

#endif  // STRONGROOM_CRYPTO_ED25519_H_
