#include "cli/local_store.h"

#include "auth/credentials.h"
#include "base/encoding.h"
#include "custody/model.h"
#include "custody/rules.h"
#include "custody/sequencer.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"

namespace strongroom {
namespace {

Result<Output> Explain(Store* store, const std::string& origin, Event event) {
  Projection state(store);
  event.time = FormatRfc3339(SystemClock()->Now());
  if (event.type == EventType::kHoldingRegister && event.holdings.empty()) {
    event.holdings.push_back("H-new");
  }
  SR_RETURN_IF_ERROR(LoadReferences(event, &state));
  SR_ASSIGN_OR_RETURN(bool any, state.AnyPerson());
  SR_ASSIGN_OR_RETURN(uint64_t size, store->LogSize());
  SR_ASSIGN_OR_RETURN(Verdict v, Check(event, state, {!any, origin, size, /*explain=*/true}));
  const char* word = v.kind == Verdict::Kind::kAccept   ? "allowed"
                     : v.kind == Verdict::Kind::kDenied ? "denied"
                                                        : "needs a second person";
  const auto& reasons = v.kind == Verdict::Kind::kAccept ? v.grounds : v.reasons;
  Output out;
  out.data = {{"decision", word}, {"reasons", reasons}};
  out.text = word;
  for (size_t i = 0; i < reasons.size(); ++i) out.text += (i ? "; " : ": ") + reasons[i];
  return out;
}

}  // namespace

Result<std::unique_ptr<DataDir>> OpenForRead(const std::string& dir) {
  return DataDir::Open(dir, DataDir::Mode::kRead);
}

Result<Output> Submit(const std::string& dir, Event event, const Authority& auth) {
  SR_ASSIGN_OR_RETURN(
      auto data, DataDir::Open(dir, auth.explain ? DataDir::Mode::kRead : DataDir::Mode::kWrite));
  Store* store = data->store();
  if (auth.explain) return Explain(store, data->verifier().name(), std::move(event));
  SR_ASSIGN_OR_RETURN(std::string secret,
                      ReadSecret(auth.secret, "credential for " + auth.who + ": "));
  SR_ASSIGN_OR_RETURN(bool anyone, Projection(store).AnyPerson());
  // Until the founding administrator exists nobody can authenticate; the
  // rules accept only them adding themself, with their own credential.
  if (anyone) SR_RETURN_IF_ERROR(AuthenticatePerson(store, auth.who, secret).status());
  std::vector<RowWrite> attachments;
  if (auth.complete) {
    SR_RETURN_IF_ERROR(auth.complete(store, data->verifier().name(), secret, &event, &attachments));
  }
  SR_ASSIGN_OR_RETURN(NoteSigner signer, data->signer());
  SR_ASSIGN_OR_RETURN(auto seq,
                      Sequencer::Start(store, std::move(signer), SystemClock(), SystemRandom()));
  SR_ASSIGN_OR_RETURN(Receipt r, seq->Submit(std::move(event), std::move(attachments)));
  std::string reasons;
  for (size_t i = 0; i < r.reasons.size(); ++i) reasons += (i ? "; " : "") + r.reasons[i];
  if (r.outcome == Outcome::kDenied) {
    return PermissionDenied("denied: " + reasons + " (logged as entry " + std::to_string(r.index) +
                            ")");
  }
  Output out;
  out.data = {{"outcome", r.outcome == Outcome::kPending ? "pending" : "accepted"},
              {"index", r.index},
              {"tree_size", r.tree_size},
              {"entry", Json::parse(r.entry)},
              {"checkpoint", r.checkpoint}};
  if (!r.holding.empty()) out.data["holding"] = r.holding;
  if (r.outcome == Outcome::kPending) {
    const std::string id = RecordId('R', r.index);
    out.data["request"] = id;
    out.data["needs"] = r.reasons;
    out.text = "request " + id + " opened (log entry " + std::to_string(r.index) +
               "): needs a second person: " + reasons +
               "\na second person approves it with: strongroom request approve --data " + dir +
               " --request " + id + " --actor PERSON";
    return out;
  }
  out.text = "recorded as log entry " + std::to_string(r.index) +
             (r.holding.empty() ? "" : " (holding " + r.holding + ")") + "; tree size " +
             std::to_string(r.tree_size);
  return out;
}

Result<Output> HoldingChain(const std::string& dir, const std::string& id, bool proofs) {
  SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
  Store* store = data->store();
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kHoldingsTable, {id}));
  if (!row) return NotFound("holding " + id + " does not exist");
  SR_ASSIGN_OR_RETURN(Json holding, RowData(*row));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, store->LatestCheckpoint());
  SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(note.value_or(""), data->verifier()));
  TileNodeReader reader(
      [&](int level, uint64_t index, uint64_t) { return store->ReadTile(level, index); });
  Json chain = Json::array();
  std::string text =
      "holding " + id + " (" + holding.value("kind", "") + "): " + holding.value("title", "") +
      "\n  status " + holding.value("status", "") + " at " + holding.value("location", "") +
      (holding.value("holder", "").empty() ? "" : ", held by " + holding.value("holder", "")) +
      "\n  custody chain:\n";
  SR_RETURN_IF_ERROR(store->QueryRows(kHoldingEventsTable, {{"holding", id}}, 0, [&](const Row& r) {
    const uint64_t index = static_cast<uint64_t>(std::get<int64_t>(r.values[1]));
    return store->ScanEntries(index, index + 1, [&](uint64_t, std::string_view entry) {
      Json e = Json::parse(entry);
      Json item = {{"index", index}, {"entry", e}};
      if (proofs) {
        SR_ASSIGN_OR_RETURN(auto proof, InclusionProof(&reader, index, cp.size));
        Json hashes = Json::array();
        for (const Hash& h : proof) hashes.push_back(Base64Encode(h.view()));
        item["leaf_hash"] = Base64Encode(LeafHash(entry).view());
        item["inclusion_proof"] = hashes;
        SR_RETURN_IF_ERROR(VerifyInclusion(LeafHash(entry), index, cp.size, proof, cp.root));
      }
      text += "    #" + std::to_string(index) + " " + e.value("time", "") + " " +
              e.value("type", "") + " by " + e.value("actor", "") + " " + e["fields"].dump() + "\n";
      chain.push_back(std::move(item));
      return OkStatus();
    });
  }));
  Output out;
  out.data = {{"holding", holding}, {"chain", chain}, {"checkpoint", *note}};
  if (proofs)
    text += "  every event's inclusion proof verifies against tree size " +
            std::to_string(cp.size) + "\n";
  out.text = text;
  return out;
}

