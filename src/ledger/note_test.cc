// C2SP signed-note conformance, with the keys and signatures of Go's
// golang.org/x/mod/sumdb/note tests (BSD licence), which the C2SP spec's
// examples come from.
#include "ledger/note.h"

#include <gtest/gtest.h>

#include "base/encoding.h"

namespace strongroom {
namespace {

constexpr const char* kPeterVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr const char* kPeterSkey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr const char* kEnochVkey =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr const char* kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr const char* kPeterSig =
    "\xe2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr const char* kEnochSig =
    "\xe2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

TEST(NoteTest, ParsesGoVerifierKeysAndRejectsManglings) {
  auto v = NoteVerifier::FromVkey(kPeterVkey);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->name(), "PeterNeumann");
  EXPECT_EQ(v->key_id(), 0xc74f20a3u);
  EXPECT_EQ(v->Vkey(), kPeterVkey);
  std::string key = kPeterVkey;
  for (size_t i = 0; i < key.size(); ++i) {
    std::string bad = key;
    bad[i]++;
    EXPECT_FALSE(NoteVerifier::FromVkey(bad).ok()) << bad;
  }
  for (size_t len = 0; len < key.size(); ++len) {
    EXPECT_FALSE(NoteVerifier::FromVkey(key.substr(0, len)).ok());
  }
  EXPECT_FALSE(
      NoteVerifier::FromVkey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .ok());
}

TEST(NoteTest, SignsExactlyAsGoDoes) {
  auto signer = NoteSigner::FromSkey(kPeterSkey);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->Skey(), kPeterSkey);
  EXPECT_EQ(signer->Verifier().Vkey(), kPeterVkey);
  EXPECT_EQ(SignNote(kText, *signer), std::string(kText) + "\n" + kPeterSig);
}

TEST(NoteTest, OpensNotesWithSeveralSignatures) {
  auto peter = NoteVerifier::FromVkey(kPeterVkey).value();
  auto enoch = NoteVerifier::FromVkey(kEnochVkey).value();
  const std::string note = std::string(kText) + "\n" + kPeterSig + kEnochSig;
  auto n = OpenNote(note, peter);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->text, kText);
  EXPECT_EQ(n->signatures.size(), 2u);
  EXPECT_TRUE(OpenNote(note, enoch).ok());
  // Only the other key's signature: not verified.
  EXPECT_FALSE(OpenNote(std::string(kText) + "\n" + kEnochSig, peter).ok());
}

TEST(NoteTest, RejectsMalformedAndForgedNotes) {
  auto peter = NoteVerifier::FromVkey(kPeterVkey).value();
  const std::string sig = kPeterSig;
  const std::vector<std::string> bad = {
      kText,
      std::string(kText) + "\n",
      std::string(kText) + "\n" + sig.substr(0, sig.size() - 1),
      "\x01" + std::string(kText) + "\n" + sig,
      std::string(kText) +
          "\n\xe2\x80\x94 Bad Name "
          "x08go/ZJkuBS9UG/"
          "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
      std::string(kText) + "\n" + sig + "Unexpected line.\n",
      std::string(kText) + "\n" + sig.substr(0, 60) + "ABCD" + sig.substr(60),
      "X" + std::string(kText) + "\n" + sig,  // text changed: signature fails
  };
  for (const auto& b : bad) EXPECT_FALSE(OpenNote(b, peter).ok()) << b;
  std::string many = std::string(kText) + "\n";
  for (int i = 0; i < 101; ++i) many += sig;
  EXPECT_FALSE(OpenNote(many, peter).ok());
}

TEST(CheckpointTest, FormatsAndParsesC2spCheckpoints) {
  auto signer = NoteSigner("example.com/log", Ed25519PrivateKey::Generate(SystemRandom()));
  Checkpoint cp{"example.com/log", 1234, Sha256("x"), {"ext line"}};
  const std::string note = SignNote(cp.Body(), signer);
  EXPECT_EQ(cp.Body().substr(0, 21), "example.com/log\n1234\n");
  auto parsed = OpenCheckpoint(note, signer.Verifier());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->size, 1234u);
  EXPECT_EQ(parsed->root, cp.root);
  EXPECT_EQ(parsed->extensions, std::vector<std::string>{"ext line"});
  const std::string root = Base64Encode(cp.root.view());
  for (const std::string& body :
       {std::string("o\n01\n") + root + "\n", std::string("o\n-1\n") + root + "\n",
        std::string("o\n1\n") + root, std::string("\n1\n") + root + "\n",
        std::string("o\n1\nAAAA\n"), std::string("o\n1\n") + root + "\n\n"}) {
    EXPECT_FALSE(ParseCheckpointBody(body).ok()) << body;
  }
  // A checkpoint whose origin is not the key name is refused.
  auto other = NoteSigner("other", Ed25519PrivateKey::Generate(SystemRandom()));
  EXPECT_FALSE(OpenCheckpoint(SignNote(cp.Body(), other), other.Verifier()).ok());
}

}  // namespace
}  // namespace strongroom
