// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys, and the
// C2SP tlog-checkpoint body (https://c2sp.org/tlog-checkpoint).
//
//   note      = text "\n" 1*signature
//   signature = "— " key-name " " base64(key-id[4] || sig[64]) "\n"
//   key-id    = SHA-256(key-name || "\n" || 0x01 || public-key)[:4]
//   vkey      = key-name "+" hex(key-id) "+" base64(0x01 || public-key)
//
// The private key file uses the same shape as Go's note package:
//   "PRIVATE+KEY+" key-name "+" hex(key-id) "+" base64(0x01 || seed).
// Witness keys (C2SP tlog-cosignature, ledger/cosignature.h) have the same
// shapes with type 0x04 in place of 0x01, in the key id too.
#ifndef STRONGROOM_LEDGER_NOTE_H_
#define STRONGROOM_LEDGER_NOTE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace strongroom {

// Signature types (the byte before the public key in a vkey): a plain
// Ed25519 note signature, and a C2SP tlog-cosignature cosignature/v1.
inline constexpr uint8_t kNoteEd25519 = 0x01;
inline constexpr uint8_t kNoteCosignatureV1 = 0x04;

// Key names: non-empty, printable, no white space, no '+'.
bool ValidKeyName(std::string_view name);

class NoteVerifier {
 public:
  // InvalidArgument unless `vkey` is well formed and of signature `type`.
  static Result<NoteVerifier> FromVkey(std::string_view vkey, uint8_t type = kNoteEd25519);
  static NoteVerifier FromPublicKey(std::string name, std::string public_key,
                                    uint8_t type = kNoteEd25519);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const std::string& public_key() const { return public_key_; }
  std::string Vkey() const;
  bool Verify(std::string_view message, std::string_view signature) const;

 private:
  std::string name_;
  uint8_t type_ = kNoteEd25519;
  uint32_t key_id_ = 0;
  std::string public_key_;
};

// Signs notes with a key held in memory, or with one held by a device
// (crypto/pkcs11.h) that never gives its private half up. Copies share the
// key; signing is safe for concurrent use.
class NoteSigner {
 public:
  NoteSigner(std::string name, Ed25519PrivateKey key, uint8_t type = kNoteEd25519);
  NoteSigner(std::string name, std::shared_ptr<const Ed25519Device> device,
             uint8_t type = kNoteEd25519);
  static Result<NoteSigner> FromSkey(std::string_view skey, uint8_t type = kNoteEd25519);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  // The key when this process holds it; nullptr for a device's.
  const Ed25519PrivateKey* key() const { return key_ ? &*key_ : nullptr; }
  const std::string& public_key() const;
  // The private key file's text: FailedPrecondition for a device's key.
  Result<std::string> Skey() const;
  NoteVerifier Verifier() const;
  // A 64-byte signature of `message` (fails only on a device).
  Result<std::string> Sign(std::string_view message) const;
  // The signature line for `text` (ending in "\n").
  Result<std::string> SignatureLine(std::string_view text) const;
  // A signature line whose signature is `prefix` || Ed25519(`message`)
  // (cosignatures put a timestamp first and sign a longer message).
  Result<std::string> SignatureLineWith(std::string_view prefix, std::string_view message) const;

 private:
  std::string name_;
  uint8_t type_;
  uint32_t key_id_;
  std::optional<Ed25519PrivateKey> key_;
  std::shared_ptr<const Ed25519Device> device_;
};

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;  // without the key id
};

struct Note {
  std::string text;  // ends in "\n"
  std::vector<NoteSignature> signatures;
};

// The signature line `sig` was parsed from ("— name base64(id||sig)\n").
std::string SignatureLineOf(const NoteSignature& sig);

// Splits a signed note into text and signature lines, checking only syntax.
Result<Note> ParseNote(std::string_view note);
// Parses and requires a valid signature by `verifier` (other signatures are
// kept but not checked). DataLoss if it is missing or does not verify.
Result<Note> OpenNote(std::string_view note, const NoteVerifier& verifier);
// text + "\n" + one signature line.
Result<std::string> SignNote(std::string_view text, const NoteSigner& signer);

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root;
  std::vector<std::string> extensions;

  std::string Body() const;  // the note text
};
Result<Checkpoint> ParseCheckpointBody(std::string_view text);
// Opens a signed checkpoint note and parses its body; the origin must equal
// the verifier's key name.
Result<Checkpoint> OpenCheckpoint(std::string_view note, const NoteVerifier& verifier);

}  // namespace strongroom

#endif  // STRONGROOM_LEDGER_NOTE_H_
