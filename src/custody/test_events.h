// Events the custody tests build: any event, a document's registration, and
// the set-up every sequencer test starts from.
#ifndef STRONGROOM_CUSTODY_TEST_EVENTS_H_
#define STRONGROOM_CUSTODY_TEST_EVENTS_H_

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "custody/event.h"

namespace strongroom::testing {

inline Event Ev(EventType type, const std::string& actor, std::vector<std::string> holdings,
                Json fields) {
  Event e;
  e.type = type;
  e.actor = actor;
  e.holdings = std::move(holdings);
  if (Status st = SetFields(&e, fields); !st.ok()) ADD_FAILURE() << st.message();
  return e;
}

// CUS registers document `id` in vault V1.
inline Event Registration(const std::string& id) {
  return Ev(EventType::kHoldingRegister, "CUS", {id},
            {{"kind", "document"}, {"title", "Item " + id}, {"location", "V1"}});
}

// The founding administrator ADM, facility HQ with vault V1, custodian CUS.
inline std::vector<Event> SetUpEvents() {
  return {Ev(EventType::kPersonAdd, "ADM", {},
             {{"person", "ADM"},
              {"name", "Ada"},
              {"unit", "Security"},
              {"roles", {"administrator", "security_manager"}},
              {"clearance", "TOP SECRET"}}),
          Ev(EventType::kFacilityAdd, "ADM", {}, {{"facility", "HQ"}, {"name", "HQ"}}),
          Ev(EventType::kLocationAdd, "ADM", {},
             {{"location", "V1"}, {"facility", "HQ"}, {"name", "Vault"}, {"kind", "vault"}}),
          Ev(EventType::kPersonAdd, "ADM", {},
             {{"person", "CUS"},
              {"name", "Cus"},
              {"unit", "Registry"},
              {"roles", {"custodian"}},
              {"clearance", "SECRET"},
              {"facility", "HQ"}})};
}

}  // namespace strongroom::testing

#endif  // STRONGROOM_CUSTODY_TEST_EVENTS_H_
