// An HTTP/1.1 server over TLS (or, on request, plain TCP) on Boost.Beast:
// keep-alive, a body limit, timeouts for slow and idle clients, and an
// asynchronous handler so that a request waiting on the sequencer holds no
// thread. It knows nothing about Strongroom: the Service (service.h) is the
// handler.
#ifndef STRONGROOM_SERVER_HTTP_SERVER_H_
#define STRONGROOM_SERVER_HTTP_SERVER_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/status.h"
#include "server/http_message.h"

namespace strongroom {

using HttpHandler = std::function<void(HttpRequest, Respond)>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8443;                      // 0: any free port (see HttpServer::port())
  boost::asio::ssl::context* tls = nullptr;  // null: plain HTTP
  size_t body_limit = 1 << 20;
  std::chrono::seconds read_timeout{30};   // a whole request, once it starts
  // Until the next request is read whole: after the TLS handshake, or
  // between requests on a kept-alive connection. (It was 120 s: eight
  // sockets that sent nothing held a server capped at eight connections.)
  std::chrono::seconds idle_timeout{30};
  int threads = 2;
  int max_connections = 512;  // more wait in the listen backlog until one closes
  // Connections one client address may hold open; more are closed at once.
  int max_connections_per_address = 64;
};

// Safe for concurrent use.
class HttpServer {
 public:
  // Binds and starts serving on its own threads.
  static Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // Stop()s

  uint16_t port() const { return port_; }
  // Stops accepting, then gives open connections `grace` to finish the
  // responses they owe before closing everything.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));
  // Requests received so far (for metrics).
  uint64_t requests() const;
  // accept() failures so far (each followed by a growing pause), and the
  // connections open now.
  uint64_t accept_errors() const;
  int connections() const;
  // Connections closed at once because their address held its share.
  uint64_t refused_by_address() const;

  struct State;  // the implementation's, shared with its connections

 private:
  explicit HttpServer(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
  uint16_t port_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_HTTP_SERVER_H_
