#include "ledger/note.h"

#include <charconv>

#include "base/encoding.h"

namespace strongroom {
namespace {

constexpr std::string_view kSigPrefix = "\xe2\x80\x94 ";  // "— " (U+2014, space)
constexpr size_t kMaxSignatures = 100;

uint32_t ComputeKeyId(std::string_view name, uint8_t type, std::string_view public_key) {
  std::string buf(name);
  buf += '\n';
  buf += static_cast<char>(type);
  buf += public_key;
  Hash h = Sha256(buf);
  return uint32_t{h.bytes[0]} << 24 | uint32_t{h.bytes[1]} << 16 | uint32_t{h.bytes[2]} << 8 |
         h.bytes[3];
}

std::string KeyIdHex(uint32_t id) {
  std::string b(4, '\0');
  for (int i = 0; i < 4; ++i) b[static_cast<size_t>(i)] = static_cast<char>(id >> (24 - 8 * i));
  return HexEncode(b);
}

Result<uint32_t> ParseKeyIdHex(std::string_view hex) {
  if (hex.size() != 8) return InvalidArgument("key id must be 8 hex digits");
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return InvalidArgument("key id must be lowercase hex");
    }
  }
  uint32_t v = 0;
  std::from_chars(hex.data(), hex.data() + hex.size(), v, 16);
  return v;
}

// Splits "a+b+c" into exactly `n` parts on '+', the last taking the rest.
bool SplitPlus(std::string_view s, size_t n, std::vector<std::string_view>* parts) {
  parts->clear();
  for (size_t i = 0; i + 1 < n; ++i) {
    size_t p = s.find('+');
    if (p == std::string_view::npos) return false;
    parts->push_back(s.substr(0, p));
    s.remove_prefix(p + 1);
  }
  parts->push_back(s);
  return true;
}

bool ValidText(std::string_view text) {
  // Valid UTF-8 without control characters other than newline, per spec.
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

bool ValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= 0x20 || c == 0x7f || c == '+') return false;
  }
  return true;
}

Result<NoteVerifier> NoteVerifier::FromVkey(std::string_view vkey, uint8_t type) {
  std::vector<std::string_view> parts;
  if (!SplitPlus(vkey, 3, &parts)) return InvalidArgument("verifier key must be name+id+key");
  if (!ValidKeyName(parts[0])) return InvalidArgument("verifier key has an invalid name");
  SR_ASSIGN_OR_RETURN(uint32_t id, ParseKeyIdHex(parts[1]));
  auto raw = Base64Decode(parts[2]);
  if (!raw.ok()) return InvalidArgument("verifier key: " + raw.status().message());
  if (raw->size() != 33 || static_cast<uint8_t>((*raw)[0]) != type) {
    return InvalidArgument(type == kNoteEd25519
                               ? "verifier key is not an Ed25519 key"
                               : "verifier key is not an Ed25519 cosignature/v1 key (type 0x04)");
  }
  NoteVerifier v = FromPublicKey(std::string(parts[0]), raw->substr(1), type);
  if (v.key_id_ != id) return InvalidArgument("verifier key id does not match its key");
  return v;
}

NoteVerifier NoteVerifier::FromPublicKey(std::string name, std::string public_key, uint8_t type) {
  NoteVerifier v;
  v.type_ = type;
  v.key_id_ = ComputeKeyId(name, type, public_key);
  v.name_ = std::move(name);
  v.public_key_ = std::move(public_key);
  return v;
}

std::string NoteVerifier::Vkey() const {
  return name_ + "+" + KeyIdHex(key_id_) + "+" +
         Base64Encode(std::string(1, static_cast<char>(type_)) + public_key_);
}

bool NoteVerifier::Verify(std::string_view message, std::string_view signature) const {
  return Ed25519Verify(public_key_, message, signature);
}

NoteSigner::NoteSigner(std::string name, Ed25519PrivateKey key, uint8_t type)
    : name_(std::move(name)),
      type_(type),
      key_id_(ComputeKeyId(name_, type, key.public_key())),
      key_(std::move(key)) {}

NoteSigner::NoteSigner(std::string name, std::shared_ptr<const Ed25519Device> device,
                       uint8_t type)
    : name_(std::move(name)),
      type_(type),
      key_id_(ComputeKeyId(name_, type, device->public_key())),
      device_(std::move(device)) {}

Result<NoteSigner> NoteSigner::FromSkey(std::string_view skey, uint8_t type) {
  std::vector<std::string_view> parts;
  if (!SplitPlus(skey, 5, &parts) || parts[0] != "PRIVATE" || parts[1] != "KEY") {
    return InvalidArgument("private key must be PRIVATE+KEY+name+id+key");
  }
  if (!ValidKeyName(parts[2])) return InvalidArgument("private key has an invalid name");
  SR_ASSIGN_OR_RETURN(uint32_t id, ParseKeyIdHex(parts[3]));
  auto raw = Base64Decode(parts[4]);
  if (!raw.ok() || raw->size() != 33 || static_cast<uint8_t>((*raw)[0]) != type) {
    return InvalidArgument(type == kNoteEd25519
                               ? "private key is not an Ed25519 key"
                               : "private key is not an Ed25519 cosignature/v1 key (type 0x04)");
  }
  SR_ASSIGN_OR_RETURN(Ed25519PrivateKey key, Ed25519PrivateKey::FromSeed(raw->substr(1)));
  NoteSigner s(std::string(parts[2]), std::move(key), type);
  if (s.key_id_ != id) return InvalidArgument("private key id does not match its key");
  return s;
}

