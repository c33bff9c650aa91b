// HTTP requests and responses as strongroomd's handlers see them, and the
// one way a request is parsed (with the server's limits) and converted from
// Boost.Beast's form: used by the server and by the HTTP fuzz target.
#ifndef STRONGROOM_SERVER_HTTP_MESSAGE_H_
#define STRONGROOM_SERVER_HTTP_MESSAGE_H_

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace strongroom {

struct HttpRequest {
  std::string method;                                        // "GET", "POST", ...
  std::string path;                                          // the target up to '?', not decoded
  std::string query;                                         // after '?', not decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string peer;  // the client's address

  // The first header named `name` (lower-case), or "".
  std::string Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The handler answers each request exactly once, from any thread.
using Respond = std::function<void(HttpResponse)>;
inline constexpr size_t kHeaderLimit = 16 * 1024;  // bytes of request line and headers

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// A parser with the server's limits.
void LimitParser(RequestParser* parser, size_t body_limit);

// What makes a parsed request ambiguous, which RFC 9112 lets (or tells) a
// server refuse, and this one does: an HTTP/1.1 request without exactly one
// Host (§3.2); a Transfer-Encoding other than exactly "chunked", or one sent
// with Content-Length (§6.1, §6.3: the request smuggling cases); two
// Authorization or Content-Length fields. None if the request is clear.
std::optional<std::string> ProtocolViolation(
    const boost::beast::http::request<boost::beast::http::string_body>& request);

// The request a parser produced, as handlers see it (header names lower-case).
HttpRequest ToHttpRequest(boost::beast::http::request<boost::beast::http::string_body> request,
                          std::string peer);

// `text` (request bytes: a path, a peer, an error about them) appended as a
// JSON string: quotes and backslashes escaped, every byte outside printable
// ASCII as \u00XX of its value, so any input gives valid JSON.
void AppendJsonString(std::string_view text, std::string* out);

// One whole request parsed from `raw` as the server would parse it.
// InvalidArgument for malformed or incomplete input or one over a limit.
Result<HttpRequest> ParseHttpRequest(std::string_view raw, size_t body_limit);

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_HTTP_MESSAGE_H_
