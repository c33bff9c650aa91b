#include "custody/queries.h"

#include "base/clock.h"
#include "base/encoding.h"
#include "custody/data_dir.h"
#include "custody/model.h"
#include "custody/projection.h"
#include "custody/kinds/kind.h"
#include "custody/rules.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"

namespace strongroom {
namespace {

struct StoredEntry {
  std::string entry;
  std::string disclosure;  // "" if the entry seals nothing
};

Result<StoredEntry> ReadEntry(Store* store, uint64_t index) {
  StoredEntry out;
  SR_RETURN_IF_ERROR(ScanDisclosedEntries(
      store, index, index + 1, [&](uint64_t, std::string_view e, std::string_view d) {
        out.entry = std::string(e);
        out.disclosure = std::string(d);
        return OkStatus();
      }));
  return out;
}

// The event of a stored entry, in clear: its disclosure must open it.
Result<Event> OpenEntry(uint64_t index, const StoredEntry& stored) {
  SR_ASSIGN_OR_RETURN(Event e, Event::FromEntry(stored.entry, stored.disclosure));
  if (e.sealed()) {
    return DataLoss("entry " + std::to_string(index) +
                    " seals fields and the store has no disclosure of it");
  }
  return e;
}

Result<Event> ReadEvent(Store* store, uint64_t index) {
  SR_ASSIGN_OR_RETURN(StoredEntry stored, ReadEntry(store, index));
  return OpenEntry(index, stored);
}

// What a reader allowed to read an entry is given: the entry exactly as
// the log holds it, and its fields in clear with the key of their salts
// (for an entry that seals fields), so that they check every commitment.
Result<Json> EntryView(uint64_t index, const StoredEntry& stored) {
  SR_RETURN_IF_ERROR(OpenEntry(index, stored).status());  // the disclosure opens the entry
  SR_ASSIGN_OR_RETURN(Json entry, ParseCanonicalJson(stored.entry));
  Json out = {{"index", index}, {"entry", entry}, {"fields", entry["fields"]}};
  if (!stored.disclosure.empty()) {
    SR_ASSIGN_OR_RETURN(Json disclosure, ParseCanonicalJson(stored.disclosure));
    out["fields"] = disclosure["fields"];
    out["key"] = disclosure["key"];
  }
  return out;
}

Json HashList(const std::vector<Hash>& hashes) {
  Json out = Json::array();
  for (const Hash& h : hashes) out.push_back(Base64Encode(h.view()));
  return out;
}

}  // namespace

Result<Json> HoldingChainData(Store* store, const NoteVerifier& verifier, const std::string& id,
                              bool proofs) {
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kHoldingsTable, {id}));
  if (!row) return NotFound("holding " + id + " does not exist");
  SR_ASSIGN_OR_RETURN(Json holding, RowData(*row));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, store->LatestCheckpoint());
  SR_ASSIGN_OR_RETURN(Checkpoint cp, OpenCheckpoint(note.value_or(""), verifier));
  TileNodeReader reader(
      [&](int level, uint64_t index, uint64_t) { return store->ReadTile(level, index); });
  Json chain = Json::array();
  SR_RETURN_IF_ERROR(store->QueryRows(kHoldingEventsTable, {{"holding", id}}, 0, [&](const Row& r) {
    const uint64_t index = static_cast<uint64_t>(std::get<int64_t>(r.values[1]));
    if (index >= cp.size) return OkStatus();  // committed after the checkpoint we read
    SR_ASSIGN_OR_RETURN(StoredEntry stored, ReadEntry(store, index));
    const std::string& entry = stored.entry;
    SR_ASSIGN_OR_RETURN(Json item, EntryView(index, stored));
    if (proofs) {
      SR_ASSIGN_OR_RETURN(auto proof, InclusionProof(&reader, index, cp.size));
      SR_RETURN_IF_ERROR(VerifyInclusion(LeafHash(entry), index, cp.size, proof, cp.root));
      item["leaf_hash"] = Base64Encode(LeafHash(entry).view());
      item["inclusion_proof"] = HashList(proof);
    }
    chain.push_back(std::move(item));
    return OkStatus();
  }));
  return Json{{"holding", holding}, {"chain", chain}, {"checkpoint", *note}};
}

