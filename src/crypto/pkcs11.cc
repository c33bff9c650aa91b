#include "crypto/pkcs11.h"

#include <dlfcn.h>
#include <limits.h>
#include <sys/stat.h>
#include <openssl/crypto.h>
#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "crypto/sha256.h"

namespace strongroom {
namespace {

// DER of the edwards25519 OID 1.3.101.112 (RFC 8410), CKA_EC_PARAMS.
constexpr unsigned char kEd25519Params[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
// What Open signs to check that the public key is the private key's.
constexpr std::string_view kPairCheck = "strongroom pkcs11 key pair check v1";

std::string RvText(CK_RV rv) {
  switch (rv) {
    case CKR_PIN_INCORRECT: return "CKR_PIN_INCORRECT";
    case CKR_PIN_LOCKED: return "CKR_PIN_LOCKED";
    case CKR_USER_PIN_NOT_INITIALIZED: return "CKR_USER_PIN_NOT_INITIALIZED";
    case CKR_TOKEN_NOT_PRESENT: return "CKR_TOKEN_NOT_PRESENT";
    case CKR_DEVICE_REMOVED: return "CKR_DEVICE_REMOVED";
    case CKR_SESSION_HANDLE_INVALID: return "CKR_SESSION_HANDLE_INVALID";
    case CKR_SESSION_CLOSED: return "CKR_SESSION_CLOSED";
    case CKR_USER_NOT_LOGGED_IN: return "CKR_USER_NOT_LOGGED_IN";
    case CKR_MECHANISM_INVALID: return "CKR_MECHANISM_INVALID";
    case CKR_KEY_HANDLE_INVALID: return "CKR_KEY_HANDLE_INVALID";
    case CKR_ATTRIBUTE_VALUE_INVALID: return "CKR_ATTRIBUTE_VALUE_INVALID";
    case CKR_DOMAIN_PARAMS_INVALID: return "CKR_DOMAIN_PARAMS_INVALID";
    case CKR_CURVE_NOT_SUPPORTED: return "CKR_CURVE_NOT_SUPPORTED";
    default: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "CKR 0x%08lx", static_cast<unsigned long>(rv));
      return buf;
    }
  }
}

Status Failed(std::string_view what, CK_RV rv, StatusCode code = StatusCode::kUnavailable) {
  return Status(code, "PKCS#11 " + std::string(what) + ": " + RvText(rv));
}

struct UriDeleter {
  void operator()(P11KitUri* u) const { p11_kit_uri_free(u); }
};
using UriPtr = std::unique_ptr<P11KitUri, UriDeleter>;

// A parsed and checked URI: what the module, the token and the key are.
struct Parsed {
  UriPtr uri;
  std::string module_path;
  std::string label;              // CKA_LABEL of the key pair
  std::optional<std::string> id;  // CKA_ID, when the URI names one
};

Result<Parsed> Parse(std::string_view text) {
  auto bad = [](const std::string& why) { return InvalidArgument("PKCS#11 URI: " + why); };
  if (text.size() > 4096) return InvalidArgument("a PKCS#11 URI has at most 4096 characters");
  // (p11-kit would drop white space silently: a URI is kept as given.)
  auto printable = [](std::string_view s) {
    for (unsigned char c : s)
      if (c <= 0x20 || c == 0x7f) return false;
    return true;
  };
  if (!printable(text)) return bad("it has spaces or control characters");
  Parsed p;
  p.uri.reset(p11_kit_uri_new());
  if (!p.uri) return Internal("p11-kit: out of memory");
  const std::string owned(text);
  const int rc = p11_kit_uri_parse(owned.c_str(), P11_KIT_URI_FOR_OBJECT_ON_TOKEN_AND_MODULE,
                                   p.uri.get());
  if (rc != P11_KIT_URI_OK) return bad(p11_kit_uri_message(rc));
  if (p11_kit_uri_any_unrecognized(p.uri.get())) return bad("it has parts p11-kit does not know");
  if (p11_kit_uri_get_pin_value(p.uri.get()) || p11_kit_uri_get_pin_source(p.uri.get())) {
    return bad("a PIN is never written into the URI; give it to the process that signs");
  }
  const char* module = p11_kit_uri_get_module_path(p.uri.get());
  if (!module || module[0] != '/') return bad("it names no absolute module-path");
  p.module_path = module;
  if (!printable(p.module_path)) return bad("its module-path has spaces or control characters");
  CK_TOKEN_INFO* token = p11_kit_uri_get_token_info(p.uri.get());
  auto blank = [](const CK_UTF8CHAR* field, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (field[i] != ' ' && field[i] != 0) return false;
    return true;
  };
  if (blank(token->label, sizeof token->label) &&
      blank(token->serialNumber, sizeof token->serialNumber)) {
    return bad("it names no token (token=LABEL or serial=SERIAL)");
  }
  CK_ATTRIBUTE* label = p11_kit_uri_get_attribute(p.uri.get(), CKA_LABEL);
  if (!label || label->ulValueLen == 0 || label->ulValueLen > 256) {
    return bad("it names no key (object=LABEL)");
  }
  p.label.assign(static_cast<const char*>(label->pValue), label->ulValueLen);
  if (!printable(p.label)) return bad("its object label has spaces or control characters");
  if (CK_ATTRIBUTE* id = p11_kit_uri_get_attribute(p.uri.get(), CKA_ID)) {
    p.id = std::string(static_cast<const char*>(id->pValue), id->ulValueLen);
  }
  return p;
}

// The module is code this process runs and hands the PIN to: a regular file
// installed by root, neither it nor its folder writable by anyone else (not
// one put beside a store by whoever can write there). Its resolved path:
// the file checked is the file loaded, and one module has one name.
Result<std::string> CheckModuleFile(const std::string& path) {
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) {
    return NotFound("cannot load the PKCS#11 module " + path + ": no such file");
  }
  const std::string file = resolved;
  const std::string folder = file.substr(0, file.rfind('/') + 1);
  for (const std::string& p : {file, folder}) {
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) return NotFound("cannot read " + p);
    if (p == file && !S_ISREG(st.st_mode)) return FailedPrecondition(file + " is not a file");
    if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
      return FailedPrecondition("the PKCS#11 module " + path + " is not installed by root (" + p +
                                " is owned by another user or writable by others)");
    }
  }
  return file;
}

}  // namespace

