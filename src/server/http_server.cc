#include "server/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace strongroom {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct HttpServer::State {
  HttpServerOptions options;
  HttpHandler handler;
  net::io_context ioc;
  // The acceptor, its pause timer and Stop()'s close run on one strand.
  net::strand<net::io_context::executor_type> accept_strand{ioc.get_executor()};
  tcp::acceptor acceptor{accept_strand};
  net::steady_timer accept_pause{
      accept_strand};  // backs off after accept errors and at the connection cap
  std::chrono::milliseconds accept_backoff{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> accept_errors{0};
  std::atomic<int> connections{0};    // open (constructed and not yet destroyed)
  std::atomic<int64_t> in_flight{0};  // requests read and not yet answered
  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> refused_by_address{0};
  std::mutex by_address_mu;
  std::unordered_map<std::string, int> by_address;  // open connections per client address

  // Counts a new connection from `peer`; false (and nothing counted) if
  // that address holds its share already.
  bool Admit(const std::string& peer) {
    std::lock_guard<std::mutex> lock(by_address_mu);
    int& n = by_address[peer];
    if (n >= options.max_connections_per_address) {
      if (n == 0) by_address.erase(peer);
      return false;
    }
    ++n;
    return true;
  }
  void Release(const std::string& peer) {
    std::lock_guard<std::mutex> lock(by_address_mu);
    if (auto it = by_address.find(peer); it != by_address.end() && --it->second <= 0) {
      by_address.erase(it);
    }
  }
};

namespace {

bool IsHttpParseError(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_target).category();
}

// One connection; Derived supplies stream(), Start() and Close(). Every
// handler runs on the connection's strand.
template <class Derived>
class Connection {
 public:
  // The caller has counted it under its address (State::Admit).
  Connection(HttpServer::State* state, std::string peer) : state_(state), peer_(std::move(peer)) {
    ++state_->connections;
  }
  ~Connection() {
    state_->Release(peer_);
    --state_->connections;
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void ReadRequest() {
    parser_.emplace();
    LimitParser(&*parser_, state_->options.body_limit);
    Lowest().expires_after(state_->options.idle_timeout);
    http::async_read_header(Self().stream(), buffer_, *parser_,
                            beast::bind_front_handler(&Connection::OnHeader, Shared()));
  }

 protected:
  Derived& Self() { return static_cast<Derived&>(*this); }
  std::shared_ptr<Derived> Shared() { return Self().shared_from_this(); }
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(Self().stream()); }

 private:
  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    Lowest().expires_after(state_->options.read_timeout);
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      // The client waits for this before sending its body (curl does for
      // bodies over 1 KiB); the body limit was already checked on the header.
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      return http::async_write(Self().stream(), *cont,
                               [self = Shared(), cont](beast::error_code ec, size_t) {
                                 if (ec) return self->Close();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(Self().stream(), buffer_, *parser_,
                     beast::bind_front_handler(&Connection::OnRead, Shared()));
  }

  void OnReadError(const beast::error_code& ec) {
    if (ec == http::error::body_limit) {
      return WriteError(413, "the request body is larger than " +
                                 std::to_string(state_->options.body_limit) + " bytes");
    }
    if (ec == http::error::header_limit) {
      return WriteError(431, "the request header is larger than 16384 bytes");
    }
    if (ec != http::error::end_of_stream && ec != http::error::partial_message &&
        IsHttpParseError(ec)) {
      return WriteError(400, "malformed HTTP request: " + ec.message());
    }
    Self().Close();  // the client went away, timed out, or TLS failed
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    http::request<http::string_body> req = parser_->release();
    if (auto why = ProtocolViolation(req)) return WriteError(400, "ambiguous HTTP request: " + *why);
    keep_alive_ = req.keep_alive();
    // HEAD is GET without the body (RFC 9110 §9.3.2): the same handler
    // (and the same decision, logged if refused), the same header fields.
    head_ = req.method() == http::verb::head;
    if (head_) req.method(http::verb::get);
    HttpRequest r = ToHttpRequest(std::move(req), peer_);
    ++state_->requests;
    ++state_->in_flight;
    counted_ = true;
    Lowest().expires_never();  // the handler answers; the write has its own timeout
    auto self = Shared();
    auto executor = Self().stream().get_executor();
    state_->handler(std::move(r), [self, executor](HttpResponse response) {
      net::post(executor, [self, response = std::move(response)]() mutable {
        self->Write(std::move(response));
      });
    });
  }

  void WriteError(int status, const std::string& message) {
    keep_alive_ = false;
    HttpResponse r;
    r.status = status;
    r.body = "{\"error\":";
    AppendJsonString(message, &r.body);
    r.body += "}";
    Write(std::move(r));
  }

 public:
  void Write(HttpResponse r) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "strongroomd");
    res->set(http::field::content_type, r.content_type);
    // Over TLS: browsers are to come back over TLS only (HSTS, a year). And
    // an answer is data, never a page to frame, sniff or run (a route that
    // serves pages sets its own policy in r.headers, which come after).
    if (state_->options.tls) res->set(http::field::strict_transport_security, "max-age=31536000");
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    res->set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    res->set("Referrer-Policy", "no-referrer");
    for (auto& [k, v] : r.headers) res->set(k, v);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive_ && !state_->stopping);
    res->prepare_payload();
    if (head_) {
      res->body().clear();  // Content-Length stays that of the GET's body
      head_ = false;
    }
    Lowest().expires_after(state_->options.read_timeout);
    http::async_write(Self().stream(), *res, [self = Shared(), res](beast::error_code ec, size_t) {
      self->OnWrite(ec, res->need_eof());
    });
  }

 private:
  void OnWrite(beast::error_code ec, bool close) {
    if (counted_) {
      --state_->in_flight;
      counted_ = false;
    }
    if (ec) return;
    if (close) return Self().Close();
    ReadRequest();
  }

 protected:
  HttpServer::State* state_;

 private:
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  bool keep_alive_ = false;
  bool head_ = false;  // the request being answered is a HEAD
  bool counted_ = false;
};

