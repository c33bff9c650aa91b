#include "server/access_log.h"

#include <chrono>
#include <cmath>

namespace strongroom {

namespace {
constexpr size_t kFlushAt = 64 * 1024;
constexpr auto kFlushEvery = std::chrono::milliseconds(100);
}  // namespace

AccessLog::AccessLog(FILE* out) : out_(out) {
  if (out_) thread_ = std::thread([this] { Run(); });
}

AccessLog::~AccessLog() {
  if (!out_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void AccessLog::Record(UnixMicros time, std::string_view peer, std::string_view method,
                       std::string_view path, int status, double seconds) {
  if (!out_) return;
  std::string line = "{\"time\":";
  AppendJsonString(FormatRfc3339(time), &line);
  line += ",\"peer\":";
  AppendJsonString(peer, &line);
  line += ",\"method\":";
  AppendJsonString(method, &line);
  line += ",\"path\":";
  AppendJsonString(path, &line);
  char tail[64];
  std::snprintf(tail, sizeof tail, ",\"status\":%d,\"ms\":%.2f}\n", status,
                std::round(seconds * 1e5) / 100);
  line += tail;
  bool full;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ += line;
    full = pending_.size() >= kFlushAt;
  }
  if (full) cv_.notify_one();
}

void AccessLog::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait_for(lock, kFlushEvery, [&] { return stopping_ || pending_.size() >= kFlushAt; });
    std::string out;
    out.swap(pending_);
    const bool last = stopping_;
    lock.unlock();
    if (!out.empty()) {
      std::fwrite(out.data(), 1, out.size(), out_);
      std::fflush(out_);
    }
    if (last) return;
    lock.lock();
  }
}

}  // namespace strongroom
