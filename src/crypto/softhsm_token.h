// Tests only: a new SoftHSM2 token (Debian's softhsm2) to hold keys in.
// Every token of the process lives in one temporary directory, which
// SOFTHSM2_CONF names before SoftHSM is first loaded.
#ifndef STRONGROOM_CRYPTO_SOFTHSM_TOKEN_H_
#define STRONGROOM_CRYPTO_SOFTHSM_TOKEN_H_

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/status.h"

namespace strongroom {

inline constexpr const char* kSoftHsmModule = "/usr/lib/softhsm/libsofthsm2.so";

struct SoftHsmToken {
  std::string label;
  std::string pin = "user-pin-1234";
  std::string so_pin = "so-pin-5678";
  // The URI of key `object` in this token.
  std::string Uri(const std::string& object) const {
    return "pkcs11:token=" + label + ";object=" + object + "?module-path=" + kSoftHsmModule;
  }
};

// Initialises a token labelled `label` (letters, digits and '-') with
// softhsm2-util, as an operator would.
inline Result<SoftHsmToken> MakeSoftHsmToken(const std::string& label) {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string d = std::string(tmp ? tmp : "/tmp") + "/strongroom-softhsm-" +
                    std::to_string(::getpid());
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d + "/tokens");
    std::ofstream(d + "/softhsm2.conf") << "directories.tokendir = " << d << "/tokens\n"
                                        << "objectstore.backend = file\nlog.level = ERROR\n";
    ::setenv("SOFTHSM2_CONF", (d + "/softhsm2.conf").c_str(), 1);
    return d;
  }();
  SoftHsmToken t;
  t.label = label;
  const std::string command = "softhsm2-util --init-token --free --label " + label +
                              " --so-pin " + t.so_pin + " --pin " + t.pin + " >" + dir +
                              "/init.log 2>&1";
  if (std::system(command.c_str()) != 0) {
    return Internal("softhsm2-util could not make token " + label + " (see " + dir + "/init.log)");
  }
  return t;
}

}  // namespace strongroom

#endif  // STRONGROOM_CRYPTO_SOFTHSM_TOKEN_H_