// One module loaded and one logged-in session on one of its tokens, shared
// by every key of that token in the process (PKCS#11 logs a whole
// application in or out of a token at once).
struct Pkcs11Key::Token {
  CK_FUNCTION_LIST* module = nullptr;
  CK_SLOT_ID slot = 0;
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  Hash pin_digest;  // the PIN this session logged in with
  std::mutex mu;    // one operation at a time on the session

  // Closing the session logs it out (no C_Logout: that would log out a
  // session another key of the token opened since).
  ~Token() {
    if (module) {
      if (session != CK_INVALID_HANDLE) module->C_CloseSession(session);
      p11_kit_module_finalize(module);
      p11_kit_module_release(module);
    }
  }
};

namespace {

std::mutex registry_mu;
std::map<std::string, std::weak_ptr<Pkcs11Key::Token>>& Registry() {
  static auto* tokens = new std::map<std::string, std::weak_ptr<Pkcs11Key::Token>>();
  return *tokens;
}

std::string Trimmed(const CK_UTF8CHAR* field, size_t n) {
  std::string s(reinterpret_cast<const char*>(field), n);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// Loads the module, finds the one token the URI names and logs in to it
// (or shares the session another key of that token opened with the same
// PIN).
Result<std::shared_ptr<Pkcs11Key::Token>> LogIn(const Parsed& p, std::string_view pin) {
  if (pin.empty() || pin.size() > 256) return InvalidArgument("a token's PIN has 1 to 256 characters");
  std::lock_guard<std::mutex> registry_lock(registry_mu);
  // The module stays mapped for the life of the process (p11-kit would
  // unload it with the last key): modules keep library state (OpenSSL's, in
  // SoftHSM2) that is not meant to be unloaded and loaded again, and a
  // module mapped to the end can be named in a leak report.
  SR_ASSIGN_OR_RETURN(const std::string module, CheckModuleFile(p.module_path));
  if (!::dlopen(module.c_str(), RTLD_NOW | RTLD_NODELETE)) {
    return NotFound("cannot load the PKCS#11 module " + p.module_path);
  }
  auto token = std::make_shared<Pkcs11Key::Token>();
  token->module = p11_kit_module_load(module.c_str(), 0);
  if (!token->module) return NotFound("cannot load the PKCS#11 module " + p.module_path);
  if (CK_RV rv = p11_kit_module_initialize(token->module); rv != CKR_OK) {
    p11_kit_module_release(token->module);
    token->module = nullptr;
    return Failed("C_Initialize of " + p.module_path, rv);
  }
  CK_ULONG count = 0;
  if (CK_RV rv = token->module->C_GetSlotList(CK_TRUE, nullptr, &count); rv != CKR_OK) {
    return Failed("C_GetSlotList", rv);
  }
  std::vector<CK_SLOT_ID> slots(count);
  if (CK_RV rv = token->module->C_GetSlotList(CK_TRUE, slots.data(), &count); rv != CKR_OK) {
    return Failed("C_GetSlotList", rv);
  }
  slots.resize(count);
  int matches = 0;
  std::string serial;
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info;
    if (token->module->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    if (!(info.flags & CKF_TOKEN_INITIALIZED)) continue;
    if (p11_kit_uri_match_token_info(p.uri.get(), &info) != 1) continue;
    ++matches;
    token->slot = slot;
    serial = Trimmed(info.serialNumber, sizeof info.serialNumber);
  }
  if (matches == 0) return NotFound("no PKCS#11 token in " + p.module_path + " matches the URI");
  if (matches > 1) {
    return InvalidArgument(std::to_string(matches) +
                           " tokens match the PKCS#11 URI: name one (serial=...)");
  }
  const Hash digest = Sha256(pin);
  const std::string name = module + "\n" + std::to_string(token->slot) + "\n" + serial;
  if (auto shared = Registry()[name].lock()) {
    // The token is logged in already; a PIN other than the one it logged
    // in with is not let in on that.
    if (CRYPTO_memcmp(shared->pin_digest.bytes.data(), digest.bytes.data(), 32) != 0) {
      return Unauthenticated("the token's PIN was not accepted");
    }
    return shared;
  }
  if (CK_RV rv = token->module->C_OpenSession(token->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION,
                                              nullptr, nullptr, &token->session);
      rv != CKR_OK) {
    token->session = CK_INVALID_HANDLE;
    return Failed("C_OpenSession", rv);
  }
  std::string owned_pin(pin);
  CK_RV rv = token->module->C_Login(token->session, CKU_USER,
                                    reinterpret_cast<CK_UTF8CHAR*>(owned_pin.data()),
                                    owned_pin.size());
  OPENSSL_cleanse(owned_pin.data(), owned_pin.size());
  if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE) {
    return Unauthenticated("the token's PIN was not accepted");
  }
  if (rv == CKR_PIN_LOCKED) return Unauthenticated("the token's PIN is locked");
  if (rv != CKR_OK) return Failed("C_Login", rv);
  token->pin_digest = digest;
  Registry()[name] = token;
  return token;
}

// The objects of `cls` labelled (and identified) as the URI says.
Result<std::vector<CK_OBJECT_HANDLE>> Find(const Pkcs11Key::Token& t, const Parsed& p,
                                           CK_OBJECT_CLASS cls) {
  CK_KEY_TYPE type = CKK_EC_EDWARDS;
  std::vector<CK_ATTRIBUTE> query = {
      {CKA_CLASS, &cls, sizeof cls},
      {CKA_KEY_TYPE, &type, sizeof type},
      {CKA_LABEL, const_cast<char*>(p.label.data()), p.label.size()},
  };
  if (p.id) query.push_back({CKA_ID, const_cast<char*>(p.id->data()), p.id->size()});
  if (CK_RV rv = t.module->C_FindObjectsInit(t.session, query.data(), query.size()); rv != CKR_OK) {
    return Failed("C_FindObjectsInit", rv);
  }
  // Until the token says there is no more (it may give fewer than asked);
  // more than a few is as wrong as two.
  std::vector<CK_OBJECT_HANDLE> found;
  CK_RV rv = CKR_OK;
  for (;;) {
    CK_OBJECT_HANDLE batch[4];
    CK_ULONG n = 0;
    rv = t.module->C_FindObjects(t.session, batch, 4, &n);
    if (rv != CKR_OK || n == 0) break;
    found.insert(found.end(), batch, batch + n);
    if (found.size() >= 8) break;
  }
  t.module->C_FindObjectsFinal(t.session);
  if (rv != CKR_OK) return Failed("C_FindObjects", rv);
  return found;
}

Result<std::string> GetAttribute(const Pkcs11Key::Token& t, CK_OBJECT_HANDLE object,
                                 CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE a{type, nullptr, 0};
  if (CK_RV rv = t.module->C_GetAttributeValue(t.session, object, &a, 1); rv != CKR_OK) {
    return Failed("C_GetAttributeValue", rv, StatusCode::kFailedPrecondition);
  }
  if (a.ulValueLen > 4096) return FailedPrecondition("a PKCS#11 attribute is too long");
  std::string value(a.ulValueLen, '\0');
  a.pValue = value.data();
  if (CK_RV rv = t.module->C_GetAttributeValue(t.session, object, &a, 1); rv != CKR_OK) {
    return Failed("C_GetAttributeValue", rv, StatusCode::kFailedPrecondition);
  }
  value.resize(a.ulValueLen);
  return value;
}

// CKA_EC_POINT of an Ed25519 public key: the DER OCTET STRING of the 32
// bytes (PKCS#11 3.0), or the bare 32 bytes (some tokens).
Result<std::string> PublicKeyOf(const Pkcs11Key::Token& t, CK_OBJECT_HANDLE object) {
  SR_ASSIGN_OR_RETURN(std::string point, GetAttribute(t, object, CKA_EC_POINT));
  if (point.size() == 34 && point[0] == 0x04 && point[1] == 0x20) return point.substr(2);
  if (point.size() == 32) return point;
  return FailedPrecondition("the token's public key is not an Ed25519 point");
}

Result<bool> BoolAttribute(const Pkcs11Key::Token& t, CK_OBJECT_HANDLE object,
                           CK_ATTRIBUTE_TYPE type) {
  SR_ASSIGN_OR_RETURN(std::string v, GetAttribute(t, object, type));
  return v.size() == sizeof(CK_BBOOL) && v[0] != 0;
}

}  // namespace

