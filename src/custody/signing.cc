#include "custody/signing.h"

#include "auth/credentials.h"
#include "base/encoding.h"
#include "custody/data_dir.h"
#include "custody/model.h"

namespace strongroom {

Result<Event> RequestedEvent(Store* store, const std::string& request) {
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kRequestsTable, {request}));
  if (!row) return NotFound("request " + request + " does not exist");
  SR_ASSIGN_OR_RETURN(Json j, RowData(*row));
  SR_ASSIGN_OR_RETURN(Request r, RequestFromJson(j));
  Event e;
  SR_ASSIGN_OR_RETURN(e.type, ParseEventType(r.type));
  e.actor = r.actor;
  e.holdings = r.holdings;
  if (Status st = SetFields(&e, r.fields); !st.ok()) {
    return DataLoss("request " + request + " holds fields its event does not take: " + st.message());
  }
  e.basis = r.index;
  return e;
}

Result<Event> Acknowledgement(Store* store, const std::string& holding, const std::string& person) {
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kHoldingsTable, {holding}));
  if (!row) return NotFound("holding " + holding + " does not exist");
  SR_ASSIGN_OR_RETURN(Json j, RowData(*row));
  SR_ASSIGN_OR_RETURN(Holding h, HoldingFromJson(j));
  Event e;
  e.type = EventType::kAcknowledge;
  e.actor = person;
  e.holdings = {holding};
  e.basis = h.last_index;
  return e;
}

void SignEvent(std::string_view origin, const Ed25519PrivateKey& key, Random* random, Event* e) {
  e->nonce = Base64Encode(random->Bytes(16));
  e->actor_signature = Base64Encode(key.Sign(SignedEvent(origin, *e)));
  e->signer_key = key.public_key();
}

Status SignAs(Store* store, const std::string& origin, const std::string& person,
              const std::string& secret, Event* e) {
  SR_ASSIGN_OR_RETURN(Ed25519PrivateKey key, UnlockPerson(store, person, secret));
  e->signatures.push_back({person, Base64Encode(key.Sign(SignedRequest(origin, *e)))});
  return OkStatus();
}

Result<RowWrite> Enrol(Event* e, const std::string& secret, Random* random) {
  if (e->type != EventType::kPersonAdd) return InvalidArgument("only person.add enrols a person");
  const std::string person = e->Field("person");
  if (!ValidId(person)) {
    return InvalidArgument("person.add needs the field 'person' (an identifier)");
  }
  if (e->fields.contains("public_key")) {
    return InvalidArgument("'public_key' is made from the new person's credential");
  }
  SR_ASSIGN_OR_RETURN(Credential c, NewCredential(person, secret, random));
  SR_RETURN_IF_ERROR(e->fields.Set("public_key", Json(c.public_key)));
  return RowWrite{kCredentialsTable, ToRow(c)};
}

}  // namespace strongroom
