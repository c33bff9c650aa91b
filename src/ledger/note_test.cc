// C2SP signed-note conformance, with the keys and signatures of Go's
// golang.org/x/mod/sumdb/note tests (BSD licence), which the C2SP spec's
// examples come from.
#include "ledger/note.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "ledger/cosignature.h"

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
  EXPECT_EQ(signer->Skey().value(), kPeterSkey);
  EXPECT_EQ(signer->Verifier().Vkey(), kPeterVkey);
  EXPECT_EQ(SignNote(kText, *signer).value(), std::string(kText) + "\n" + kPeterSig);
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
  const std::string note = SignNote(cp.Body(), signer).value();
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
  EXPECT_FALSE(OpenCheckpoint(SignNote(cp.Body(), other).value(), other.Verifier()).ok());
}

}  // namespace
}  // namespace strongroom

namespace strongroom {
namespace {

TEST(CosignatureTest, SignsAndVerifiesCosignatureV1) {
  auto log = NoteSigner("example.com/log", Ed25519PrivateKey::Generate(SystemRandom()));
  auto witness = NoteSigner("witness.example/w1", Ed25519PrivateKey::Generate(SystemRandom()),
                            kNoteCosignatureV1);
  // A witness vkey carries type 0x04 and a key id computed with it.
  const std::string vkey = witness.Verifier().Vkey();
  auto raw = Base64Decode(vkey.substr(vkey.find('+', vkey.find('+') + 1) + 1));  // name+id+key
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(static_cast<uint8_t>((*raw)[0]), 0x04);
  EXPECT_FALSE(NoteVerifier::FromVkey(vkey).ok());  // not a log key
  auto w = NoteVerifier::FromVkey(vkey, kNoteCosignatureV1);
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_NE(w->key_id(), NoteVerifier::FromPublicKey(w->name(), w->public_key()).key_id());
  auto skey = NoteSigner::FromSkey(witness.Skey().value(), kNoteCosignatureV1);
  ASSERT_TRUE(skey.ok());
  EXPECT_EQ(skey->Verifier().Vkey(), vkey);

  const std::string body =
      "example.com/log\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  EXPECT_EQ(CosignedMessage(body, 1679315147),
            "cosignature/v1\ntime 1679315147\nexample.com/log\n20852163\n"
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  const std::string note = SignNote(body, log).value() + CosignatureLine(witness, body, 1679315147).value();
  auto parsed = OpenNote(note, log.Verifier());  // the log's own signature still opens it
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  auto stamp = VerifyCosignature(*parsed, *w);
  ASSERT_TRUE(stamp.ok()) << stamp.status().message();
  EXPECT_EQ(*stamp, 1679315147u);
  // The signature blob is key id || 8-byte big-endian timestamp || signature.
  auto blob = Base64Decode(note.substr(note.rfind(' ') + 1, note.size() - note.rfind(' ') - 2));
  ASSERT_TRUE(blob.ok());
  ASSERT_EQ(blob->size(), 4u + 8 + 64);
  EXPECT_EQ(blob->substr(4, 8), std::string("\0\0\0\0\x64\x18\x50\xcb", 8));

  // Another checkpoint body, another witness, a plain signature by the
  // witness's name: none passes as this witness's cosignature.
  Note changed = *parsed;
  changed.text = "example.com/log\n20852164\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  EXPECT_EQ(VerifyCosignature(changed, *w).status().code(), StatusCode::kDataLoss);
  auto other = NoteSigner("witness.example/w1", Ed25519PrivateKey::Generate(SystemRandom()),
                          kNoteCosignatureV1);
  EXPECT_EQ(VerifyCosignature(*parsed, other.Verifier()).status().code(), StatusCode::kNotFound);
  auto plain = NoteSigner("witness.example/w1", *Ed25519PrivateKey::FromSeed(std::string(32, 'k')));
  auto plain_note = ParseNote(SignNote(body, plain).value());
  ASSERT_TRUE(plain_note.ok());
  auto plain_as_witness =
      NoteVerifier::FromPublicKey(plain.name(), plain.Verifier().public_key(), kNoteCosignatureV1);
  EXPECT_EQ(VerifyCosignature(*plain_note, plain_as_witness).status().code(),
            StatusCode::kNotFound);  // key id differs: type 0x01 vs 0x04
}

}  // namespace
}  // namespace strongroom
