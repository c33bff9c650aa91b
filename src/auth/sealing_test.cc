// Secrets sealed under a passphrase: they open with it alone, in their own
// place alone, and a file changed or malformed is refused, not opened.
#include "auth/sealing.h"

#include <gtest/gtest.h>

#include "base/encoding.h"

namespace strongroom {
namespace {

// The least cost OpenText takes: the cases run fast.
constexpr Argon2idCost kCheap{8 * 1024, 1, 1};
constexpr std::string_view kHeader = "strongroom sealed test v1";

TEST(SealingTest, OpensWithItsPassphraseInItsPlaceOnly) {
  auto text = SealText(kHeader, "correct horse battery", "PRIVATE+KEY+secret", "log A", kCheap,
                       SystemRandom());
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(text->find("PRIVATE+KEY"), std::string::npos);  // nothing in clear
  auto opened = OpenText(kHeader, *text, "correct horse battery", "log A");
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(*opened, "PRIVATE+KEY+secret");

  auto wrong = OpenText(kHeader, *text, "correct horse battery!", "log A");
  EXPECT_EQ(wrong.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(wrong.status().message(), "wrong passphrase");
  // Moved to another log (another verifier key as authenticated data).
  EXPECT_EQ(OpenText(kHeader, *text, "correct horse battery", "log B").status().code(),
            StatusCode::kPermissionDenied);
  // One bit of the ciphertext changed.
  std::string changed = *text;
  const size_t last = changed.rfind('\n', changed.size() - 2) + 1;
  auto sealed = Base64Decode(changed.substr(last, changed.size() - last - 1)).value();
  sealed[kSealNonceBytes] ^= 1;
  changed = changed.substr(0, last) + Base64Encode(sealed) + "\n";
  EXPECT_EQ(OpenText(kHeader, changed, "correct horse battery", "log A").status().code(),
            StatusCode::kPermissionDenied);
  // Two seals of the same secret differ (salt and nonce are fresh).
  EXPECT_NE(*text, SealText(kHeader, "correct horse battery", "PRIVATE+KEY+secret", "log A", kCheap,
                            SystemRandom())
                       .value());
}

TEST(SealingTest, AMalformedFileIsRefusedBeforeAnyWork) {
  const std::string good =
      SealText(kHeader, "correct horse battery", "x", "a", kCheap, SystemRandom()).value();
  const size_t nl1 = good.find('\n'), nl2 = good.find('\n', nl1 + 1);
  const std::string costs = good.substr(nl1 + 1, nl2 - nl1 - 1);
  const std::string salt = costs.substr(costs.find("salt="));
  for (const auto& [text, words] : std::vector<std::pair<std::string, std::string>>{
           {good.substr(0, good.size() - 1), "does not end with a newline"},
           {"another header" + good.substr(nl1), "its first line differs"},
           {good + "extra\n", "it has 4 lines, not 3"},
           // A cost that would have the process allocate 4 TiB, or spin.
           {good.substr(0, nl1 + 1) + "argon2id m=4294967295 t=1 p=1 " + salt + good.substr(nl2),
            "argon2id costs out of bounds"},
           {good.substr(0, nl1 + 1) + "argon2id m=8192 t=99 p=1 " + salt + good.substr(nl2),
            "argon2id costs out of bounds"},
           {good.substr(0, nl1 + 1) + "argon2id m=8192 t=1 p=1 salt=AAAA" + good.substr(nl2),
            "its salt is not 16 bytes"},
           {good.substr(0, nl1 + 1) + "scrypt n=1 " + salt + good.substr(nl2),
            "its second line is not"},
       }) {
    auto r = OpenText(kHeader, text, "correct horse battery", "a");
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << words;
    EXPECT_NE(r.status().message().find(words), std::string::npos)
        << "want '" << words << "', got " << r.status().message();
  }
}

}  // namespace
}  // namespace strongroom
