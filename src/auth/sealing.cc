#include "auth/sealing.h"

#include <argon2.h>
#include <openssl/evp.h>

#include <charconv>
#include <memory>
#include <optional>
#include <vector>

#include "base/encoding.h"

namespace strongroom {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The number after `name=` in `word`, or nullopt.
std::optional<uint32_t> Param(std::string_view word, std::string_view name) {
  if (word.substr(0, name.size()) != name) return std::nullopt;
  word.remove_prefix(name.size());
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (ec != std::errc() || end != word.data() + word.size()) return std::nullopt;
  return v;
}

}  // namespace

Result<std::string> DeriveKey(std::string_view passphrase, std::string_view salt,
                              Argon2idCost cost) {
  std::string key(32, '\0');
  if (argon2id_hash_raw(cost.passes, cost.memory_kib, cost.lanes, passphrase.data(),
                        passphrase.size(), salt.data(), salt.size(), key.data(),
                        key.size()) != ARGON2_OK) {
    return Internal("argon2id key derivation failed");
  }
  return key;
}

Result<std::string> Seal(std::string_view key, std::string_view nonce, std::string_view plain,
                         std::string_view aad) {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(plain.size(), '\0');
  int len = 0;
  unsigned char tag[kSealTagBytes];
  if (key.size() != 32 || nonce.size() != kSealNonceBytes || !ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        Bytes(plain), static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), nullptr, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kSealTagBytes, tag) != 1) {
    return Internal("AES-256-GCM encryption failed");
  }
  return std::string(nonce) + out + std::string(reinterpret_cast<char*>(tag), kSealTagBytes);
}

Result<std::string> Open(std::string_view key, std::string_view sealed, std::string_view aad) {
  if (sealed.size() < kSealNonceBytes + kSealTagBytes) return DataLoss("sealed bytes are truncated");
  const std::string_view nonce = sealed.substr(0, kSealNonceBytes);
  const std::string_view body =
      sealed.substr(kSealNonceBytes, sealed.size() - kSealNonceBytes - kSealTagBytes);
  std::string tag(sealed.substr(sealed.size() - kSealTagBytes));
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(body.size(), '\0');
  int len = 0;
  if (key.size() != 32 || !ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, Bytes(body),
                        static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kSealTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len) != 1) {
    return PermissionDenied("not the key it was sealed with");
  }
  return out;
}

Result<std::string> SealText(std::string_view header, std::string_view passphrase,
                             std::string_view plain, std::string_view aad, Argon2idCost cost,
                             Random* random) {
  const std::string salt = random->Bytes(kSealSaltBytes);
  SR_ASSIGN_OR_RETURN(std::string key, DeriveKey(passphrase, salt, cost));
  SR_ASSIGN_OR_RETURN(std::string sealed, Seal(key, random->Bytes(kSealNonceBytes), plain, aad));
  return std::string(header) + "\nargon2id m=" + std::to_string(cost.memory_kib) +
         " t=" + std::to_string(cost.passes) + " p=" + std::to_string(cost.lanes) +
         " salt=" + Base64Encode(salt) + "\n" + Base64Encode(sealed) + "\n";
}

Result<std::string> OpenText(std::string_view header, std::string_view text,
                             std::string_view passphrase, std::string_view aad) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("not a sealed file of the form '" + std::string(header) + "': " + why);
  };
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return bad("its last line does not end with a newline");
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  if (lines.size() != 3) return bad("it has " + std::to_string(lines.size()) + " lines, not 3");
  if (lines[0] != header) return bad("its first line differs");
  std::vector<std::string_view> words;
  for (std::string_view l = lines[1]; !l.empty();) {
    const size_t sp = l.find(' ');
    words.push_back(l.substr(0, sp));
    l = sp == std::string_view::npos ? std::string_view() : l.substr(sp + 1);
  }
  if (words.size() != 5 || words[0] != "argon2id" || words[4].substr(0, 5) != "salt=") {
    return bad("its second line is not 'argon2id m=KIB t=PASSES p=LANES salt=BASE64'");
  }
  const auto m = Param(words[1], "m="), t = Param(words[2], "t="), p = Param(words[3], "p=");
  if (!m || !t || !p || *m < 8 * 1024 || *m > 1024 * 1024 || *t < 1 || *t > 16 || *p < 1 ||
      *p > 8) {
    return bad("argon2id costs out of bounds (m 8192-1048576 KiB, t 1-16, p 1-8)");
  }
  auto salt = Base64Decode(words[4].substr(5));
  auto sealed = Base64Decode(lines[2]);
  if (!salt.ok() || salt->size() != kSealSaltBytes) return bad("its salt is not 16 bytes of base64");
  if (!sealed.ok()) return bad("its third line is not base64");
  SR_ASSIGN_OR_RETURN(std::string key, DeriveKey(passphrase, *salt, {*m, *t, *p}));
  auto plain = Open(key, *sealed, aad);
  if (!plain.ok() && plain.status().code() == StatusCode::kPermissionDenied) {
    return PermissionDenied("wrong passphrase");
  }
  return plain;
}

}  // namespace strongroom
