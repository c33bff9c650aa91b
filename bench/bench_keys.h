// The personal keys the benchmarks give their people (derived from the id:
// benchmarks only), and their events signed as their actors submit them.
#ifndef STRONGROOM_BENCH_BENCH_KEYS_H_
#define STRONGROOM_BENCH_BENCH_KEYS_H_

#include <string>
#include <string_view>

#include "base/encoding.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "custody/event.h"
#include "custody/signing.h"
#include "json/canonical.h"

namespace strongroom::bench {

inline Ed25519PrivateKey BenchKey(const std::string& person) {
  const Hash seed = Sha256("strongroom bench personal key " + person);
  return Ed25519PrivateKey::FromSeed(
             std::string_view(reinterpret_cast<const char*>(seed.bytes.data()), 32))
      .value();
}

// A person.add's fields with the new person's bench key.
inline Json WithBenchKey(Json fields) {
  fields["public_key"] = Base64Encode(BenchKey(fields["person"].get<std::string>()).public_key());
  return fields;
}

inline Event BenchSigned(std::string_view origin, Event e) {
  SignEvent(origin, BenchKey(e.actor), SystemRandom(), &e);
  return e;
}

}  // namespace strongroom::bench

#endif  // STRONGROOM_BENCH_BENCH_KEYS_H_
