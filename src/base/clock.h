// Time and randomness seams, and RFC 3339 UTC timestamps.
//
// Production code gets time and random bytes only through Clock and Random so
// that tests are hermetic (a fake clock, a seeded random source).
#ifndef STRONGROOM_BASE_CLOCK_H_
#define STRONGROOM_BASE_CLOCK_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace strongroom {

// Microseconds since the Unix epoch, UTC.
using UnixMicros = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMicros Now() = 0;
};

// The system's real-time clock. Safe for concurrent use.
Clock* SystemClock();

// A clock that returns a settable time and advances by `step` on every call.
// Safe for concurrent use.
class FakeClock : public Clock {
 public:
  explicit FakeClock(UnixMicros start, UnixMicros step = 0) : now_(start), step_(step) {}
  UnixMicros Now() override { return now_.fetch_add(step_); }
  void Set(UnixMicros t) { now_ = t; }
  void Advance(UnixMicros d) { now_ += d; }

 private:
  std::atomic<UnixMicros> now_;
  UnixMicros step_;
};

// "2026-11-22T17:50:00.123456Z": RFC 3339, UTC, always microseconds.
std::string FormatRfc3339(UnixMicros t);
// Accepts RFC 3339 UTC timestamps ending in 'Z', with 0 to 9 fraction digits
// (digits below a microsecond must be zero), or a bare date "2026-11-22"
// meaning midnight UTC.
Result<UnixMicros> ParseRfc3339(std::string_view text);

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(uint8_t* out, size_t n) = 0;
  std::string Bytes(size_t n);
  uint64_t Uniform(uint64_t bound);  // in [0, bound); bound > 0
};

// Cryptographically secure randomness from OpenSSL. Safe for concurrent use.
Random* SystemRandom();

// Deterministic, NOT secure: for tests and reproducible demos only.
// Thread-compatible.
class SeededRandom : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed ^ 0x9e3779b97f4a7c15ULL) {}
  void Fill(uint8_t* out, size_t n) override;

 private:
  uint64_t state_;
};

}  // namespace strongroom

#endif  // STRONGROOM_BASE_CLOCK_H_
