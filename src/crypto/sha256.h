// SHA-256 and the RFC 6962 / RFC 9162 §2.1 Merkle hashes, over OpenSSL.
#ifndef STRONGROOM_CRYPTO_SHA256_H_
#define STRONGROOM_CRYPTO_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace strongroom {

// A SHA-256 digest. Value type; compare with ==.
struct Hash {
  std::array<uint8_t, 32> bytes{};

  bool operator==(const Hash&) const = default;
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
  std::string str() const { return std::string(view()); }
  // Builds a Hash from exactly 32 bytes; callers check the size.
  static Hash FromBytes(std::string_view b);
};

Hash Sha256(std::string_view data);
// SHA-256(0x00 || entry): the hash of a log entry (a leaf).
Hash LeafHash(std::string_view entry);
// SHA-256(0x01 || left || right): an interior node.
Hash NodeHash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of the empty string.
const Hash& EmptyTreeRoot();
// HMAC-SHA256 (RFC 2104) of `data` under `key`.
Hash HmacSha256(std::string_view key, std::string_view data);

// HMAC-SHA256 under one key for many messages: the key is set up once (a
// sealed event's salts, one per field). Not copyable; one thread at a time.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;
  Hash Mac(std::string_view data);

 private:
  void* ctx_;  // HMAC_CTX
};

}  // namespace strongroom

#endif  // STRONGROOM_CRYPTO_SHA256_H_
