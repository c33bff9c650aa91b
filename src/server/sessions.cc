#include "server/sessions.h"

#include "base/encoding.h"
#include "crypto/sha256.h"

namespace strongroom {

std::string Sessions::Key(const std::string& token) { return std::string(Sha256(token).view()); }

Result<Sessions::Issued> Sessions::Create(const std::string& person, Ed25519PrivateKey key) {
  std::string token = Base64Encode(random_->Bytes(32));
  for (char& c : token) {  // base64url, unpadded: safe in a header
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!token.empty() && token.back() == '=') token.pop_back();
  const UnixMicros now = clock_->Now();
  const UnixMicros expires = now + options_.lifetime_seconds * 1000000;
  SR_RETURN_IF_ERROR(store_->PutSession(Key(token), {person, expires}));
  bool sweep = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    keys_[Key(token)] = {person, expires,
                         std::make_shared<const Ed25519PrivateKey>(std::move(key))};
    if (now - last_sweep_ >= 60 * 1000000LL) {
      last_sweep_ = now;
      sweep = true;
      std::erase_if(keys_, [now](const auto& held) { return held.second.expires <= now; });
    }
  }
  if (sweep) SR_RETURN_IF_ERROR(store_->RemoveExpiredSessions(now).status());
  return Issued{token, FormatRfc3339(expires)};
}

std::optional<std::string> Sessions::Person(const std::string& token) {
  auto session = store_->GetSession(Key(token), clock_->Now());
  if (!session.ok() || !*session) return std::nullopt;  // a failing store lets nobody in
  return (*session)->person;
}

std::shared_ptr<const Ed25519PrivateKey> Sessions::SigningKey(const std::string& token) {
  if (!Person(token)) return nullptr;  // ended, expired, or the store fails
  std::lock_guard<std::mutex> lock(mu_);
  auto it = keys_.find(Key(token));
  return it == keys_.end() ? nullptr : it->second.key;
}

bool Sessions::Revoke(const std::string& token) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    keys_.erase(Key(token));
  }
  auto removed = store_->RemoveSession(Key(token));
  return removed.ok() && *removed;
}

Status Sessions::RevokeAll(const std::string& person) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::erase_if(keys_, [&](const auto& held) { return held.second.person == person; });
  }
  return store_->RemoveSessionsOf(person);
}

size_t Sessions::keys_held() {
  std::lock_guard<std::mutex> lock(mu_);
  return keys_.size();
}

size_t Sessions::count() {
  auto n = store_->CountSessions();
  return n.ok() ? *n : 0;
}

int64_t Sessions::Wait(const std::string& key, size_t limit, UnixMicros now) {
  const UnixMicros window = options_.failure_window_seconds * 1000000;
  auto failures = store_->FailuresSince(key, now - window + 1);
  if (!failures.ok()) return options_.failure_window_seconds;  // fail closed
  if (failures->size() < limit) return 0;
  // The oldest failure in the window must age out first.
  return (failures->front() + window - now + 999999) / 1000000;
}

int64_t Sessions::RetryAfter(const std::string& person, const std::string& address) {
  const UnixMicros now = clock_->Now();
  return std::max(Wait("person:" + person, options_.max_failures_per_person, now),
                  Wait("address:" + address, options_.max_failures_per_address, now));
}

void Sessions::RecordFailure(const std::string& person, const std::string& address) {
  const UnixMicros now = clock_->Now();
  (void)store_->AddFailure("person:" + person, now);  // a failing store already refuses logins
  (void)store_->AddFailure("address:" + address, now);
}

}  // namespace strongroom