Status Pkcs11Key::CheckUri(std::string_view uri) { return Parse(uri).status(); }

Result<std::shared_ptr<const Pkcs11Key>> Pkcs11Key::Open(std::string_view uri,
                                                         std::string_view pin) {
  SR_ASSIGN_OR_RETURN(Parsed p, Parse(uri));
  SR_ASSIGN_OR_RETURN(std::shared_ptr<Token> token, LogIn(p, pin));
  std::shared_ptr<Pkcs11Key> key(new Pkcs11Key());
  key->token_ = token;
  {
    std::lock_guard<std::mutex> lock(token->mu);
    SR_ASSIGN_OR_RETURN(std::vector<CK_OBJECT_HANDLE> privates, Find(*token, p, CKO_PRIVATE_KEY));
    SR_ASSIGN_OR_RETURN(std::vector<CK_OBJECT_HANDLE> publics, Find(*token, p, CKO_PUBLIC_KEY));
    if (privates.empty()) return NotFound("the token holds no Ed25519 key '" + p.label + "'");
    if (privates.size() > 1 || publics.size() > 1) {
      return FailedPrecondition("the token holds more than one Ed25519 key '" + p.label +
                                "': name one (id=...)");
    }
    if (publics.empty()) {
      return FailedPrecondition("the token holds no public key beside its key '" + p.label + "'");
    }
    // A key its holder could read out, or one that was ever known outside
    // the token (imported, or once extractable), is no better than a file;
    // one usable without the PIN (not CKA_PRIVATE) is no key of the log's.
    constexpr std::pair<CK_ATTRIBUTE_TYPE, bool> kRequired[] = {
        {CKA_SENSITIVE, true}, {CKA_ALWAYS_SENSITIVE, true}, {CKA_EXTRACTABLE, false},
        {CKA_NEVER_EXTRACTABLE, true}, {CKA_LOCAL, true}, {CKA_PRIVATE, true}};
    for (const auto& [attribute, want] : kRequired) {
      SR_ASSIGN_OR_RETURN(bool set, BoolAttribute(*token, privates[0], attribute));
      if (set != want) {
        return FailedPrecondition(
            "the token's key '" + p.label +
            "' can be read out of it, was made outside it, or signs without the PIN (it must be "
            "sensitive, never extractable, made in the token and private): make one in the token");
      }
    }
    key->private_key_ = privates[0];
    SR_ASSIGN_OR_RETURN(key->public_key_, PublicKeyOf(*token, publics[0]));
  }
  SR_ASSIGN_OR_RETURN(std::string check, key->Sign(kPairCheck));
  if (!Ed25519Verify(key->public_key_, kPairCheck, check)) {
    return FailedPrecondition("the token's public key '" + p.label +
                              "' does not verify its private key's signatures");
  }
  return std::shared_ptr<const Pkcs11Key>(std::move(key));
}

