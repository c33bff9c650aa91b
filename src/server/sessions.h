// Login sessions and login rate limits for strongroomd.
//
// A session token is 32 random bytes (base64url) handed to the person once;
// only its SHA-256 is kept, with the person and an expiry. Tokens live in
// memory: a restart ends every session (people log in again), which is the
// safe direction. Failed logins are counted per person and per client
// address over a sliding window; past the limit, attempts are refused
// without checking the credential until the window frees a slot.
#ifndef STRONGROOM_SERVER_SESSIONS_H_
#define STRONGROOM_SERVER_SESSIONS_H_

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/clock.h"

namespace strongroom {

struct SessionOptions {
  int64_t lifetime_seconds = 8 * 3600;
  int64_t failure_window_seconds = 15 * 60;
  size_t max_failures_per_person = 5;
  size_t max_failures_per_address = 20;
};

// Safe for concurrent use.
class Sessions {
 public:
  Sessions(Clock* clock, Random* random, SessionOptions options = {})
      : clock_(clock), random_(random), options_(options) {}

  struct Issued {
    std::string token;
    std::string expires;  // RFC 3339
  };
  Issued Create(const std::string& person);
  // The person a live token belongs to.
  std::optional<std::string> Person(const std::string& token);
  // Ends the session at once; false if there was none.
  bool Revoke(const std::string& token);
  // Ends every session of the person (suspension, dismissal, credential change).
  void RevokeAll(const std::string& person);

  // 0 if a login for `person` from `address` may be tried now, else the
  // seconds until one may.
  int64_t RetryAfter(const std::string& person, const std::string& address);
  void RecordFailure(const std::string& person, const std::string& address);

 private:
  struct Session {
    std::string person;
    UnixMicros expires;
  };
  int64_t Wait(std::deque<UnixMicros>* failures, size_t limit, UnixMicros now);
  static std::string Key(const std::string& token);

  Clock* clock_;
  Random* random_;
  SessionOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Session> sessions_;  // SHA-256(token) -> session
  std::unordered_map<std::string, std::deque<UnixMicros>> person_failures_, address_failures_;
};

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_SESSIONS_H_