Result<Json> HoldingListData(Store* store, const HoldingFilter& f,
                             const std::function<bool(const Json& holding)>& visible) {
  std::vector<Filter> filters;
  auto add = [&](const char* column, const std::string& v) {
    if (!v.empty()) filters.push_back({column, v});
  };
  add("status", f.status);
  add("kind", f.kind);
  add("facility", f.facility);
  add("holder", f.holder);
  add("case_number", f.case_number);
  Json list = Json::array();
  uint64_t withheld = 0;
  SR_RETURN_IF_ERROR(
      store->QueryRows(kHoldingsTable, filters, visible ? 0 : f.limit, [&](const Row& r) {
        SR_ASSIGN_OR_RETURN(Json h, RowData(r));
        if (visible && !visible(h)) {
          ++withheld;
        } else if (f.limit == 0 || list.size() < f.limit) {
          list.push_back(std::move(h));
        }
        return OkStatus();
      }));
  // How many were withheld, only of the whole store: under a filter
  // (?case=, ?holder=) the count would tell an uncleared reader whether a
  // case exists and how large it is.
  if (!filters.empty()) return Json{{"holdings", list}};
  return Json{{"holdings", list}, {"withheld", withheld}};
}

Result<Json> OpenRequestsData(Store* store, const std::function<bool(const Json&)>& visible) {
  Json list = Json::array();
  SR_RETURN_IF_ERROR(
      store->QueryRows(kRequestsTable, {{"status", std::string("open")}}, 0, [&](const Row& row) {
        SR_ASSIGN_OR_RETURN(Json j, RowData(row));
        if (!visible || visible(j)) list.push_back(std::move(j));
        return OkStatus();
      }));
  return list;
}

Result<Verdict> DecideRead(Store* store, const std::string& origin, Event* read, int64_t now) {
  Projection state(store);
  return DecideRead(&state, origin, read, now);
}

Result<Verdict> DecideRead(Projection* state, const std::string& origin, Event* read, int64_t now) {
  read->time = FormatRfc3339(now);
  SR_RETURN_IF_ERROR(LoadReferences(*read, state));
  return Check(*read, *state, {false, origin, 0});
}

Result<Json> ProofData(Store* store, const NoteVerifier& verifier, std::optional<uint64_t> index,
                       std::optional<uint64_t> from, std::optional<uint64_t> size_opt,
                       const std::string* trusted_checkpoint) {
  std::optional<std::string> note;
  Checkpoint cp;
  if (trusted_checkpoint) {
    note = *trusted_checkpoint;
    SR_ASSIGN_OR_RETURN(Note parsed, ParseNote(*note));
    SR_ASSIGN_OR_RETURN(cp, ParseCheckpointBody(parsed.text));
  } else {
    SR_ASSIGN_OR_RETURN(note, store->LatestCheckpoint());
    SR_ASSIGN_OR_RETURN(cp, OpenCheckpoint(note.value_or(""), verifier));
  }
  const uint64_t size = size_opt.value_or(cp.size);
  if (size > cp.size) {
    return InvalidArgument("tree size " + std::to_string(size) +
                           " is beyond the latest checkpoint (" + std::to_string(cp.size) + ")");
  }
  TileNodeReader reader([&](int level, uint64_t i, uint64_t) { return store->ReadTile(level, i); });
  Json out;
  if (index) {
    SR_ASSIGN_OR_RETURN(std::vector<Hash> proof, InclusionProof(&reader, *index, size));
    SR_ASSIGN_OR_RETURN(StoredEntry stored, ReadEntry(store, *index));
    const std::string& entry = stored.entry;
    out = {{"index", *index},
           {"tree_size", size},
           {"leaf_hash", Base64Encode(LeafHash(entry).view())},
           {"proof", HashList(proof)}};
  } else {
    SR_ASSIGN_OR_RETURN(std::vector<Hash> proof, ConsistencyProof(&reader, from.value_or(0), size));
    out = {{"from", from.value_or(0)}, {"to", size}, {"proof", HashList(proof)}};
  }
  SR_ASSIGN_OR_RETURN(Hash root, TreeRoot(&reader, size));
  out["root"] = Base64Encode(root.view());
  if (size == cp.size) out["checkpoint"] = *note;
  return out;
}

