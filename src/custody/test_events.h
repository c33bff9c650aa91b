// Events the custody tests build: any event, a document's registration, and
// the set-up every sequencer test starts from.
#ifndef STRONGROOM_CUSTODY_TEST_EVENTS_H_
#define STRONGROOM_CUSTODY_TEST_EVENTS_H_

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "custody/data_dir.h"
#include "custody/event.h"
#include "custody/signing.h"
#include "ledger/log_writer.h"

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

// The personal key the tests give `person`, derived from the id (tests only:
// real keys come from enrolment).
inline Ed25519PrivateKey TestKey(const std::string& person) {
  const Hash seed = Sha256("strongroom test personal key " + person);
  return Ed25519PrivateKey::FromSeed(
             std::string_view(reinterpret_cast<const char*>(seed.bytes.data()), 32))
      .value();
}
inline std::string TestPublicKey(const std::string& person) {
  return Base64Encode(TestKey(person).public_key());
}

// `e` as its actor submits it to the log `origin`: signed with their test
// key (an event carrying approval signatures is left as it is).
inline Event Signed(std::string_view origin, Event e) {
  if (e.signatures.empty()) SignEvent(origin, TestKey(e.actor), SystemRandom(), &e);
  return e;
}

// The enrolment code the tests issue to `person` (derived from the id).
inline std::string TestCode(const std::string& person) {
  return HexEncode(Sha256("strongroom test enrolment code " + person).view()).substr(0, 32);
}

// `actor` adds a person (`fields` without a key), who then enrols their
// test key with the code issued to them: two events.
inline std::vector<Event> AddAndEnrol(const std::string& actor, Json fields) {
  const std::string id = fields["person"].get<std::string>();
  fields["enrolment"] = EnrolmentCommitment(TestCode(id));
  return {Ev(EventType::kPersonAdd, actor, {}, fields),
          Ev(EventType::kPersonEnrol, id, {},
             {{"person", id}, {"code", TestCode(id)}, {"public_key", TestPublicKey(id)}})};
}

// CUS registers document `id` in vault V1.
inline Event Registration(const std::string& id) {
  return Ev(EventType::kHoldingRegister, "CUS", {id},
            {{"kind", "document"}, {"title", "Item " + id}, {"location", "V1"}});
}

// The founding administrator ADM, facility HQ with vault V1, custodian CUS
// (added, then enrolled by themself): five events.
inline std::vector<Event> SetUpEvents() {
  std::vector<Event> events = {Ev(EventType::kPersonAdd, "ADM", {},
             {{"person", "ADM"},
              {"name", "Ada"},
              {"unit", "Security"},
              {"roles", {"administrator", "security_manager"}},
              {"clearance", "TOP SECRET"},
              {"public_key", TestPublicKey("ADM")}}),
          Ev(EventType::kFacilityAdd, "ADM", {}, {{"facility", "HQ"}, {"name", "HQ"}}),
          Ev(EventType::kLocationAdd, "ADM", {},
             {{"location", "V1"}, {"facility", "HQ"}, {"name", "Vault"}, {"kind", "vault"}})};
  for (Event& e : AddAndEnrol("ADM", {{"person", "CUS"},
                                      {"name", "Cus"},
                                      {"unit", "Registry"},
                                      {"roles", {"custodian"}},
                                      {"clearance", "SECRET"},
                                      {"facility", "HQ"}})) {
    events.push_back(std::move(e));
  }
  return events;
}

// Appends `events` to `data`'s log as an insider holding the log's key
// would (no sequencer may be running): tiles, committed head and a signed
// checkpoint all correct, and each entry's disclosure beside it.
inline void AppendWithTheLogKey(DataDir* data, const std::vector<Event>& events) {
  Store* store = data->store();
  NoteSigner signer = data->signer().value();
  LogWriter writer = LogWriter::Open(store, signer).value();
  std::vector<std::string> entries, disclosures;
  for (const Event& e : events) {
    entries.push_back(e.ToEntry().value());
    disclosures.push_back(e.Disclosure());
  }
  LogBatch batch = writer.Prepare(std::move(entries)).value();
  batch.disclosures = std::move(disclosures);
  batch.head = SignCommittedHead(signer, writer.size(), writer.root()).value();
  batch.epoch = store->AcquireLease().value();
  ASSERT_TRUE(store->Commit(batch, {}).ok());
  auto note = writer.SignCommitted();
  ASSERT_TRUE(note.ok()) << note.status().message();
  ASSERT_TRUE(store->PutCheckpoint(writer.size(), *note).ok());
}

// `e` as the sequencer would write it next: its time after the last one, a
// nonce and a seal key.
inline Event Stamped(Event e) {
  e.time = FormatRfc3339(SystemClock()->Now() + 1000000);
  if (e.nonce.empty()) e.nonce = Base64Encode(SystemRandom()->Bytes(16));
  EnsureSealKey(&e);
  return e;
}

}  // namespace strongroom::testing

#endif  // STRONGROOM_CUSTODY_TEST_EVENTS_H_
