#include "verify/replay.h"

#include <algorithm>
#include <thread>
#include <unordered_map>

#include "crypto/ed25519.h"
#include "custody/event.h"
#include "base/encoding.h"
#include "custody/kinds/kind.h"
#include "custody/rules.h"

namespace strongroom {

void LogReplayer::Add(uint64_t index, std::string_view entry, std::string_view disclosure) {
  const std::string where = "entry " + std::to_string(index) + ": ";
  if (index != builder_.size()) {
    report_->Problem(where + "out of order (expected entry " + std::to_string(builder_.size()) +
                     ")");
  }
  builder_.Append(LeafHash(entry));
  if (builder_.size() % kTileWidth == 0) {
    for (const TileData& t : builder_.TakeChangedTiles()) {
      if (t.id.full()) on_tile_(t);
    }
  }
  ++report_->entries;

  if (!replaying_) return;
  auto event = Event::FromEntry(entry, disclosure);
  if (!event.ok()) {
    report_->Problem(where + event.status().message() + StopReplay());
    return;
  }
  log_.Next(index, event->type, builder_);
  if (event->version < kSealedEntrySchema) ++report_->clear;
  if (!disclosure.empty()) ++report_->disclosed;
  if (event->time < last_time_) {
    report_->Problem(where + "time " + event->time + " is before the previous entry's " +
                     last_time_);
  }
  last_time_ = event->time;
  if (!nonces_.insert(event->nonce).second) report_->Problem(where + "nonce is not unique");
  if (event->version < last_version_) {
    report_->Problem(where + "schema " + std::to_string(event->version) +
                     " after an entry of schema " + std::to_string(last_version_) +
                     " (a log never goes back to entries without actor signatures)");
  }
  last_version_ = std::max(last_version_, event->version);
  if (event->version < 3) ++report_->schema2;
  if (event->sealed()) sealed_mode_ = true;
  if (sealed_mode_) {
    ++report_->sealed;
    std::vector<std::string> problems;
    std::vector<ActorSignature> signatures;
    public_.Check(index, *event, &problems, &signatures);
    for (const std::string& p : problems) report_->Problem(where + p);
    for (ActorSignature& s : signatures) Queue(index, *event, std::move(s));
    public_.Apply(index, *event);
    return;
  }

  Status st = LoadReferences(*event, &state_);
  CheckEnv env{false, origin_, index};
  env.log = &log_;
  if (st.ok() && event->type == EventType::kPersonAdd) env.bootstrap = !state_.AnyPerson().value();
  if (st.ok()) {
    // Who acted: the actor's own signature, against the key the log holds
    // for them at this point (not later: a rotated key does not re-sign).
    auto sig = ActorSignatureOf(*event, state_, env);
    if (!sig.ok()) {
      report_->Problem(where + sig.status().message());
    } else if (!sig->key.empty()) {
      Queue(index, *event, std::move(sig).value());
    }
  }
  if (st.ok()) {
    auto verdict = Check(*event, state_, env);
    if (!verdict.ok()) {
      st = verdict.status();
    } else if (verdict->kind != Verdict::Kind::kAccept) {
      st = FailedPrecondition("the policy gives it: " +
                              (verdict->reasons.empty() ? std::string("?") : verdict->reasons[0]));
    }
  }
  if (!st.ok()) {
    report_->Problem(where + "the custody rules refuse this " + EventTypeName(event->type) + ": " +
                     st.message() + StopReplay());
    return;
  }
  Apply(*event, index, &state_);
  public_.Apply(index, *event);
}

void LogReplayer::Queue(uint64_t index, const Event& event, ActorSignature signature) {
  pending_.push_back({index, std::string(EventTypeName(event.type)) + " by " + event.actor,
                      std::move(signature)});
  if (pending_.size() >= kSignatureBatch) VerifyPending();
}

std::string LogReplayer::StopReplay() {
  replaying_ = false;
  return " (later entries are hashed but no longer replayed)";
}

void LogReplayer::VerifyPending() {
  // Each distinct signature once (the events of a signed batch share one),
  // on every core.
  std::vector<std::string> ids(pending_.size());
  std::vector<size_t> todo;  // a pending signature of each distinct id not yet known
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < pending_.size(); ++i) {
    const ActorSignature& s = pending_[i].signature;
    ids[i] = s.key + s.message + s.signature;
    if (verified_.count(ids[i])) continue;
    if (seen.insert(ids[i]).second) todo.push_back(i);
  }
  std::vector<char> good(todo.size(), 0);
  const size_t workers =
      std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), 16));
  auto verify = [&](size_t from) {
    for (size_t t = from; t < todo.size(); t += workers) {
      const ActorSignature& s = pending_[todo[t]].signature;
      good[t] = Ed25519Verify(s.key, s.message, s.signature);
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers && w < todo.size(); ++w) threads.emplace_back(verify, w);
  verify(0);
  for (auto& t : threads) t.join();
  std::unordered_map<std::string, bool> outcome;  // of this batch's new ids
  for (size_t t = 0; t < todo.size(); ++t) outcome.emplace(ids[todo[t]], good[t] != 0);
  for (size_t i = 0; i < pending_.size(); ++i) {
    auto it = outcome.find(ids[i]);
    if (it == outcome.end() || it->second) {  // known from before, or verified now
      ++report_->actor_signed;
    } else {
      report_->Problem("entry " + std::to_string(pending_[i].index) + ": the actor signature of " +
                       pending_[i].what + " does not verify");
    }
  }
  if (verified_.size() > 65536) verified_.clear();  // bounded; a batch spans far fewer
  for (const auto& [id, ok] : outcome) {
    if (ok) verified_.insert(id);
  }
  pending_.clear();
}

void LogReplayer::Finish() {
  VerifyPending();
  for (const TileData& t : builder_.TakeChangedTiles()) {
    if (t.id.full()) on_tile_(t);
  }
  for (const TileData& t : builder_.PartialTiles()) on_tile_(t);
}

}  // namespace strongroom
