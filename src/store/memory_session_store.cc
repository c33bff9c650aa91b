#include <algorithm>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "store/session_store.h"

namespace strongroom {
namespace {

class MemorySessionStore : public SessionStore {
 public:
  Status PutSession(const std::string& key, const Session& session) override {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[key] = session;
    return OkStatus();
  }
  Result<std::optional<Session>> GetSession(const std::string& key, int64_t now) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(key);
    if (it == sessions_.end()) return std::optional<Session>();
    if (now >= it->second.expires) {
      sessions_.erase(it);
      return std::optional<Session>();
    }
    return std::optional<Session>(it->second);
  }
  Result<bool> RemoveSession(const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    return sessions_.erase(key) > 0;
  }
  Status RemoveSessionsOf(const std::string& person) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::erase_if(sessions_, [&](const auto& kv) { return kv.second.person == person; });
    return OkStatus();
  }
  Result<size_t> RemoveExpiredSessions(int64_t now) override {
    std::lock_guard<std::mutex> lock(mu_);
    return std::erase_if(sessions_, [&](const auto& kv) { return now >= kv.second.expires; });
  }
  Result<size_t> CountSessions() override {
    std::lock_guard<std::mutex> lock(mu_);
    return sessions_.size();
  }
  Status AddFailure(const std::string& key, int64_t at) override {
    std::lock_guard<std::mutex> lock(mu_);
    failures_[key].push_back(at);
    return OkStatus();
  }
  Result<std::vector<int64_t>> FailuresSince(const std::string& key, int64_t since) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = failures_.find(key);
    if (it == failures_.end()) return std::vector<int64_t>();
    auto& times = it->second;
    while (!times.empty() && times.front() < since) times.pop_front();
    std::vector<int64_t> out(times.begin(), times.end());
    if (times.empty()) failures_.erase(it);
    return out;
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, Session> sessions_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace

std::unique_ptr<SessionStore> NewMemorySessionStore() {
  return std::make_unique<MemorySessionStore>();
}

}  // namespace strongroom