class PlainConnection : public Connection<PlainConnection>,
                        public std::enable_shared_from_this<PlainConnection> {
 public:
  PlainConnection(tcp::socket socket, HttpServer::State* state, std::string peer)
      : Connection(state, std::move(peer)), stream_(std::move(socket)) {}
  beast::tcp_stream& stream() { return stream_; }
  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadRequest(); });
  }
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

 private:
  beast::tcp_stream stream_;
};

class TlsConnection : public Connection<TlsConnection>,
                      public std::enable_shared_from_this<TlsConnection> {
 public:
  TlsConnection(tcp::socket socket, ssl::context& ctx, HttpServer::State* state, std::string peer)
      : Connection(state, std::move(peer)), stream_(std::move(socket), ctx) {}
  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      beast::get_lowest_layer(self->stream_).expires_after(self->state_->options.read_timeout);
      self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code ec) {
        if (!ec) self->ReadRequest();
      });
    });
  }
  void Close() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
  }

 private:
  beast::ssl_stream<beast::tcp_stream> stream_;
};

void Accept(HttpServer::State* st);

// Waits before the next accept: after an error such as EMFILE (out of file
// descriptors) re-accepting at once would spin on the same error, so the
// pause doubles from 5 ms up to 1 s and resets on the next success.
void AcceptLater(HttpServer::State* st, std::chrono::milliseconds pause) {
  st->accept_pause.expires_after(pause);
  st->accept_pause.async_wait([st](beast::error_code ec) {
    if (!ec && st->acceptor.is_open()) Accept(st);
  });
}

void Accept(HttpServer::State* st) {
  if (st->connections >= st->options.max_connections) {
    // At the cap new clients wait in the kernel's backlog, not in our memory.
    return AcceptLater(st, std::chrono::milliseconds(20));
  }
  st->acceptor.async_accept(
      net::make_strand(st->ioc), [st](beast::error_code ec, tcp::socket socket) {
        if (!st->acceptor.is_open()) return;  // stopped
        if (ec) {
          ++st->accept_errors;
          st->accept_backoff = std::clamp(st->accept_backoff * 2, std::chrono::milliseconds(5),
                                          std::chrono::milliseconds(1000));
          return AcceptLater(st, st->accept_backoff);
        }
        st->accept_backoff = std::chrono::milliseconds(0);
        beast::error_code peer_ec;
        const auto endpoint = socket.remote_endpoint(peer_ec);
        std::string peer = peer_ec ? "unknown" : endpoint.address().to_string();
        if (!st->Admit(peer)) {
          // One address may not hold every connection (idle sockets once
          // blocked a server at its cap): closed at once, unread.
          ++st->refused_by_address;
          beast::error_code ignored;
          socket.close(ignored);
          return Accept(st);
        }
        if (st->options.tls) {
          std::make_shared<TlsConnection>(std::move(socket), *st->options.tls, st, std::move(peer))
              ->Start();
        } else {
          std::make_shared<PlainConnection>(std::move(socket), st, std::move(peer))->Start();
        }
        Accept(st);
      });
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                      HttpHandler handler) {
  auto st = std::make_shared<State>();
  st->options = std::move(options);
  st->handler = std::move(handler);
  beast::error_code ec;
  const auto address = net::ip::make_address(st->options.address, ec);
  if (ec) return InvalidArgument("invalid listen address '" + st->options.address + "'");
  const tcp::endpoint endpoint(address, st->options.port);
  const std::string where = st->options.address + ":" + std::to_string(st->options.port);
  st->acceptor.open(endpoint.protocol(), ec);
  if (!ec) st->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) st->acceptor.bind(endpoint, ec);
  if (!ec) st->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Unavailable("cannot listen on " + where + ": " + ec.message());
  std::unique_ptr<HttpServer> server(new HttpServer(st));
  server->port_ = st->acceptor.local_endpoint().port();
  Accept(st.get());
  for (int i = 0; i < std::max(1, st->options.threads); ++i) {
    server->threads_.emplace_back([st] { st->ioc.run(); });
  }
  return server;
}

HttpServer::~HttpServer() { Stop(std::chrono::milliseconds(0)); }

void HttpServer::Stop(std::chrono::milliseconds grace) {
  if (!state_->stopping.exchange(true)) {
    net::post(state_->accept_strand, [st = state_.get()] {
      beast::error_code ec;
      st->acceptor.close(ec);
      st->accept_pause.cancel();
    });
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (state_->in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    state_->ioc.stop();
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

uint64_t HttpServer::requests() const { return state_->requests; }
uint64_t HttpServer::accept_errors() const { return state_->accept_errors; }
int HttpServer::connections() const { return state_->connections; }

uint64_t HttpServer::refused_by_address() const { return state_->refused_by_address; }

}  // namespace strongroom
