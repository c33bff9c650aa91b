// TLS for strongroomd: the self-signed certificate a new data directory
// gets for local use, and the server's OpenSSL context (TLS 1.2 and 1.3
// only) over a configured or generated certificate and key.
#ifndef STRONGROOM_SERVER_TLS_H_
#define STRONGROOM_SERVER_TLS_H_

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace strongroom {

// Writes a new ECDSA P-256 key (mode 0600) and a self-signed X.509 v3
// certificate for it, valid for `days` from now, for the DNS names and IP
// addresses in `names` (subjectAltName; the first is also the common name).
Status WriteSelfSignedCertificate(const std::string& cert_path, const std::string& key_path,
                                  const std::vector<std::string>& names, int days = 397);

// The TLS 1.2 suites strongroomd offers, in its order of preference: ECDHE
// with AES-GCM or ChaCha20-Poly1305 only.
inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";

// A server context over the PEM certificate chain and key; InvalidArgument
// naming the file if either cannot be loaded or they do not match.
Result<std::unique_ptr<boost::asio::ssl::context>> ServerTlsContext(const std::string& cert_path,
                                                                    const std::string& key_path);

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_TLS_H_
