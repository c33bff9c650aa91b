#include "custody/signing.h"

#include "auth/credentials.h"
#include "base/encoding.h"
#include "custody/data_dir.h"
#include "custody/model.h"
#include "ledger/proof.h"

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
  // Sealed under the request's own key, so that the approval commits to
  // exactly what the request did (an auditor without the cleartext
  // compares the two: verify/public_rules.h).
  SR_RETURN_IF_ERROR(ScanDisclosedEntries(
      store, static_cast<uint64_t>(r.index), static_cast<uint64_t>(r.index) + 1,
      [&](uint64_t, std::string_view entry, std::string_view disclosure) -> Status {
        if (disclosure.empty()) return OkStatus();  // an entry from before sealed fields
        SR_ASSIGN_OR_RETURN(Event request, Event::FromEntry(entry, disclosure));
        e.seal_key = request.seal_key;
        return OkStatus();
      }));
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
  Event* one[] = {e};
  SignEvents(origin, key, random, one);
}

namespace {

// The complete nodes of a small tree held in memory, level by level.
class BatchTree : public NodeReader {
 public:
  explicit BatchTree(std::vector<Hash> leaves) {
    levels_.push_back(std::move(leaves));
    while (levels_.back().size() > 1) {
      const std::vector<Hash>& below = levels_.back();
      std::vector<Hash> above;
      above.reserve(below.size() / 2);
      for (size_t i = 0; i + 1 < below.size(); i += 2) {
        above.push_back(NodeHash(below[i], below[i + 1]));
      }
      levels_.push_back(std::move(above));
    }
  }
  Result<Hash> ReadNode(int height, uint64_t index) override {
    if (height < 0 || static_cast<size_t>(height) >= levels_.size() ||
        index >= levels_[height].size()) {
      return Internal("no such node in the batch");
    }
    return levels_[height][index];
  }

 private:
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace

void SignEvents(std::string_view origin, const Ed25519PrivateKey& key, Random* random,
                std::span<Event* const> events) {
  // An event that is not valid cannot be encoded to be signed (nor a
  // wrapper whose inner fields do not read): it stays unsigned, and the
  // sequencer says what is wrong with it.
  std::vector<Event*> valid;
  std::vector<Hash> leaves;
  for (Event* e : events) {
    if (!Signable(*e)) continue;
    e->nonce = Base64Encode(random->Bytes(16));
    e->batch_index = 0;
    e->batch_size = 1;
    e->batch_path.clear();
    EnsureSealKey(e);
    auto signed_event = SignedEvent(origin, *e);
    if (!signed_event.ok()) continue;
    valid.push_back(e);
    leaves.push_back(LeafHash(*signed_event));
  }
  if (valid.empty()) return;
  SR_CHECK(valid.size() <= kMaxSignedBatch);
  events = valid;
  const uint64_t n = events.size();
  BatchTree tree(leaves);
  const Hash root = n == 1 ? leaves[0] : TreeRoot(&tree, n).value();
  const std::string signature = Base64Encode(key.Sign(SignedBatch(root, n)));
  for (uint64_t i = 0; i < n; ++i) {
    Event* e = events[i];
    e->actor_signature = signature;
    e->signer_key = key.public_key();
    if (n > 1) {
      e->batch_index = i;
      e->batch_size = n;
      e->batch_path = InclusionProof(&tree, i, n).value();
    }
  }
}

Status SignAs(Store* store, const std::string& origin, const std::string& person,
              const std::string& secret, Event* e) {
  SR_ASSIGN_OR_RETURN(Ed25519PrivateKey key, UnlockPerson(store, person, secret));
  SignAsWith(origin, person, key, e);
  return OkStatus();
}

void SignAsWith(const std::string& origin, const std::string& person,
                const Ed25519PrivateKey& key, Event* e) {
  EnsureSealKey(e);
  e->signatures.push_back({person, Base64Encode(key.Sign(SignedRequest(origin, *e).value()))});
}

void EnsureSealKey(Event* e) {
  // Always from the system's generator, never a seeded one (a demo's, a
  // test's): a key that can be guessed opens every commitment it salts.
  if (e->seal_key.empty()) e->seal_key = SystemRandom()->Bytes(kSealKeySize);
}

std::string IssueEnrolmentCode(Event* e, Random* random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string code;
  for (unsigned char b : random->Bytes(16)) {
    code.push_back(kHex[b >> 4]);
    code.push_back(kHex[b & 15]);
  }
  SR_CHECK(e->fields.Set("enrolment", Json(EnrolmentCommitment(code))).ok());
  return code;
}

Result<RowWrite> Enrol(Event* e, const std::string& secret, Random* random,
                       Ed25519PrivateKey* key) {
  if (e->type != EventType::kPersonAdd && e->type != EventType::kPersonEnrol &&
      e->type != EventType::kPersonRekey) {
    return InvalidArgument("only person.add, person.enrol and person.rekey make a credential");
  }
  const std::string person = e->Field("person");
  if (!ValidId(person)) {
    return InvalidArgument(std::string(EventTypeName(e->type)) +
                           " needs the field 'person' (an identifier)");
  }
  if (e->fields.contains("public_key")) {
    return InvalidArgument("'public_key' is made from the new person's credential");
  }
  Ed25519PrivateKey made = Ed25519PrivateKey::Generate(random);
  SR_ASSIGN_OR_RETURN(Credential c, SealCredential(person, secret, made, random));
  SR_RETURN_IF_ERROR(e->fields.Set("public_key", Json(c.public_key)));
  if (key) *key = std::move(made);
  return RowWrite{kCredentialsTable, ToRow(c)};
}

}  // namespace strongroom
