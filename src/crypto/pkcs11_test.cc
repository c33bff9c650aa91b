// A log key in a real PKCS#11 token (Debian's SoftHSM2): made there, used
// there, never readable out of it (issue 12: the database administrator
// cannot sign as the log).
#include "crypto/pkcs11.h"

#include <gtest/gtest.h>
#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>

#include <filesystem>
#include <vector>

#include "crypto/softhsm_token.h"

namespace strongroom {
namespace {

// The token as anyone holding its PIN sees it through PKCS#11 directly:
// what an insider with the PIN and their own tools could try.
class RawSession {
 public:
  RawSession(const SoftHsmToken& token, const std::string& pin) {
    module_ = p11_kit_module_load(kSoftHsmModule, 0);
    if (!module_ || p11_kit_module_initialize(module_) != CKR_OK) return;
    CK_ULONG n = 0;
    module_->C_GetSlotList(CK_TRUE, nullptr, &n);
    std::vector<CK_SLOT_ID> slots(n);
    module_->C_GetSlotList(CK_TRUE, slots.data(), &n);
    for (CK_SLOT_ID slot : slots) {
      CK_TOKEN_INFO info;
      if (module_->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
      std::string label(reinterpret_cast<char*>(info.label), sizeof info.label);
      if (label.rfind(token.label + " ", 0) != 0 && label != token.label) continue;
      if (module_->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                                 &session_) != CKR_OK) {
        return;
      }
      std::string p = pin;
      login_ = module_->C_Login(session_, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(p.data()),
                                p.size());
      return;
    }
  }
  ~RawSession() {
    if (!module_) return;
    if (session_ != CK_INVALID_HANDLE) module_->C_CloseSession(session_);
    p11_kit_module_finalize(module_);
    p11_kit_module_release(module_);
  }
  CK_RV login() const { return login_; }

