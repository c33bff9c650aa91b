// Reading a published C2SP tlog-tiles tree, from a directory or over HTTP(S).
#ifndef STRONGROOM_VERIFY_FETCH_H_
#define STRONGROOM_VERIFY_FETCH_H_

#include <memory>
#include <string>

#include "base/status.h"

namespace strongroom {

// Thread-compatible.
class TreeSource {
 public:
  virtual ~TreeSource() = default;
  // The file at `path` relative to the tree root ("checkpoint",
  // "tile/0/000"); NotFound if it does not exist.
  virtual Result<std::string> Fetch(const std::string& path) = 0;
};

struct HttpOptions {
  std::string ca_file;       // trust only these certificates (default: the system's)
  std::string bearer_token;  // sent as "Authorization: Bearer TOKEN" if set
};

struct HttpReply {
  long status = 0;
  std::string body;
};

// One HTTP(S) request (a body makes it a JSON or text POST). Unavailable
// if the server cannot be reached; any HTTP status is a reply.
Result<HttpReply> HttpCall(const std::string& method, const std::string& url,
                           const std::string& body, const HttpOptions& options);

// `location` is a directory or an http:// or https:// URL prefix.
Result<std::unique_ptr<TreeSource>> OpenTreeSource(const std::string& location,
                                                   HttpOptions options = {});

}  // namespace strongroom

#endif  // STRONGROOM_VERIFY_FETCH_H_
