// An open-loop HTTPS load generator: requests are due at a fixed rate
// whether or not earlier ones have been answered, and each latency is
// measured from the moment the request was due, not from when a connection
// was free to send it. A closed-loop tool such as wrk waits for answers
// before sending more and so hides queueing delay ("coordinated omission");
// wrk2 fixes that but is not packaged in Debian.
//
//   http_open_loop --url https://127.0.0.1:PORT/api/v1/events --rate 5000
//                  --seconds 10 --connections 64 [--cacert F] [--token T]
//                  [--body JSON]   (POST with a body, GET without)
//
// Prints one line of figures; exit 1 if any request failed.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <iostream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string url, cacert, token, body;
  double rate = 1000;
  double seconds = 10;
  int connections = 64;
};

struct Target {
  std::string host, port, path;
};

struct Figures {
  uint64_t due = 0, answered = 0, failed = 0, not_2xx = 0;
  std::vector<double> latencies_us;  // due -> response read
};

class Generator;

// One keep-alive connection; sends one request at a time.
class Connection {
 public:
  Connection(Generator* g, net::io_context& ioc, ssl::context& ctx) : g_(g), stream_(ioc, ctx) {}
  void Connect(const tcp::resolver::results_type& endpoints, const std::string& host);
  void Send(Clock::time_point due);
  bool idle() const { return ready_ && !busy_; }

 private:
  void OnRead(beast::error_code ec);

  Generator* g_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  Clock::time_point due_;
  bool ready_ = false, busy_ = false;
};

class Generator {
 public:
  Generator(Options o, Target t) : o_(std::move(o)), t_(std::move(t)) {}

  int Run() {
    ssl::context ctx(ssl::context::tls_client);
    if (!o_.cacert.empty()) {
      ctx.load_verify_file(o_.cacert);
      ctx.set_verify_mode(ssl::verify_peer);
    }
    tcp::resolver resolver(ioc_);
    const auto endpoints = resolver.resolve(t_.host, t_.port);
    for (int i = 0; i < o_.connections; ++i) {
      conns_.push_back(std::make_unique<Connection>(this, ioc_, ctx));
      conns_.back()->Connect(endpoints, t_.host);
    }
    // Every connection's TLS handshake first, so that it is not measured.
    while (connected_ < o_.connections && !broken_) ioc_.run_one();
    if (broken_) return 2;
    ioc_.restart();  // it ran out of work once the handshakes were done
    start_ = Clock::now();
    end_ = start_ +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.seconds));
    Tick();
    // Run until every due request is answered or has failed; a stalled
    // server gets 30 s past the end before the rest count as failed.
    const auto give_up = end_ + std::chrono::seconds(30);
    while (!(sending_done_ && f_.answered + f_.failed == f_.due) && Clock::now() < give_up) {
      ioc_.run_one_for(std::chrono::milliseconds(100));
    }
    f_.failed = f_.due - f_.answered;
    Report();
    return f_.failed == 0 && f_.not_2xx == 0 && f_.answered == f_.due ? 0 : 1;
  }

  http::request<http::string_body> MakeRequest() const {
    http::request<http::string_body> r(o_.body.empty() ? http::verb::get : http::verb::post,
                                       t_.path, 11);
    r.set(http::field::host, t_.host);
    if (!o_.token.empty()) r.set(http::field::authorization, "Bearer " + o_.token);
    if (!o_.body.empty()) {
      r.set(http::field::content_type, "application/json");
      r.body() = o_.body;
    }
    r.keep_alive(true);
    r.prepare_payload();
    return r;
  }

  void Connected() { ++connected_; }
  void Broken(const std::string& what) {
    if (!broken_) std::cerr << "http_open_loop: " << what << std::endl;
    broken_ = true;
  }

  // `closing`: the server ended the connection with this answer.
  void Answered(Clock::time_point due, int status, bool closing) {
    ++f_.answered;
    lost_connections_ += closing;
    if (status / 100 != 2) ++f_.not_2xx;
    f_.latencies_us.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - due).count());
    Dispatch();
  }
  void Failed() {
    ++f_.failed;
    ++lost_connections_;
    Dispatch();
  }

 private:
  // Makes due every request whose time has come, then sleeps until the next.
  void Tick() {
    const auto now = Clock::now();
    const double per_request = 1.0 / o_.rate;
    for (;;) {
      const auto due = start_ + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(f_.due * per_request));
      if (due > now || due >= end_) break;
      waiting_.push_back(due);
      ++f_.due;
    }
    Dispatch();
    const auto next = start_ + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(f_.due * per_request));
    if (next >= end_) {
      sending_done_ = true;
      return;
    }
    timer_.expires_at(next);
    timer_.async_wait([this](beast::error_code) { Tick(); });
  }

  void Dispatch() {
    for (auto& c : conns_) {
      if (waiting_.empty()) return;
      if (c->idle()) {
        c->Send(waiting_.front());
        waiting_.pop_front();
      }
    }
    if (!waiting_.empty() && lost_connections_ == o_.connections) {
      f_.failed += waiting_.size();
      waiting_.clear();
    }
  }

  void Report() {
    auto& l = f_.latencies_us;
    std::sort(l.begin(), l.end());
    auto at = [&](double q) {
      return l.empty() ? 0.0 : l[std::min(l.size() - 1, static_cast<size_t>(q * l.size()))] / 1000;
    };
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    std::printf(
        "rate %.0f/s for %.1f s over %d connections: %llu due, %llu answered (%.0f/s), "
        "%llu not 2xx, %llu failed; latency from due time p50 %.2f ms, p90 %.2f ms, "
        "p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
        o_.rate, o_.seconds, o_.connections, static_cast<unsigned long long>(f_.due),
        static_cast<unsigned long long>(f_.answered), f_.answered / elapsed,
        static_cast<unsigned long long>(f_.not_2xx), static_cast<unsigned long long>(f_.failed),
        at(0.50), at(0.90), at(0.99), at(0.999), l.empty() ? 0.0 : l.back() / 1000);
  }

  Options o_;
  Target t_;
  net::io_context ioc_;
  net::steady_timer timer_{ioc_};
  std::vector<std::unique_ptr<Connection>> conns_;
  std::deque<Clock::time_point> waiting_;  // due, not yet sent
  Clock::time_point start_, end_;
  int connected_ = 0, lost_connections_ = 0;
  bool broken_ = false, sending_done_ = false;
  Figures f_;
};

