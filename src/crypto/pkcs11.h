// An Ed25519 key held in a PKCS#11 token (an HSM, a smart card, SoftHSM2),
// whose private half never leaves it: the log key of a store whose
// operators must not be able to sign as the log (docs/security.md).
//
// The key is named by an RFC 7512 PKCS#11 URI, parsed by p11-kit, with the
// module to load in its query:
//
//   pkcs11:token=strongroom;object=log-key?module-path=/usr/lib/softhsm/libsofthsm2.so
//
// `token` (or `serial`) picks exactly one token of the module, `object`
// (and optionally `id`) the key pair. A URI never carries a PIN (no
// pin-value or pin-source): the PIN is given to the process that signs, as
// the passphrase of a sealed key is.
//
// Mechanisms: CKM_EC_EDWARDS_KEY_PAIR_GEN with the edwards25519 curve
// (CKA_EC_PARAMS = DER OID 1.3.101.112), CKM_EDDSA without parameters
// (pure Ed25519, RFC 8032: the same deterministic signatures as OpenSSL's).
#ifndef STRONGROOM_CRYPTO_PKCS11_H_
#define STRONGROOM_CRYPTO_PKCS11_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/ed25519.h"

namespace strongroom {

class Pkcs11Key final : public Ed25519Device {
 public:
  // InvalidArgument unless `uri` is a PKCS#11 URI with an absolute
  // module-path, a token label or serial, an object label, and no PIN.
  static Status CheckUri(std::string_view uri);
  // Logs in to the token with `pin` and opens the key pair the URI names:
  // NotFound without such a token or key, Unauthenticated for a wrong PIN,
  // FailedPrecondition for a private key that is extractable or not
  // sensitive (its holder could read it out) or whose public key does not
  // verify its signatures.
  static Result<std::shared_ptr<const Pkcs11Key>> Open(std::string_view uri, std::string_view pin);
  // Makes a new key pair in the token: both token objects labelled
  // `object`, the private key private, sensitive and never extractable.
  // AlreadyExists if the token holds a key by that label.
  static Result<std::shared_ptr<const Pkcs11Key>> Generate(std::string_view uri,
                                                           std::string_view pin);
  ~Pkcs11Key() override;

  const std::string& public_key() const override { return public_key_; }
  // Unavailable when the token does not sign (removed, session closed).
  Result<std::string> Sign(std::string_view message) const override;

  struct Token;  // a logged-in session on one token, shared in the process

 private:
  Pkcs11Key() = default;
  std::shared_ptr<Token> token_;
  unsigned long private_key_ = 0;  // CK_OBJECT_HANDLE
  std::string public_key_;
};

}  // namespace strongroom

#endif  // STRONGROOM_CRYPTO_PKCS11_H_
