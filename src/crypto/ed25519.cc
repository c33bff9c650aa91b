#include "crypto/ed25519.h"

#include <openssl/evp.h>

namespace strongroom {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

PkeyPtr PrivateFromSeed(std::string_view seed) {
  return PkeyPtr(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
}

}  // namespace

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromSeed(std::string_view seed) {
  if (seed.size() != 32) return InvalidArgument("an Ed25519 seed is 32 bytes");
  PkeyPtr key = PrivateFromSeed(seed);
  if (!key) return Internal("OpenSSL rejected the Ed25519 seed");
  std::string pub(32, '\0');
  size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(pub.data()), &len) !=
          1 ||
      len != 32) {
    return Internal("cannot derive Ed25519 public key");
  }
  Ed25519PrivateKey k;
  k.seed_ = std::string(seed);
  k.public_key_ = std::move(pub);
  k.pkey_ = std::shared_ptr<EVP_PKEY>(key.release(), PkeyDeleter());
  return k;
}

Ed25519PrivateKey Ed25519PrivateKey::Generate(Random* random) {
  auto key = FromSeed(random->Bytes(32));
  SR_CHECK(key.ok());
  return std::move(key).value();
}

std::string Ed25519PrivateKey::Sign(std::string_view message) const {
  // One context per call over the shared, read-only key: safe for
  // concurrent use (OpenSSL 3 keys are thread-safe for reads).
  MdCtxPtr ctx(EVP_MD_CTX_new());
  SR_CHECK(pkey_ && ctx);
  SR_CHECK(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) == 1);
  std::string sig(64, '\0');
  size_t len = sig.size();
  SR_CHECK(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1);
  SR_CHECK(len == 64);
  return sig;
}

bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature) {
  if (public_key.size() != 32 || signature.size() != 64) return false;
  PkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                          reinterpret_cast<const unsigned char*>(public_key.data()),
                                          public_key.size()));
  if (!key) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace strongroom
