#include "server/sessions.h"

#include "base/encoding.h"
#include "crypto/sha256.h"

namespace strongroom {

std::string Sessions::Key(const std::string& token) { return std::string(Sha256(token).view()); }

Sessions::Issued Sessions::Create(const std::string& person) {
  std::string token = Base64Encode(random_->Bytes(32));
  for (char& c : token) {  // base64url, unpadded: safe in a header
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!token.empty() && token.back() == '=') token.pop_back();
  const UnixMicros expires = clock_->Now() + options_.lifetime_seconds * 1000000;
  std::lock_guard<std::mutex> lock(mu_);
  sessions_[Key(token)] = {person, expires};
  return {token, FormatRfc3339(expires)};
}

std::optional<std::string> Sessions::Person(const std::string& token) {
  const std::string key = Key(token);
  const UnixMicros now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  if (now >= it->second.expires) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second.person;
}

bool Sessions::Revoke(const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.erase(Key(token)) > 0;
}

void Sessions::RevokeAll(const std::string& person) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.person == person; });
}

int64_t Sessions::Wait(std::deque<UnixMicros>* failures, size_t limit, UnixMicros now) {
  const UnixMicros window = options_.failure_window_seconds * 1000000;
  while (!failures->empty() && failures->front() + window <= now) failures->pop_front();
  if (failures->size() < limit) return 0;
  // The oldest failure in the window must age out first.
  return (failures->front() + window - now + 999999) / 1000000;
}

int64_t Sessions::RetryAfter(const std::string& person, const std::string& address) {
  const UnixMicros now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  // Keys whose failures have all aged out are dropped, so that guessing
  // made-up names does not grow the maps beyond one window's worth.
  auto wait = [&](auto* map, const std::string& key, size_t limit) -> int64_t {
    auto it = map->find(key);
    if (it == map->end()) return 0;
    const int64_t w = Wait(&it->second, limit, now);
    if (it->second.empty()) map->erase(it);
    return w;
  };
  return std::max(wait(&person_failures_, person, options_.max_failures_per_person),
                  wait(&address_failures_, address, options_.max_failures_per_address));
}

void Sessions::RecordFailure(const std::string& person, const std::string& address) {
  const UnixMicros now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  person_failures_[person].push_back(now);
  address_failures_[address].push_back(now);
}

}  // namespace strongroom