Result<Output> ProofCommand(const std::string& dir, std::optional<uint64_t> index,
                            std::optional<uint64_t> from, std::optional<uint64_t> size_opt) {
  SR_ASSIGN_OR_RETURN(auto data, OpenForRead(dir));
  Store* store = data->store();
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, store->LatestCheckpoint());
  SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(note.value_or(""), data->verifier()));
  const uint64_t size = size_opt.value_or(cp.size);
  if (size > cp.size) {
    return InvalidArgument("tree size " + std::to_string(size) +
                           " is beyond the latest checkpoint (" + std::to_string(cp.size) + ")");
  }
  TileNodeReader reader([&](int level, uint64_t i, uint64_t) { return store->ReadTile(level, i); });
  Output out;
  std::vector<Hash> proof;
  if (index) {
    SR_ASSIGN_OR_RETURN(proof, InclusionProof(&reader, *index, size));
    std::string entry;
    SR_RETURN_IF_ERROR(store->ScanEntries(*index, *index + 1, [&](uint64_t, std::string_view e) {
      entry = std::string(e);
      return OkStatus();
    }));
    out.data = {{"index", *index},
                {"tree_size", size},
                {"leaf_hash", Base64Encode(LeafHash(entry).view())}};
  } else {
    SR_ASSIGN_OR_RETURN(proof, ConsistencyProof(&reader, *from, size));
    out.data = {{"from", *from}, {"to", size}};
  }
  SR_ASSIGN_OR_RETURN(Hash root, TreeRoot(&reader, size));
  Json hashes = Json::array();
  for (const Hash& h : proof) {
    hashes.push_back(Base64Encode(h.view()));
    out.text += Base64Encode(h.view()) + "\n";
  }
  out.data["proof"] = hashes;
  out.data["root"] = Base64Encode(root.view());
  if (size == cp.size) out.data["checkpoint"] = *note;
  return out;
}

}  // namespace strongroom
