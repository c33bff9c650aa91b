// strongroomd's TLS: forward-secret AEAD suites only in TLS 1.2 (no CBC:
// LUCKY13, flagged by testssl.sh), chosen in the server's order, and a
// self-signed default certificate that lives under 398 days. The handshakes
// run between a real OpenSSL client and the server's own context, over an
// in-memory pair of BIOs.
#include "server/tls.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>

namespace strongroom {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(::testing::TempDir()) + "strongroom-tls";
    std::filesystem::create_directories(dir_);
    ASSERT_TRUE(WriteSelfSignedCertificate(dir_ + "/tls.crt", dir_ + "/tls.key", {"localhost"})
                    .ok());
    auto ctx = ServerTlsContext(dir_ + "/tls.crt", dir_ + "/tls.key");
    ASSERT_TRUE(ctx.ok()) << ctx.status().message();
    server_ = std::move(*ctx);
  }
  // Whether a client limited to TLS 1.2 and `ciphers` completes a handshake
  // with the server; the suite agreed in `agreed`.
  bool Handshake(const char* ciphers, std::string* agreed = nullptr) {
    SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_max_proto_version(client_ctx, TLS1_2_VERSION);
    SSL_CTX_set_min_proto_version(client_ctx, TLS1_2_VERSION);
    EXPECT_EQ(SSL_CTX_set_cipher_list(client_ctx, ciphers), 1) << ciphers;
    SSL* client = SSL_new(client_ctx);
    SSL* server = SSL_new(server_->native_handle());
    BIO *client_bio, *server_bio;
    BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
    SSL_set_bio(client, client_bio, client_bio);
    SSL_set_bio(server, server_bio, server_bio);
    SSL_set_connect_state(client);
    SSL_set_accept_state(server);
    bool done = false, failed = false;
    for (int round = 0; round < 20 && !done && !failed; ++round) {
      const int c = SSL_do_handshake(client);
      const int s = SSL_do_handshake(server);
      done = c == 1 && s == 1;
      auto fatal = [](SSL* ssl, int r) {
        const int e = SSL_get_error(ssl, r);
        return r != 1 && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE;
      };
      failed = fatal(client, c) || fatal(server, s);
    }
    if (done && agreed) *agreed = SSL_CIPHER_get_name(SSL_get_current_cipher(server));
    SSL_free(client);
    SSL_free(server);
    SSL_CTX_free(client_ctx);
    return done;
  }

  std::string dir_;
  std::unique_ptr<boost::asio::ssl::context> server_;
};

TEST_F(TlsTest, Tls12OffersOnlyForwardSecretAeadSuitesInTheServersOrder) {
  // Every TLS 1.2 suite the server would take is an AEAD with ECDHE.
  SSL* probe = SSL_new(server_->native_handle());
  STACK_OF(SSL_CIPHER)* suites = SSL_get_ciphers(probe);
  int tls12 = 0;
  for (int i = 0; i < sk_SSL_CIPHER_num(suites); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(suites, i);
    if (std::string(SSL_CIPHER_get_version(c)) == "TLSv1.3") continue;  // AEAD by design
    ++tls12;
    EXPECT_TRUE(SSL_CIPHER_is_aead(c)) << SSL_CIPHER_get_name(c);
    EXPECT_EQ(SSL_CIPHER_get_kx_nid(c), NID_kx_ecdhe) << SSL_CIPHER_get_name(c);
  }
  SSL_free(probe);
  EXPECT_GT(tls12, 0);
  EXPECT_NE(SSL_CTX_get_options(server_->native_handle()) & SSL_OP_CIPHER_SERVER_PREFERENCE, 0u);

  // A client that offers only CBC suites (as testssl.sh's LUCKY13 check
  // does) gets no connection; one that also offers GCM gets GCM, whatever
  // its own order.
  EXPECT_FALSE(Handshake("ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA:AES128-SHA"));
  std::string agreed;
  ASSERT_TRUE(Handshake("ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-GCM-SHA384:"
                        "ECDHE-ECDSA-AES128-GCM-SHA256",
                        &agreed));
  EXPECT_EQ(agreed, "ECDHE-ECDSA-AES128-GCM-SHA256");  // the server's first choice
}

TEST_F(TlsTest, TheDefaultCertificateLivesUnder398Days) {
  FILE* f = std::fopen((dir_ + "/tls.crt").c_str(), "r");
  ASSERT_NE(f, nullptr);
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_NE(cert, nullptr);
  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert)),
            1);
  X509_free(cert);
  EXPECT_LT(days, 398);  // the CA/Browser Forum's limit for server certificates
  EXPECT_GE(days, 390);
}

}  // namespace
}  // namespace strongroom
