// LogReplayer: the heart of every audit. Fed the entries of a log in order,
// it re-derives everything from them alone: leaf hashes, the tree and its
// C2SP tiles, the root at every size, and the custody projection (by running
// the same rules as the sequencer on a scratch projection). It records every
// problem it finds with the index it concerns.
#ifndef STRONGROOM_VERIFY_REPLAY_H_
#define STRONGROOM_VERIFY_REPLAY_H_

#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "custody/projection.h"
#include "custody/rules.h"
#include "ledger/merkle.h"
#include "verify/public_rules.h"

namespace strongroom {

// The outcome of an audit: what was checked and every problem found.
struct AuditReport {
  uint64_t entries = 0;
  uint64_t checkpoints = 0;
  uint64_t tiles = 0;
  std::string checkpoint;                // the checkpoint the audit ended at
  std::vector<std::string> cosigned_by;  // trusted witnesses whose cosignature verified
  uint64_t cosigned_size = 0;            // the size of the checkpoint they cosigned
  uint64_t uncovered = 0;  // committed entries the next writer will sign (past the checkpoint)
  uint64_t actor_signed = 0;  // entries whose actor's own signature verified
  uint64_t schema2 = 0;       // entries of schema 2, written before actor signatures
  uint64_t clear = 0;         // entries of schema 2 or 3, whose fields are in clear
  // Entries read sealed (no disclosure: a published tree): their structure
  // and signatures are checked, the custody rules not replayed.
  uint64_t sealed = 0;
  uint64_t disclosed = 0;     // entries whose disclosure opened every commitment
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
  void Problem(std::string p) {
    if (problems.size() < kMaxProblems) problems.push_back(std::move(p));
  }
  static constexpr size_t kMaxProblems = 100;
};

class LogReplayer {
 public:
  // `on_tile` receives each hash tile the entries produce, full tiles as they
  // complete and partial ones at Finish(); it compares them with what is
  // stored or published.
  using TileCheck = std::function<void(const TileData&)>;
  // `origin` is the log's, which personal signatures are bound to.
  LogReplayer(AuditReport* report, std::string origin, TileCheck on_tile)
      : report_(report),
        origin_(std::move(origin)),
        on_tile_(std::move(on_tile)),
        state_(nullptr),
        public_(origin_) {}

  // `disclosure`, for an entry that seals fields, opens its commitments
  // (a store's audit); without it (a published tree) that entry and every
  // later one are checked for structure and signatures only.
  void Add(uint64_t index, std::string_view entry, std::string_view disclosure = {});
  // Emits the remaining (partial) tiles and verifies the signatures still
  // pending: the report is complete only after it.
  void Finish();

  uint64_t size() const { return builder_.size(); }
  Hash root() const { return builder_.Root(); }
  const Projection& state() const { return state_; }
  // The same, to load indexes over (a scratch projection reads no store).
  Projection* mutable_state() { return &state_; }
  // False once an entry failed to parse or the rules refused one: the state
  // after it means nothing, so later entries are only hashed, and the
  // rebuilt projection is not worth comparing.
  bool replayed_all() const { return replaying_ && !sealed_mode_; }

 private:
  std::string StopReplay();
  // Actor signatures are verified in batches, on every core: each costs
  // about as much as replaying ten entries.
  struct PendingSignature {
    uint64_t index;
    std::string what;
    ActorSignature signature;
  };
  void VerifyPending();
  void Queue(uint64_t index, const Event& event, ActorSignature signature);
  static constexpr size_t kSignatureBatch = 4096;
  std::vector<PendingSignature> pending_;
  std::unordered_set<std::string> verified_;  // key + bytes + signature, bounded

  AuditReport* report_;
  std::string origin_;
  TileCheck on_tile_;
  TreeBuilder builder_;
  Projection state_;
  std::string last_time_;
  int last_version_ = 0;
  bool replaying_ = true;
  std::unordered_set<std::string> nonces_;
  // What the public values decide, kept for every entry, checked for
  // those read sealed (from the first one on).
  PublicRules public_;
  bool sealed_mode_ = false;
  ReplayedLog log_;
};

}  // namespace strongroom

#endif  // STRONGROOM_VERIFY_REPLAY_H_
