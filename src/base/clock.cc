#include "base/clock.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace strongroom {
namespace {

class SystemClockImpl : public Clock {
 public:
  UnixMicros Now() override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class SystemRandomImpl : public Random {
 public:
  void Fill(uint8_t* out, size_t n) override {
    SR_CHECK(RAND_bytes(out, static_cast<int>(n)) == 1);
  }
};

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool ParseDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Clock* SystemClock() {
  static SystemClockImpl clock;
  return &clock;
}

Random* SystemRandom() {
  static SystemRandomImpl random;
  return &random;
}

std::string Random::Bytes(size_t n) {
  std::string out(n, '\0');
  Fill(reinterpret_cast<uint8_t*>(out.data()), n);
  return out;
}

uint64_t Random::Uniform(uint64_t bound) {
  SR_CHECK(bound > 0);
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t v;
  do {
    Fill(reinterpret_cast<uint8_t*>(&v), sizeof v);
  } while (v >= limit);
  return v % bound;
}

void SeededRandom::Fill(uint8_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    // splitmix64, one byte per step: simple and good enough for test data.
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    out[i] = static_cast<uint8_t>(z ^ (z >> 31));
  }
}

std::string FormatRfc3339(UnixMicros t) {
  int64_t secs = t >= 0 ? t / 1000000 : (t - 999999) / 1000000;
  int64_t micros = t - secs * 1000000;
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buf;
}

Result<UnixMicros> ParseRfc3339(std::string_view s) {
  auto bad = [&] {
    return InvalidArgument(
        "'" + std::string(s) +
        "' is not an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SS[.frac]Z or YYYY-MM-DD)");
  };
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!ParseDigits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !ParseDigits(s, 5, 2, &mo) ||
      s[7] != '-' || !ParseDigits(s, 8, 2, &d)) {
    return bad();
  }
  int64_t frac_micros = 0;
  if (s.size() != 10) {
    if (s.size() < 20 || s[10] != 'T' || !ParseDigits(s, 11, 2, &h) || s[13] != ':' ||
        !ParseDigits(s, 14, 2, &mi) || s[16] != ':' || !ParseDigits(s, 17, 2, &se)) {
      return bad();
    }
    size_t pos = 19;
    if (s[pos] == '.') {
      ++pos;
      size_t digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 6) {
          frac_micros = frac_micros * 10 + (s[pos] - '0');
        } else if (s[pos] != '0') {
          return InvalidArgument("'" + std::string(s) + "' has sub-microsecond precision");
        }
        ++digits;
        ++pos;
      }
      if (digits == 0 || digits > 9) return bad();
      for (size_t k = digits; k < 6; ++k) frac_micros *= 10;
    }
    if (pos + 1 != s.size() || s[pos] != 'Z') return bad();
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && IsLeap(y)) || h > 23 ||
      mi > 59 || se > 59) {
    return bad();
  }
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 86400 + h * 3600 + mi * 60 + se) * 1000000) + frac_micros;
}

}  // namespace strongroom
