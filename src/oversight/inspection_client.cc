#include "oversight/inspection_client.h"

#include "base/encoding.h"
#include "ledger/note.h"
#include "ledger/proof.h"

namespace strongroom::oversight {

Status CompleteOpen(Projection* s, const std::string& reveal, Event* open) {
  if (reveal.size() != kRevealSize) return InvalidArgument("the reveal must be 32 bytes");
  SR_RETURN_IF_ERROR(open->fields.Set("commitment", Json(Commitment(reveal))));
  return CompletePopulation(s, open);
}

Status CompletePopulation(Projection* s, Event* open) {
  const Scope scope = ScopeOf(*open);
  SR_RETURN_IF_ERROR(s->LoadHoldingsIn(scope.facility));
  std::vector<std::string> population = Population(*s, scope);
  SR_RETURN_IF_ERROR(open->fields.Set("population", Json(static_cast<int64_t>(population.size()))));
  return open->fields.Set("population_hash", Json(PopulationHash(&population)));
}

Status CompleteDraw(const Inspection& v, const Hash& root, const std::string& reveal, Event* draw) {
  if (Commitment(reveal) != v.commitment) {
    return InvalidArgument("this reveal does not open inspection " + v.id +
                           "'s commitment (is it the file written when it was opened?)");
  }
  // The client trusts no row of the store's either.
  SR_ASSIGN_OR_RETURN(const std::vector<std::string> population, StatedPopulation(v));
  const auto sample = DrawSample(SampleSeed(root, reveal), population, v.sample_size);
  if (draw->Field("inspection") != v.id) return InvalidArgument("the draw names another inspection");
  SR_RETURN_IF_ERROR(draw->fields.Set("reveal", Json(Base64Encode(reveal))));
  SR_RETURN_IF_ERROR(draw->fields.Set("root", Json(Base64Encode(root.view()))));
  SR_RETURN_IF_ERROR(draw->fields.Set("sample_size", Json(static_cast<int64_t>(sample.size()))));
  if (ListsSample(sample)) SR_RETURN_IF_ERROR(draw->fields.Set("sample", Json(sample)));
  return draw->fields.Set("sample_hash", Json(SampleHash(sample)));
}

Status CompleteDrawFrom(Store* store, const std::string& reveal, Event* draw) {
  Projection state(store);
  SR_ASSIGN_OR_RETURN(Inspection v, ReadInspection(&state, draw->Field("inspection")));
  if (v.status != "open") return FailedPrecondition("inspection " + v.id + " is " + v.status + ", not open");
  // The store's latest checkpoint (the sequencer checks the draw against
  // the one it signed itself).
  SR_ASSIGN_OR_RETURN(auto latest, store->LatestCheckpoint());
  uint64_t signed_size = 0;
  if (latest) {
    const size_t end = latest->find("\n\n");
    auto cp = ParseCheckpointBody(latest->substr(0, end == std::string::npos ? end : end + 1));
    if (cp.ok()) signed_size = cp->size;
  }
  if (signed_size <= static_cast<uint64_t>(v.open_index)) {
    return FailedPrecondition("no signed checkpoint covers " + v.id +
                              "'s open entry yet: the reveal stays with its inspector until one does");
  }
  TileNodeReader tiles([&](int level, uint64_t i, uint64_t) { return store->ReadTile(level, i); });
  SR_ASSIGN_OR_RETURN(Hash root, TreeRoot(&tiles, static_cast<uint64_t>(v.open_index) + 1));
  return CompleteDraw(v, root, reveal, draw);
}

Result<Inspection> ReadInspection(Projection* s, const std::string& id) {
  SR_RETURN_IF_ERROR(s->LoadOversightRecord(id));
  const OversightRecord* r = s->oversight_record(id);
  if (!r) return NotFound("inspection " + id + " does not exist");
  return Inspection::FromRecord(*r);
}

}  // namespace strongroom::oversight