void Connection::Connect(const tcp::resolver::results_type& endpoints, const std::string& host) {
  SSL_set_tlsext_host_name(stream_.native_handle(), host.c_str());
  beast::get_lowest_layer(stream_).async_connect(
      endpoints, [this](beast::error_code ec, const tcp::endpoint&) {
        if (ec) return g_->Broken("connect: " + ec.message());
        beast::get_lowest_layer(stream_).socket().set_option(tcp::no_delay(true));
        stream_.async_handshake(ssl::stream_base::client, [this](beast::error_code ec) {
          if (ec) return g_->Broken("TLS handshake: " + ec.message());
          ready_ = true;
          g_->Connected();
        });
      });
}

void Connection::Send(Clock::time_point due) {
  busy_ = true;
  due_ = due;
  request_ = g_->MakeRequest();
  http::async_write(stream_, request_, [this](beast::error_code ec, size_t) {
    if (ec) return OnRead(ec);
    response_ = {};
    http::async_read(stream_, buffer_, response_,
                     [this](beast::error_code ec, size_t) { OnRead(ec); });
  });
}

void Connection::OnRead(beast::error_code ec) {
  busy_ = false;
  if (ec) {
    ready_ = false;  // this connection is done; the others carry on
    return g_->Failed();
  }
  ready_ = response_.keep_alive();
  g_->Answered(due_, response_.result_int(), !ready_);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "open-loop HTTPS load at a fixed rate; latency measured from each request's due time"};
  Options o;
  app.add_option("--url", o.url, "https://HOST:PORT/PATH")->required();
  app.add_option("--rate", o.rate, "requests per second")->check(CLI::Range(1.0, 1e6));
  app.add_option("--seconds", o.seconds, "how long to send")->check(CLI::Range(0.1, 3600.0));
  app.add_option("--connections", o.connections, "keep-alive connections")
      ->check(CLI::Range(1, 10000));
  app.add_option("--cacert", o.cacert, "trust this certificate (PEM); default: no verification");
  app.add_option("--token", o.token, "bearer token");
  app.add_option("--body", o.body, "JSON body: POST it (default: GET)");
  CLI11_PARSE(app, argc, argv);
  std::smatch m;
  static const std::regex kUrl(R"(https://([^/:]+):(\d+)(/.*))");
  if (!std::regex_match(o.url, m, kUrl)) {
    std::cerr << "http_open_loop: --url must be https://HOST:PORT/PATH" << std::endl;
    return 2;
  }
  try {
    return Generator(o, Target{m[1], m[2], m[3]}).Run();
  } catch (const std::exception& e) {
    std::cerr << "http_open_loop: " << e.what() << std::endl;
    return 2;
  }
}
