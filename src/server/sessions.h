// Login sessions and login rate limits for strongroomd.
//
// A session token is 32 random bytes (base64url) handed to the person once;
// only its SHA-256 is kept, with the person and an expiry, in a SessionStore
// (store/session_store.h: process memory by default, so a restart ends every
// session — people log in again, the safe direction; a shared database for
// a cluster). Expired sessions are swept at most once a minute. Failed
// logins are counted per person and per client address over a sliding
// window; past the limit, attempts are refused without checking the
// credential until the window frees a slot. If the store fails, nobody is
// let in: no session is found and every login waits.
//
// A session also holds the person's personal key, unsealed by their
// credential at login, with which the service signs the events the person
// submits (each entry carries its actor's signature). The key stays in this
// process's memory only, never in the SessionStore: it is dropped when the
// session ends, expires or is swept; a session found in a shared store
// whose key this process does not hold may read but not act.
#ifndef STRONGROOM_SERVER_SESSIONS_H_
#define STRONGROOM_SERVER_SESSIONS_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "crypto/ed25519.h"
#include "store/session_store.h"

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
  // `store` null: sessions in this process's memory.
  Sessions(Clock* clock, Random* random, SessionOptions options = {},
           std::unique_ptr<SessionStore> store = nullptr)
      : clock_(clock),
        random_(random),
        options_(options),
        store_(store ? std::move(store) : NewMemorySessionStore()) {}

  struct Issued {
    std::string token;
    std::string expires;  // RFC 3339
  };
  Result<Issued> Create(const std::string& person, Ed25519PrivateKey key);
  // The person a live token belongs to.
  std::optional<std::string> Person(const std::string& token);
  // The personal key of a live session, if this process holds it.
  std::shared_ptr<const Ed25519PrivateKey> SigningKey(const std::string& token);
  // Ends the session at once; false if there was none.
  bool Revoke(const std::string& token);
  // Ends every session of the person (suspension, dismissal, credential change).
  Status RevokeAll(const std::string& person);
  // Sessions kept now, live or expired and not yet swept.
  size_t count();
  // Personal keys held now (of sessions live or not yet swept).
  size_t keys_held();

  // 0 if a login for `person` from `address` may be tried now, else the
  // seconds until one may.
  int64_t RetryAfter(const std::string& person, const std::string& address);
  void RecordFailure(const std::string& person, const std::string& address);

 private:
  // Seconds until one more attempt under `key` may be made.
  int64_t Wait(const std::string& key, size_t limit, UnixMicros now);
  static std::string Key(const std::string& token);

  Clock* clock_;
  Random* random_;
  SessionOptions options_;
  std::unique_ptr<SessionStore> store_;
  struct HeldKey {
    std::string person;
    UnixMicros expires;
    std::shared_ptr<const Ed25519PrivateKey> key;
  };
  std::mutex mu_;
  UnixMicros last_sweep_ = 0;                          // guarded by mu_
  std::unordered_map<std::string, HeldKey> keys_;      // by Key(token); guarded by mu_
};

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_SESSIONS_H_
