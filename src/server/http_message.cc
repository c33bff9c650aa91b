#include "server/http_message.h"

#include <algorithm>
#include <boost/asio/buffer.hpp>

namespace strongroom {

namespace http = boost::beast::http;

std::string HttpRequest::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

std::optional<std::string> ProtocolViolation(const http::request<http::string_body>& req) {
  if (req.version() >= 11 && req.count(http::field::host) != 1) {
    return "an HTTP/1.1 request needs exactly one Host header";
  }
  if (req.count(http::field::authorization) > 1) return "two Authorization headers";
  if (req.count(http::field::content_length) > 1) return "two Content-Length headers";
  if (req.count(http::field::transfer_encoding) > 0) {
    if (req.count(http::field::transfer_encoding) > 1 ||
        !boost::beast::iequals(req[http::field::transfer_encoding], "chunked")) {
      return "the only transfer coding accepted is chunked";
    }
    if (req.count(http::field::content_length) > 0) {
      return "Transfer-Encoding and Content-Length together";
    }
  }
  return std::nullopt;
}

void LimitParser(RequestParser* parser, size_t body_limit) {
  parser->body_limit(body_limit);
  parser->header_limit(kHeaderLimit);
}

HttpRequest ToHttpRequest(http::request<http::string_body> req, std::string peer) {
  HttpRequest r;
  r.method = std::string(req.method_string());
  const std::string target(req.target());
  const size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  for (const auto& field : req) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = std::move(req.body());
  r.peer = std::move(peer);
  return r;
}

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    if (b == '"' || b == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (b >= 0x20 && b < 0x7f) {
      out->push_back(ch);
    } else {
      out->append("\\u00");
      out->push_back(kHex[b >> 4]);
      out->push_back(kHex[b & 15]);
    }
  }
  out->push_back('"');
}

Result<HttpRequest> ParseHttpRequest(std::string_view raw, size_t body_limit) {
  RequestParser parser;
  LimitParser(&parser, body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  while (!raw.empty() && !parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(raw.data(), raw.size()), ec);
    if (ec == http::error::need_more) break;
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      return InvalidArgument("HTTP request over a limit: " + ec.message());
    }
    if (ec) return InvalidArgument("malformed HTTP request: " + ec.message());
    if (used == 0) break;
    raw.remove_prefix(used);
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return InvalidArgument("incomplete HTTP request");
  }
  return ToHttpRequest(parser.release(), "");
}

}  // namespace strongroom
