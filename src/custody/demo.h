// A realistic synthetic organisation and its custody traffic, issued through
// the normal command path (the Sequencer), never by writing tables.
#ifndef STRONGROOM_CUSTODY_DEMO_H_
#define STRONGROOM_CUSTODY_DEMO_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "custody/sequencer.h"
#include "json/canonical.h"

namespace strongroom {

struct DemoStats {
  uint64_t setup_events = 0;    // facilities, locations and people added
  uint64_t custody_events = 0;  // holding events accepted
  uint64_t refused = 0;         // events the rules refused (should be 0)
  uint64_t log_size = 0;
  double setup_seconds = 0;  // the organisation loaded (and made, the first time)
  double seconds = 0;        // the custody events, from the first submitted to the last answered
};

// Adds the organisation if the store has none, then `events` custody events
// chosen with `seed` (the same seed on the same store gives the same events,
// up to times and nonces). Submits up to `window` events at a time.
// `on_ack`, if set, is called with every accepted receipt as soon as it is
// acknowledged (the crash test uses it to learn what must survive). The
// generator remembers at most `remember` holdings and as many grants, so its
// memory stays bounded however many events it issues.
Result<DemoStats> RunDemo(Sequencer* sequencer, Store* store, uint64_t events, uint64_t seed,
                          size_t window = 1024,
                          const std::function<void(const Receipt&)>& on_ack = nullptr,
                          size_t remember = size_t{1} << 18);

// The misconduct the demo plants (docs/oversight.md, "The demo's planted
// misconduct"): custodian C-NORTH-1 registers six seized phones for
// destruction two seconds ahead, in F-NORTH's destruction cage; once the
// deadline has passed, three of them go out to O-001 and come back on
// record, again and again, while in fact the custodian keeps them (they
// are not in the cage). Waits for the deadline (about two seconds).
struct PlantedStory {
  std::string custodian;
  std::string facility;
  std::string location;             // the destruction cage
  std::string deadline;             // RFC 3339: the last phone's disposition deadline
  std::vector<std::string> phones;  // all six
  std::vector<std::string> kept;    // the three the custodian keeps
};
Result<PlantedStory> PlantMisconduct(Sequencer* sequencer, Store* store, Clock* clock);
Json ToJson(const PlantedStory& story);

// The demo people one can log in as: the administrator (also security
// manager), a custodian of each facility, an officer and an inspector.
std::vector<std::string> DemoLogins();

// Gives every DemoLogins() person the credential `secret` (sealing their demo
// key), so they can log in to strongroomd. The organisation must exist.
Status EnrolDemoLogins(Store* store, std::string_view secret, Random* random);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_DEMO_H_
