// serve: strongroomd, the HTTPS service over a data directory.
#include <signal.h>

#include <boost/asio/ip/address.hpp>

#include "base/file.h"
#include "cli/command_line.h"
#include "server/http_server.h"
#include "server/service.h"
#include "server/tls.h"

namespace strongroom {
namespace {

// "127.0.0.1:8443", "[::1]:8443", "localhost:0".
Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    return InvalidArgument("--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8443");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535)
    return InvalidArgument("--listen: invalid port in '" + listen + "'");
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec) return InvalidArgument("--listen: '" + host + "' is not an IP address");
  return std::pair{host, static_cast<uint16_t>(port)};
}

bool Loopback(const std::string& host) {
  boost::system::error_code ec;
  return boost::asio::ip::make_address(host, ec).is_loopback() && !ec;
}

}  // namespace

void CommandLine::AddServeCommand() {
  auto* serve =
      app_.add_subcommand("serve", "run strongroomd, the HTTPS service, on a data directory");
  DataOption(serve);
  serve->add_option("--listen", listen, "ADDRESS:PORT (default 127.0.0.1:8443; port 0: any free)");
  serve->add_option("--cert", cert_file, "TLS certificate chain, PEM (default DIR/tls.crt)");
  serve->add_option("--key", key_file, "TLS private key, PEM (default DIR/tls.key)");
  serve->add_flag("--plain-http", plain_http, "serve plain HTTP (loopback addresses only)");
  serve->add_option("--body-limit", body_limit, "largest request body accepted, bytes")
      ->check(CLI::Range(size_t{1024}, size_t{64} << 20));
  serve
      ->add_option("--max-connections", max_connections,
                   "connections served at once; more wait in the listen backlog (default 512)")
      ->check(CLI::Range(1, 100000));
  serve
      ->add_option("--max-connections-per-address", max_connections_per_address,
                   "connections one client address may hold open; more are closed at once "
                   "(default 64; 0: no limit, for a service behind a proxy all clients share)")
      ->check(CLI::NonNegativeNumber);
  serve->add_option("--witness", witness_keys,
                    "accept cosignatures from this witness (cosignature/v1 vkey); repeatable");
  LogPassphraseOptions(serve);
  serve->add_flag("--plaintext-log-key", plaintext_log_key,
                  "serve with a log key that is not sealed (anyone who can read the data "
                  "directory can then sign as the log: for trials only)");
  serve->callback([this] {
    handler_ = [this]() -> Result<Output> {
      SR_ASSIGN_OR_RETURN(auto where, ParseListen(listen));
      ServiceOptions service_options;
      service_options.log_passphrase = LogPassphrase();
      service_options.require_sealed_log_key = !plaintext_log_key;
      for (const std::string& w : witness_keys) {
        auto v = NoteVerifier::FromVkey(w, kNoteCosignatureV1);
        if (!v.ok()) return InvalidArgument("--witness: " + v.status().message());
        service_options.witnesses.push_back(*v);
      }
      const auto& [host, port] = where;
      std::unique_ptr<boost::asio::ssl::context> tls;
      if (plain_http) {
        if (!Loopback(host)) {
          return InvalidArgument("--plain-http is only allowed on a loopback address, not " + host);
        }
      } else {
        const bool defaults = cert_file.empty() && key_file.empty();
        if (cert_file.empty() != key_file.empty()) {
          return InvalidArgument("give both --cert and --key, or neither");
        }
        const std::string cert = defaults ? dir + "/tls.crt" : cert_file;
        const std::string key = defaults ? dir + "/tls.key" : key_file;
        if (defaults && !PathExists(cert) && PathExists(dir + "/log.vkey")) {
          SR_RETURN_IF_ERROR(
              WriteSelfSignedCertificate(cert, key, {"localhost", "127.0.0.1", "::1"}));
          out_ << "generated a self-signed certificate for local use: " << cert << std::endl;
        }
        SR_ASSIGN_OR_RETURN(tls, ServerTlsContext(cert, key));
      }
      // SIGTERM and SIGINT are taken by sigwait below, in this thread: block
      // them before any thread starts so that none of them gets one.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGTERM);
      sigaddset(&signals, SIGINT);
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);
      service_options.access_log = stderr;  // JSON lines; stdout says where it listens
      SR_ASSIGN_OR_RETURN(auto service,
                          Service::Open(dir, service_options, SystemClock(), SystemRandom()));
      HttpServerOptions options;
      options.address = host;
      options.port = port;
      options.tls = tls.get();
      options.body_limit = body_limit;
      options.max_connections = max_connections;
      options.max_connections_per_address =
          max_connections_per_address == 0 ? max_connections : max_connections_per_address;
      SR_ASSIGN_OR_RETURN(
          auto server, HttpServer::Start(options, [s = service.get()](HttpRequest r, Respond done) {
            s->Handle(std::move(r), std::move(done));
          }));
      const std::string shown = host.find(':') == std::string::npos ? host : "[" + host + "]";
      const auto [rows, seconds] = service->projection_check();
      char took[32];
      std::snprintf(took, sizeof took, "%.2f", seconds);
      out_ << "checked " << rows << " projection rows against their MACs in " << took << " s"
           << std::endl;
      out_ << "strongroomd listening on " << (tls ? "https" : "http") << "://" << shown << ":"
           << server->port() << "/" << std::endl;
      int signal = 0;
      sigwait(&signals, &signal);
      // Answer what is in flight, then commit and answer what is queued.
      server->Stop(std::chrono::seconds(5));
      service.reset();
      server.reset();
      Output o;
      o.text = std::string("stopped on ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT");
      o.data = {{"stopped", o.text}};
      return o;
    };
  });
}

}  // namespace strongroom