Result<std::shared_ptr<const Pkcs11Key>> Pkcs11Key::Generate(std::string_view uri,
                                                             std::string_view pin) {
  SR_ASSIGN_OR_RETURN(Parsed p, Parse(uri));
  SR_ASSIGN_OR_RETURN(std::shared_ptr<Token> token, LogIn(p, pin));
  {
    std::lock_guard<std::mutex> lock(token->mu);
    SR_ASSIGN_OR_RETURN(std::vector<CK_OBJECT_HANDLE> privates, Find(*token, p, CKO_PRIVATE_KEY));
    SR_ASSIGN_OR_RETURN(std::vector<CK_OBJECT_HANDLE> publics, Find(*token, p, CKO_PUBLIC_KEY));
    if (!privates.empty() || !publics.empty()) {
      return AlreadyExists("the token holds a key '" + p.label + "' already");
    }
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    std::string label = p.label;
    std::string id = p.id.value_or(label);
    std::vector<CK_ATTRIBUTE> pub = {
        {CKA_TOKEN, &yes, sizeof yes},
        {CKA_VERIFY, &yes, sizeof yes},
        {CKA_EC_PARAMS, const_cast<unsigned char*>(kEd25519Params), sizeof kEd25519Params},
        {CKA_LABEL, label.data(), label.size()},
        {CKA_ID, id.data(), id.size()},
    };
    std::vector<CK_ATTRIBUTE> priv = {
        {CKA_TOKEN, &yes, sizeof yes},       {CKA_PRIVATE, &yes, sizeof yes},
        {CKA_SENSITIVE, &yes, sizeof yes},   {CKA_EXTRACTABLE, &no, sizeof no},
        {CKA_SIGN, &yes, sizeof yes},        {CKA_LABEL, label.data(), label.size()},
        {CKA_ID, id.data(), id.size()},
    };
    CK_MECHANISM mechanism{CKM_EC_EDWARDS_KEY_PAIR_GEN, nullptr, 0};
    CK_OBJECT_HANDLE pub_handle = 0, priv_handle = 0;
    if (CK_RV rv = token->module->C_GenerateKeyPair(token->session, &mechanism, pub.data(),
                                                    pub.size(), priv.data(), priv.size(),
                                                    &pub_handle, &priv_handle);
        rv != CKR_OK) {
      return Failed("C_GenerateKeyPair (Ed25519)", rv, StatusCode::kFailedPrecondition);
    }
  }
  return Open(uri, pin);  // shares `token`'s session
}

Pkcs11Key::~Pkcs11Key() = default;

Result<std::string> Pkcs11Key::Sign(std::string_view message) const {
  std::lock_guard<std::mutex> lock(token_->mu);
  CK_MECHANISM mechanism{CKM_EDDSA, nullptr, 0};
  CK_FUNCTION_LIST* m = token_->module;
  if (CK_RV rv = m->C_SignInit(token_->session, &mechanism, private_key_); rv != CKR_OK) {
    return Failed("C_SignInit", rv);
  }
  std::string signature(64, '\0');
  CK_ULONG len = signature.size();
  std::string data(message);
  if (CK_RV rv = m->C_Sign(token_->session, reinterpret_cast<CK_BYTE*>(data.data()), data.size(),
                           reinterpret_cast<CK_BYTE*>(signature.data()), &len);
      rv != CKR_OK) {
    return Failed("C_Sign", rv);
  }
  if (len != 64) return Unavailable("the token's Ed25519 signature is not 64 bytes");
  return signature;
}

}  // namespace strongroom
