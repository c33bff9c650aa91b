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

// `location` is a directory or an http:// or https:// URL prefix.
Result<std::unique_ptr<TreeSource>> OpenTreeSource(const std::string& location);

}  // namespace strongroom

#endif  // STRONGROOM_VERIFY_FETCH_H_