Result<Json> EntryData(Store* store, uint64_t index) {
  SR_ASSIGN_OR_RETURN(uint64_t size, store->LogSize());
  if (index >= size) {
    return NotFound("entry " + std::to_string(index) + " is beyond the log (size " +
                    std::to_string(size) + ")");
  }
  SR_ASSIGN_OR_RETURN(StoredEntry stored, ReadEntry(store, index));
  return EntryView(index, stored);
}

Result<bool> SeesUnnamedRequests(Store* store, const std::string& person) {
  Projection state(store);
  SR_RETURN_IF_ERROR(state.LoadPerson(person));
  const Person* p = state.person(person);
  return p && p->status == PersonStatus::kActive &&
         (p->HasRole(kRoleAdministrator) || p->HasRole(kRoleSecurityManager));
}

NamedHoldings EventNames(const Event& e) {
  NamedHoldings out{e.holdings, ""};
  Event named = e;
  if (KindOf(e.type).wrapper) {
    auto inner = Wrapped(e);
    if (inner.ok()) named = std::move(inner).value();
  }
  if (named.type == EventType::kHoldingRegister && !named.holdings.empty()) {
    out.registers = named.holdings[0];
  }
  for (const FieldSpec& f : KindOf(named.type).fields) {
    if (f.ref != Ref::kHoldings) continue;
    for (const std::string& h : named.fields.List(f.name)) out.holdings.push_back(h);
  }
  if (named.type == EventType::kGrantAdd && named.Field("scope") == "holding") {
    out.holdings.push_back(named.Field("target"));
  }
  return out;
}

Result<NamedHoldings> EntryNames(Store* store, uint64_t index) {
  SR_ASSIGN_OR_RETURN(uint64_t size, store->LogSize());
  if (index >= size) return NotFound("entry " + std::to_string(index) + " is beyond the log");
  SR_ASSIGN_OR_RETURN(Event e, ReadEvent(store, index));
  return EventNames(e);
}

Result<bool> RegisteredBy(Store* store, const Holding& h, uint64_t index) {
  if (h.registered_index == static_cast<int64_t>(index)) return true;
  if (h.registered_index < static_cast<int64_t>(index)) return false;
  SR_ASSIGN_OR_RETURN(Event approval, ReadEvent(store, static_cast<uint64_t>(h.registered_index)));
  return approval.basis == static_cast<int64_t>(index);
}

Result<Json> DecisionData(Store* store, const std::string& origin, Event event, int64_t now) {
  Projection state(store);
  event.time = FormatRfc3339(now);
  if (KindOf(event.type).numbered && event.holdings.empty()) {
    event.holdings.push_back("H-new");
  }
  SR_RETURN_IF_ERROR(LoadReferences(event, &state));
  SR_ASSIGN_OR_RETURN(bool any, state.AnyPerson());
  SR_ASSIGN_OR_RETURN(uint64_t size, store->LogSize());
  SR_ASSIGN_OR_RETURN(Verdict v, Check(event, state, {!any, origin, size, /*explain=*/true}));
  const char* word = v.kind == Verdict::Kind::kAccept   ? "allowed"
                     : v.kind == Verdict::Kind::kDenied ? "denied"
                                                        : "needs a second person";
  return Json{{"decision", word},
              {"reasons", v.kind == Verdict::Kind::kAccept ? v.grounds : v.reasons}};
}

}  // namespace strongroom
