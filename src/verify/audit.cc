#include "verify/audit.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "base/encoding.h"
#include "custody/model.h"
#include "ledger/cosignature.h"
#include "ledger/log_writer.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"

namespace strongroom {
namespace {

std::string RowKey(const TableSpec& t, const Row& r) {
  std::string key;
  for (size_t i = 0; i < t.key_columns && i < r.values.size(); ++i) {
    key += (i ? "/" : "") + ValueToString(r.values[i]);
  }
  return key;
}

// Compares the rebuilt projection with the stored one, table by table.
Status CompareProjection(Store* store, const Projection& rebuilt, AuditReport* report) {
  const auto expected = rebuilt.AllRows();
  const auto& tables = ProjectionTables();
  for (size_t t = 0; t < tables.size(); ++t) {
    const TableSpec& spec = tables[t];
    std::vector<Row> stored;
    SR_RETURN_IF_ERROR(store->QueryRows(t, {}, 0, [&](const Row& r) {
      stored.push_back(r);
      return OkStatus();
    }));
    size_t i = 0, j = 0;
    const auto& want = expected[t];
    while (i < want.size() || j < stored.size()) {
      const Row* w = i < want.size() ? &want[i] : nullptr;
      const Row* s = j < stored.size() ? &stored[j] : nullptr;
      auto key_of = [&](const Row* r) {
        const size_t n = std::min(spec.key_columns, r->values.size());
        return std::vector<Value>(r->values.begin(), r->values.begin() + static_cast<long>(n));
      };
      const auto wk = w ? key_of(w) : std::vector<Value>();
      const auto sk = s ? key_of(s) : std::vector<Value>();
      if (w && (!s || wk < sk)) {
        report->Problem("projection " + spec.name + " " + RowKey(spec, *w) +
                        ": missing from the store but implied by the log");
        ++i;
      } else if (s && (!w || sk < wk)) {
        report->Problem("projection " + spec.name + " " + RowKey(spec, *s) +
                        ": present in the store but not implied by the log");
        ++j;
      } else {
        if (!(w->values == s->values)) {
          std::string cols;
          for (size_t c = 0; c < spec.columns.size(); ++c) {
            if (c >= s->values.size() || !(w->values[c] == s->values[c])) {
              cols += (cols.empty() ? "" : ", ") + spec.columns[c] + " is '" +
                      (c < s->values.size() ? ValueToString(s->values[c]) : "") +
                      "', the log implies '" + ValueToString(w->values[c]) + "'";
            }
          }
          report->Problem("projection " + spec.name + " " + RowKey(spec, *w) + ": " + cols);
        }
        ++i;
        ++j;
      }
    }
  }
  return OkStatus();
}

}  // namespace

Result<AuditReport> AuditStore(DataDir* data, const std::optional<NoteVerifier>& key) {
  Store* store = data->store();
  AuditReport report;
  const NoteVerifier verifier = key.value_or(data->verifier());
  if (data->verifier().Vkey() != verifier.Vkey()) {
    report.Problem("the store's verifier key " + data->verifier().Vkey() +
                   " is not the trusted key " + verifier.Vkey());
  }

  SR_ASSIGN_OR_RETURN(std::optional<std::string> origin, store->GetMeta("origin"));
  if (origin.value_or("") != verifier.name()) {
    report.Problem("meta origin '" + origin.value_or("") + "' is not the log key's name '" +
                   verifier.name() + "'");
  }

  // Every checkpoint: signature, origin, and the size it is stored under.
  std::map<uint64_t, Hash> roots;
  uint64_t latest = 0;
  SR_RETURN_IF_ERROR(store->ScanCheckpoints([&](uint64_t size, std::string_view note) {
    ++report.checkpoints;
    latest = size;
    auto cp = OpenCheckpoint(note, verifier);
    if (!cp.ok()) {
      report.Problem("checkpoint at size " + std::to_string(size) + ": " + cp.status().message());
      return OkStatus();
    }
    if (cp->size != size) {
      report.Problem("checkpoint stored at size " + std::to_string(size) + " says size " +
                     std::to_string(cp->size));
      return OkStatus();
    }
    roots[size] = cp->root;
    report.checkpoint = std::string(note);
    return OkStatus();
  }));
  if (report.checkpoints == 0) report.Problem("the store has no checkpoint");

  // Tiles as stored, to compare with those the entries produce.
  std::map<std::pair<int, uint64_t>, std::string> stored_tiles;
  SR_RETURN_IF_ERROR(store->ScanTiles([&](int level, uint64_t index, std::string_view data) {
    stored_tiles.emplace(std::make_pair(level, index), std::string(data));
    return OkStatus();
  }));
  report.tiles = stored_tiles.size();

  LogReplayer replay(&report, verifier.name(), [&](const TileData& t) {
    auto it = stored_tiles.find({t.id.level, t.id.index});
    if (it == stored_tiles.end()) {
      report.Problem("tile " + TilePath(t.id) + " is missing from the store");
      return;
    }
    if (it->second != t.data) {
      size_t i = 0;
      while (i < t.data.size() && i < it->second.size() && t.data[i] == it->second[i]) ++i;
      const uint64_t hash = i / 32;
      std::string what =
          "tile " + TilePath(t.id) + " differs from the entries at hash " + std::to_string(hash);
      if (t.id.level == 0) {
        what += ": the stored tile or entry " + std::to_string(t.id.index * kTileWidth + hash) +
                " has been altered";
      }
      report.Problem(what);
    }
    stored_tiles.erase(it);
  });
  auto check_root = [&] {
    auto it = roots.find(replay.size());
    if (it != roots.end() && !(it->second == replay.root())) {
      report.Problem("checkpoint at size " + std::to_string(replay.size()) +
                     ": root does not match the entries (" + Base64Encode(it->second.view()) +
                     " signed, " + Base64Encode(replay.root().view()) + " computed)");
    }
  };
  check_root();  // size 0
  // Every committed entry: those past the latest checkpoint (a writer that
  // stopped between committing and signing) too, if the log's sequencer
  // committed them (its committed head says so); the next writer signs them.
  SR_ASSIGN_OR_RETURN(uint64_t committed, store->CountEntries());
  uint64_t end = std::min(committed, latest);
  if (committed > latest) {
    SR_ASSIGN_OR_RETURN(std::optional<std::string> head, store->GetMeta("committed_head"));
    auto opened = OpenCommittedHead(head.value_or(""), verifier);
    if (opened.ok() && opened->first == committed) {
      end = committed;
      report.uncovered = committed - latest;
      roots[committed] = opened->second;  // the replayed tail must be the tree it vouches for
    } else {
      report.Problem("the store holds entries beyond its latest checkpoint (" +
                     std::to_string(committed) + " > " + std::to_string(latest) +
                     ") that the log's sequencer did not commit");
    }
  }
  Status scan = ScanDisclosedEntries(
      store, 0, end, [&](uint64_t index, std::string_view entry, std::string_view disclosure) {
        replay.Add(index, entry, disclosure);
        check_root();
        return OkStatus();
      });
  if (!scan.ok()) report.Problem(scan.message());
  replay.Finish();
  for (const auto& [id, data] : stored_tiles) {
    report.Problem("tile " + TilePath({id.first, id.second, data.size() / 32}) +
                   " is stored but not produced by the entries");
  }
  // A disclosure beyond the log discloses nothing (and would stop the
  // sequencer's next commit at its index): someone wrote it there.
  uint64_t orphans = 0;
  Status beyond = store->ScanDisclosures(end, static_cast<uint64_t>(INT64_MAX),
                                         [&](uint64_t, std::string_view) {
                                           ++orphans;
                                           return OkStatus();
                                         });
  if (!beyond.ok()) report.Problem(beyond.message());
  if (orphans > 0) {
    report.Problem(std::to_string(orphans) + " disclosures are stored for entries beyond the log");
  }
  if (report.sealed > 0) {
    report.Problem(std::to_string(report.sealed) +
                   " entries could not be opened: an entry seals fields and the store holds no "
                   "disclosure of it (the custody rules are replayed only to there)");
  }
  if (replay.replayed_all()) {
    SR_RETURN_IF_ERROR(CompareProjection(store, replay.state(), &report));
  } else {
    report.Problem("the projection is not compared: the log could not be replayed to its end");
  }
  return report;
}

Status ProveConsistencyFromTiles(TreeSource* source, const Checkpoint& earlier,
                                 const Checkpoint& later) {
  if (earlier.size > later.size) {
    return DataLoss("the log shrank from " + std::to_string(earlier.size) + " to " +
                    std::to_string(later.size) + " entries");
  }
  if (earlier.size == 0) return OkStatus();
  if (earlier.size == later.size) {
    return earlier.root == later.root
               ? OkStatus()
               : DataLoss("two different roots for tree size " + std::to_string(later.size));
  }
  TileNodeReader reader([&](int level, uint64_t index, uint64_t) -> Result<std::string> {
    for (const TileId& id : TilesForSize(level, later.size)) {
      if (id.index == index) return source->Fetch(TilePath(id));
    }
    return NotFound("no tile");
  });
  SR_ASSIGN_OR_RETURN(std::vector<Hash> proof, ConsistencyProof(&reader, earlier.size, later.size));
  return VerifyConsistency(earlier.size, later.size, earlier.root, later.root, proof);
}

namespace {

// The trusted witnesses whose cosignature on `note` verifies; a cosignature
// that is there but does not verify is a problem.
std::vector<std::string> CosignedBy(const std::string& note, const WitnessPolicy& witnesses,
                                    std::vector<std::string>* problems) {
  std::vector<std::string> by;
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return by;
  for (const NoteVerifier& w : witnesses.witnesses) {
    auto stamp = VerifyCosignature(*parsed, w);
    if (stamp.ok()) {
      by.push_back(w.name());
    } else if (stamp.status().code() != StatusCode::kNotFound) {
      problems->push_back(stamp.status().message());
    }
  }
  return by;
}

}  // namespace

Result<AuditReport> VerifyPublishedTree(TreeSource* source, const NoteVerifier& key,
                                        const std::optional<std::string>& previous,
                                        const WitnessPolicy& witnesses) {
  AuditReport report;
  SR_ASSIGN_OR_RETURN(std::string note, source->Fetch("checkpoint"));
  auto cp = OpenCheckpoint(note, key);
  if (!cp.ok()) {
    report.Problem("checkpoint: " + cp.status().message());
    return report;
  }
  // Checkpoints the tree must be consistent with: the auditor's own earlier
  // one, and the one the witnesses cosigned when that is not the latest.
  std::vector<std::pair<std::string, Checkpoint>> earlier;
  if (witnesses.quorum > 0) {
    std::vector<std::string> problems;
    std::vector<std::string> by = CosignedBy(note, witnesses, &problems);
    if (by.size() < witnesses.quorum) {
      // A busy log moves past what the witnesses cosigned: the service also
      // serves the latest cosigned checkpoint, and a tree consistent with a
      // checkpoint a quorum vouched for is as good as a cosigned one.
      auto kept = source->Fetch("api/v1/cosigned-checkpoint");
      auto kept_cp = kept.ok() ? OpenCheckpoint(*kept, key) : Result<Checkpoint>(kept.status());
      std::vector<std::string> kept_problems;
      std::vector<std::string> kept_by =
          kept_cp.ok() ? CosignedBy(*kept, witnesses, &kept_problems) : std::vector<std::string>();
      if (kept_by.size() >= witnesses.quorum) {
        by = std::move(kept_by);
        for (auto& p : kept_problems) problems.push_back(std::move(p));
        if (kept_cp->size > cp->size) {  // cosigned after we fetched the checkpoint
          note = *kept;
          cp = *kept_cp;
        } else {
          earlier.emplace_back("the cosigned checkpoint", *kept_cp);
        }
      }
    }
    for (auto& p : problems) report.Problem("checkpoint: " + std::move(p));
    report.cosigned_by = by;
    if (by.size() < witnesses.quorum) {
      report.Problem("the checkpoint is cosigned by " + std::to_string(by.size()) + " of the " +
                     std::to_string(witnesses.witnesses.size()) +
                     " trusted witnesses; the quorum is " + std::to_string(witnesses.quorum));
      return report;
    }
    report.cosigned_size = earlier.empty() ? cp->size : earlier.back().second.size;
  }
  report.checkpoint = note;
  report.checkpoints = 1;
  if (previous) {
    auto p = OpenCheckpoint(*previous, key);
    if (!p.ok()) return InvalidArgument("the earlier checkpoint: " + p.status().message());
    earlier.emplace_back("the earlier checkpoint", *p);
  }
  for (const auto& [what, e] : earlier) {
    if (e.size > cp->size) {
      report.Problem("the log shrank: " + what + " has size " + std::to_string(e.size) +
                     ", the current one " + std::to_string(cp->size));
      return report;
    }
  }

  auto fetch_tile = [&](const TileId& id) -> Result<std::string> {
    return source->Fetch(TilePath(id));
  };
  LogReplayer replay(&report, key.name(), [&](const TileData& t) {
    ++report.tiles;
    auto got = fetch_tile(t.id);
    if (!got.ok()) {
      report.Problem("tile " + TilePath(t.id) + ": " + got.status().message());
    } else if (*got != t.data) {
      report.Problem("tile " + TilePath(t.id) + " differs from the hashes of the entries");
    }
  });
  std::vector<bool> reached(earlier.size(), false);
  auto check_prev = [&] {
    for (size_t i = 0; i < earlier.size(); ++i) {
      const auto& [what, e] = earlier[i];
      if (replay.size() != e.size) continue;
      reached[i] = true;
      if (!(replay.root() == e.root)) {
        report.Problem("the log is not consistent with " + what + " at size " +
                       std::to_string(e.size) + ": history was rewritten");
      }
    }
  };
  check_prev();
  for (const TileId& t : TilesForSize(0, cp->size)) {
    TileId id{TileId::kEntriesLevel, t.index, t.width};
    auto bundle = fetch_tile(id);
    if (!bundle.ok()) {
      report.Problem("entry bundle " + TilePath(id) + ": " + bundle.status().message());
      return report;
    }
    auto entries = SplitEntryBundle(*bundle);
    if (!entries.ok() || entries->size() != t.width) {
      report.Problem("entry bundle " + TilePath(id) + " is malformed or does not hold " +
                     std::to_string(t.width) + " entries");
      return report;
    }
    for (size_t i = 0; i < entries->size(); ++i) {
      replay.Add(t.index * kTileWidth + i, (*entries)[i]);
      check_prev();
    }
  }
  replay.Finish();
  if (!(replay.root() == cp->root)) {
    report.Problem("the entries do not hash to the checkpoint's root");
  }
  for (size_t i = 0; i < earlier.size(); ++i) {
    const auto& [what, e] = earlier[i];
    if (!reached[i]) report.Problem(what + "'s size was never reached");
    // The light-client path: a consistency proof from the tiles alone.
    Status st = ProveConsistencyFromTiles(source, e, *cp);
    if (!st.ok())
      report.Problem("consistency proof from the tiles to " + what + ": " + st.message());
  }
  return report;
}

}  // namespace strongroom
