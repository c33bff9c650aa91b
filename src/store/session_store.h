// Login sessions and failed logins, behind an interface a database can
// implement: with a shared store every strongroomd of a cluster sees the
// same sessions and the same lock-outs. The in-memory store here is
// strongroomd's default (a restart ends every session: the safe direction);
// a PostgreSQL one is the cluster's. Keys are opaque to the store (strongroomd
// keeps the SHA-256 of a token, never the token).
#ifndef STRONGROOM_STORE_SESSION_STORE_H_
#define STRONGROOM_STORE_SESSION_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace strongroom {

// Thread-safe.
class SessionStore {
 public:
  struct Session {
    std::string person;
    int64_t expires = 0;  // Unix microseconds
    bool operator==(const Session&) const = default;
  };
  virtual ~SessionStore() = default;

  virtual Status PutSession(const std::string& key, const Session& session) = 0;
  // The session under `key` if it is live at `now`; an expired one is
  // removed.
  virtual Result<std::optional<Session>> GetSession(const std::string& key, int64_t now) = 0;
  // False if there was none.
  virtual Result<bool> RemoveSession(const std::string& key) = 0;
  virtual Status RemoveSessionsOf(const std::string& person) = 0;
  // Removes every session expired at `now`; how many.
  virtual Result<size_t> RemoveExpiredSessions(int64_t now) = 0;
  virtual Result<size_t> CountSessions() = 0;

  // Failed logins, by key (a person, a client address).
  virtual Status AddFailure(const std::string& key, int64_t at) = 0;
  // The times of the failures under `key` from `since` on, oldest first;
  // older ones are forgotten (so made-up keys do not pile up).
  virtual Result<std::vector<int64_t>> FailuresSince(const std::string& key, int64_t since) = 0;
};

std::unique_ptr<SessionStore> NewMemorySessionStore();

}  // namespace strongroom

#endif  // STRONGROOM_STORE_SESSION_STORE_H_
