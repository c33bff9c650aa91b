// strongroomd's access log: one JSON line per request (time, peer, method,
// path, status, milliseconds; never a body, a header or a token), written by
// a thread of its own. Request threads only append to a buffer; the buffer
// goes out every 100 ms, or sooner once it holds 64 KiB, and when the log is
// destroyed. A write to the terminal per request cost a system call and a
// contended lock on every answer (14 % of the server's time serving tiles).
// It is an operator's log, not evidence: the custody log is the record, and
// a refused read is logged there.
#ifndef STRONGROOM_SERVER_ACCESS_LOG_H_
#define STRONGROOM_SERVER_ACCESS_LOG_H_

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "base/clock.h"
#include "server/http_message.h"

namespace strongroom {

// Safe for concurrent use.
class AccessLog {
 public:
  // `out` null: a log that writes nothing.
  explicit AccessLog(FILE* out);
  ~AccessLog();  // writes what is buffered
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void Record(UnixMicros time, std::string_view peer, std::string_view method,
              std::string_view path, int status, double seconds);

 private:
  void Run();

  FILE* out_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_ACCESS_LOG_H_