const std::string& NoteSigner::public_key() const {
  return key_ ? key_->public_key() : device_->public_key();
}

Result<std::string> NoteSigner::Skey() const {
  if (!key_) return FailedPrecondition("the key of " + name_ + " is held by a device");
  return "PRIVATE+KEY+" + name_ + "+" + KeyIdHex(key_id_) + "+" +
         Base64Encode(std::string(1, static_cast<char>(type_)) + key_->seed());
}

NoteVerifier NoteSigner::Verifier() const {
  return NoteVerifier::FromPublicKey(name_, public_key(), type_);
}

Result<std::string> NoteSigner::Sign(std::string_view message) const {
  if (key_) return key_->Sign(message);
  return device_->Sign(message);
}

Result<std::string> NoteSigner::SignatureLine(std::string_view text) const {
  return SignatureLineWith("", text);
}

Result<std::string> NoteSigner::SignatureLineWith(std::string_view prefix,
                                                  std::string_view message) const {
  SR_ASSIGN_OR_RETURN(std::string signature, Sign(message));
  return SignatureLineOf({name_, key_id_, std::string(prefix) + signature});
}

Result<std::string> SignNote(std::string_view text, const NoteSigner& signer) {
  SR_ASSIGN_OR_RETURN(std::string line, signer.SignatureLine(text));
  return std::string(text) + "\n" + line;
}

std::string SignatureLineOf(const NoteSignature& sig) {
  std::string blob(4, '\0');
  for (int i = 0; i < 4; ++i)
    blob[static_cast<size_t>(i)] = static_cast<char>(sig.key_id >> (24 - 8 * i));
  return std::string(kSigPrefix) + sig.name + " " + Base64Encode(blob + sig.signature) + "\n";
}

Result<Note> ParseNote(std::string_view note) {
  auto bad = [](const std::string& why) { return InvalidArgument("malformed note: " + why); };
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return bad("no blank line before the signatures");
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  if (!ValidText(out.text)) return bad("text has control characters");
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty()) return bad("no signatures");
  while (!sigs.empty()) {
    size_t nl = sigs.find('\n');
    if (nl == std::string_view::npos) return bad("signature line does not end in newline");
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (line.substr(0, kSigPrefix.size()) != kSigPrefix)
      return bad("signature line must start with '— '");
    line.remove_prefix(kSigPrefix.size());
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return bad("signature line has no key name");
    NoteSignature sig;
    sig.name = std::string(line.substr(0, sp));
    if (!ValidKeyName(sig.name)) return bad("invalid key name in signature");
    auto blob = Base64Decode(line.substr(sp + 1));
    if (!blob.ok() || blob->size() < 5) return bad("signature is not base64 of id and signature");
    for (int i = 0; i < 4; ++i)
      sig.key_id = sig.key_id << 8 | static_cast<uint8_t>((*blob)[static_cast<size_t>(i)]);
    sig.signature = blob->substr(4);
    out.signatures.push_back(std::move(sig));
    if (out.signatures.size() > kMaxSignatures) return bad("too many signatures");
  }
  return out;
}

Result<Note> OpenNote(std::string_view note, const NoteVerifier& verifier) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return DataLoss(parsed.status().message());
  for (const NoteSignature& sig : parsed->signatures) {
    if (sig.name != verifier.name() || sig.key_id != verifier.key_id()) continue;
    if (!verifier.Verify(parsed->text, sig.signature)) {
      return DataLoss("invalid signature for key " + verifier.name());
    }
    return parsed;
  }
  return DataLoss("note has no signature by key " + verifier.name());
}

std::string Checkpoint::Body() const {
  std::string out = origin + "\n" + std::to_string(size) + "\n" + Base64Encode(root.view()) + "\n";
  for (const auto& e : extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> ParseCheckpointBody(std::string_view text) {
  auto bad = [](const std::string& why) { return DataLoss("malformed checkpoint: " + why); };
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return bad("text does not end in newline");
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) return bad("needs origin, size and root lines");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return bad("empty origin");
  std::string_view size = lines[1];
  if (size.empty() || size.size() > 20 || (size.size() > 1 && size[0] == '0')) {
    return bad("tree size is not a canonical decimal");
  }
  auto [ptr, ec] = std::from_chars(size.data(), size.data() + size.size(), c.size);
  if (ec != std::errc() || ptr != size.data() + size.size())
    return bad("tree size is not a decimal");
  auto root = Base64Decode(lines[2]);
  if (!root.ok() || root->size() != 32) return bad("root is not base64 of 32 bytes");
  c.root = Hash::FromBytes(*root);
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return bad("empty extension line");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

Result<Checkpoint> OpenCheckpoint(std::string_view note, const NoteVerifier& verifier) {
  SR_ASSIGN_OR_RETURN(Note n, OpenNote(note, verifier));
  SR_ASSIGN_OR_RETURN(Checkpoint c, ParseCheckpointBody(n.text));
  if (c.origin != verifier.name()) {
    return DataLoss("checkpoint origin '" + c.origin + "' is not the key name '" + verifier.name() +
                    "'");
  }
  return c;
}

}  // namespace strongroom