  std::vector<CK_OBJECT_HANDLE> Find(CK_OBJECT_CLASS cls, const std::string& label) {
    std::vector<CK_ATTRIBUTE> q = {{CKA_CLASS, &cls, sizeof cls},
                                   {CKA_LABEL, const_cast<char*>(label.data()), label.size()}};
    std::vector<CK_OBJECT_HANDLE> found(8);
    CK_ULONG n = 0;
    module_->C_FindObjectsInit(session_, q.data(), q.size());
    module_->C_FindObjects(session_, found.data(), found.size(), &n);
    module_->C_FindObjectsFinal(session_);
    found.resize(n);
    return found;
  }
  // The attribute's value, or the token's refusal.
  CK_RV Get(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type, std::string* value) {
    CK_ATTRIBUTE a{type, nullptr, 0};
    CK_RV rv = module_->C_GetAttributeValue(session_, object, &a, 1);
    if (rv != CKR_OK) return rv;
    value->assign(a.ulValueLen, '\0');
    a.pValue = value->data();
    return module_->C_GetAttributeValue(session_, object, &a, 1);
  }
  // A key pair anyone could read the private half of.
  CK_RV GenerateExtractable(const std::string& label) {
    static const unsigned char params[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    std::string l = label;
    std::vector<CK_ATTRIBUTE> pub = {{CKA_TOKEN, &yes, sizeof yes},
                                     {CKA_EC_PARAMS, const_cast<unsigned char*>(params), 5},
                                     {CKA_LABEL, l.data(), l.size()}};
    std::vector<CK_ATTRIBUTE> priv = {{CKA_TOKEN, &yes, sizeof yes},
                                      {CKA_SENSITIVE, &no, sizeof no},
                                      {CKA_EXTRACTABLE, &yes, sizeof yes},
                                      {CKA_SIGN, &yes, sizeof yes},
                                      {CKA_LABEL, l.data(), l.size()}};
    CK_MECHANISM m{CKM_EC_EDWARDS_KEY_PAIR_GEN, nullptr, 0};
    CK_OBJECT_HANDLE a = 0, b = 0;
    return module_->C_GenerateKeyPair(session_, &m, pub.data(), pub.size(), priv.data(),
                                      priv.size(), &a, &b);
  }

 private:
  CK_FUNCTION_LIST* module_ = nullptr;
  CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
  CK_RV login_ = CKR_GENERAL_ERROR;
};

TEST(Pkcs11KeyTest, AKeyMadeInTheTokenSignsThereAndNeverLeavesIt) {
  auto token = MakeSoftHsmToken("made-here");
  ASSERT_TRUE(token.ok()) << token.status().message();
  auto key = Pkcs11Key::Generate(token->Uri("log-key"), token->pin);
  ASSERT_TRUE(key.ok()) << key.status().message();
  ASSERT_EQ((*key)->public_key().size(), 32u);
  auto sig = (*key)->Sign("a checkpoint body\n");
  ASSERT_TRUE(sig.ok()) << sig.status().message();
  EXPECT_TRUE(Ed25519Verify((*key)->public_key(), "a checkpoint body\n", *sig));
  EXPECT_FALSE(Ed25519Verify((*key)->public_key(), "another body\n", *sig));
  EXPECT_EQ((*key)->Sign("a checkpoint body\n").value(), *sig);  // pure Ed25519: deterministic

  // Opened again (another process would): the same key.
  key->reset();
  auto again = Pkcs11Key::Open(token->Uri("log-key"), token->pin);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(Ed25519Verify((*again)->public_key(), "a checkpoint body\n", *sig));

  // Whoever holds the PIN and any PKCS#11 tool still cannot read it out.
  RawSession raw(*token, token->pin);
  ASSERT_EQ(raw.login(), CKR_USER_ALREADY_LOGGED_IN);  // the process shares one login
  std::vector<CK_OBJECT_HANDLE> privates = raw.Find(CKO_PRIVATE_KEY, "log-key");
  ASSERT_EQ(privates.size(), 1u);
  std::string value;
  EXPECT_EQ(raw.Get(privates[0], CKA_VALUE, &value), CKR_ATTRIBUTE_SENSITIVE);
  ASSERT_EQ(raw.Get(privates[0], CKA_EXTRACTABLE, &value), CKR_OK);
  EXPECT_EQ(value, std::string(1, CK_FALSE));
  ASSERT_EQ(raw.Get(privates[0], CKA_PRIVATE, &value), CKR_OK);
  EXPECT_EQ(value, std::string(1, CK_TRUE));
  // And a second key by the same name is refused (a log has one key).
  EXPECT_EQ(Pkcs11Key::Generate(token->Uri("log-key"), token->pin).status().code(),
            StatusCode::kAlreadyExists);
}

TEST(Pkcs11KeyTest, OnlyTheTokensPinOpensIt) {
  auto token = MakeSoftHsmToken("pin-checked");
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(Pkcs11Key::Generate(token->Uri("k"), "not the pin").status().code(),
            StatusCode::kUnauthenticated);
  auto key = Pkcs11Key::Generate(token->Uri("k"), token->pin);
  ASSERT_TRUE(key.ok()) << key.status().message();
  // While the process is logged in to the token, a wrong PIN still opens
  // nothing (PKCS#11 would answer CKR_USER_ALREADY_LOGGED_IN to any PIN).
  auto wrong = Pkcs11Key::Open(token->Uri("k"), "not the pin");
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnauthenticated) << wrong.status().message();
  EXPECT_EQ(Pkcs11Key::Open(token->Uri("k"), "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Pkcs11Key::Open(token->Uri("k"), token->pin).ok());
}

TEST(Pkcs11KeyTest, AMissingTokenOrKeyIsNamed) {
  auto token = MakeSoftHsmToken("lookups");
  ASSERT_TRUE(token.ok()) << token.status().message();
  auto no_key = Pkcs11Key::Open(token->Uri("never-made"), token->pin);
  EXPECT_EQ(no_key.status().code(), StatusCode::kNotFound);
  EXPECT_NE(no_key.status().message().find("no Ed25519 key 'never-made'"), std::string::npos)
      << no_key.status().message();
  SoftHsmToken absent = *token;
  absent.label = "no-such-token";
  EXPECT_EQ(Pkcs11Key::Open(absent.Uri("k"), token->pin).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Pkcs11Key::Open("pkcs11:token=x;object=k?module-path=/nonexistent/module.so", "1234")
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST(Pkcs11KeyTest, AKeyThatCanBeReadOutIsRefused) {
  auto token = MakeSoftHsmToken("extractable");
  ASSERT_TRUE(token.ok()) << token.status().message();
  {
    RawSession raw(*token, token->pin);
    ASSERT_EQ(raw.login(), CKR_OK);
    ASSERT_EQ(raw.GenerateExtractable("readable"), CKR_OK);
  }
  auto key = Pkcs11Key::Open(token->Uri("readable"), token->pin);
  EXPECT_EQ(key.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(key.status().message().find("can be read out of it"), std::string::npos)
      << key.status().message();
}

// The module is code the process runs and gives the PIN to: one that
// anyone but root could have written (put beside a store, say) is refused
// before it is loaded.
TEST(Pkcs11KeyTest, AModuleNotInstalledByRootIsNotLoaded) {
  auto token = MakeSoftHsmToken("module-check");
  ASSERT_TRUE(token.ok()) << token.status().message();
  const std::string dir = std::string(::testing::TempDir()) + "strongroom-module-check";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string copy = dir + "/module.so";
  std::filesystem::copy_file(kSoftHsmModule, copy);
  std::filesystem::permissions(copy, std::filesystem::perms::group_write,
                               std::filesystem::perm_options::add);
  const std::string uri = "pkcs11:token=" + token->label + ";object=k?module-path=" + copy;
  auto key = Pkcs11Key::Generate(uri, token->pin);
  EXPECT_EQ(key.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(key.status().message().find("is not installed by root"), std::string::npos)
      << key.status().message();
  EXPECT_TRUE(Pkcs11Key::Generate(token->Uri("k"), token->pin).ok());  // the installed one is
}

TEST(Pkcs11KeyTest, AUriNamesModuleTokenAndKeyAndNeverAPin) {
  const std::string m = std::string("?module-path=") + kSoftHsmModule;
  EXPECT_TRUE(Pkcs11Key::CheckUri("pkcs11:token=t;object=k" + m).ok());
  EXPECT_TRUE(Pkcs11Key::CheckUri("pkcs11:serial=0123;object=k;type=private" + m).ok());
  for (const std::string& bad : {
           std::string("pkcs11:token=t;object=k"),                              // no module
           std::string("pkcs11:token=t;object=k?module-path=libsofthsm2.so"),  // relative
           "pkcs11:object=k" + m,                                              // no token
           "pkcs11:token=t" + m,                                               // no key
           "pkcs11:token=t;object=k" + m + "&pin-value=1234",                  // a PIN
           "pkcs11:token=t;object=k" + m + "&pin-source=file:/tmp/pin",        // a PIN's file
           "pkcs11:token=t;object=k;frobnicate=1" + m,                         // unknown part
           std::string("https://token/key"),
           std::string("pkcs11:token=%zz;object=k") + m,
           std::string(5000, 'p'),
           "pkcs11:token=t;object=k\n" + m,                                  // a raw newline
           "pkcs11:token=t;object=k " + m,                                   // a raw space
           "pkcs11:token=t;object=a%0Ab" + m,                                // a decoded one
       }) {
    Status st = Pkcs11Key::CheckUri(bad);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(st.message().find('\n'), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace strongroom
