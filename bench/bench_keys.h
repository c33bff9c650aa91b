// The personal keys the benchmarks give their people (derived from the id:
// benchmarks only), and their events signed as their actors submit them.
#ifndef STRONGROOM_BENCH_BENCH_KEYS_H_
#define STRONGROOM_BENCH_BENCH_KEYS_H_

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/encoding.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "custody/event.h"
#include "custody/sequencer.h"
#include "custody/signing.h"
#include "json/canonical.h"

namespace strongroom::bench {

inline Ed25519PrivateKey BenchKey(const std::string& person) {
  const Hash seed = Sha256("strongroom bench personal key " + person);
  return Ed25519PrivateKey::FromSeed(
             std::string_view(reinterpret_cast<const char*>(seed.bytes.data()), 32))
      .value();
}

// The events that make `fields` a person who can act: the founder's
// person.add with their own key, or anyone else's person.add (by `actor`)
// and their enrolment of their bench key with the code it committed to.
inline std::vector<Event> BenchPerson(const std::string& actor, Json fields) {
  const std::string id = fields["person"].get<std::string>();
  const std::string key = Base64Encode(BenchKey(id).public_key());
  auto event = [](EventType t, const std::string& by, const Json& f) {
    Event e;
    e.type = t;
    e.actor = by;
    if (!SetFields(&e, f).ok()) std::abort();  // a broken benchmark
    return e;
  };
  if (id == actor) {
    fields["public_key"] = key;
    return {event(EventType::kPersonAdd, actor, fields)};
  }
  const std::string code = "c0de" + HexEncode(Sha256(id).view()).substr(0, 28);
  fields["enrolment"] = EnrolmentCommitment(code);
  return {event(EventType::kPersonAdd, actor, fields),
          event(EventType::kPersonEnrol, id, {{"person", id}, {"code", code}, {"public_key", key}})};
}

inline Event BenchSigned(std::string_view origin, Event e) {
  SignEvent(origin, BenchKey(e.actor), SystemRandom(), &e);
  return e;
}

// Submits (signed) all but the last of BenchPerson(actor, fields), aborting
// unless each is accepted, and returns the last for the caller to submit.
inline Event BenchPersonUpToLast(Sequencer* seq, const std::string& actor, const Json& fields) {
  std::vector<Event> events = BenchPerson(actor, fields);
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    auto r = seq->Submit(BenchSigned(seq->origin(), std::move(events[i])));
    if (!r.ok() || r->outcome != Outcome::kAccepted) std::abort();  // a broken benchmark
  }
  return std::move(events.back());
}

}  // namespace strongroom::bench

#endif  // STRONGROOM_BENCH_BENCH_KEYS_H_
