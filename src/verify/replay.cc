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
    CheckSealed(index, *event);
    RecordKey(*event);
    return;
  }

  Status st = LoadReferences(*event, &state_);
  CheckEnv env{false, origin_, index};
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
  RecordKey(*event);
}

void LogReplayer::Queue(uint64_t index, const Event& event, ActorSignature signature) {
  pending_.push_back({index, std::string(EventTypeName(event.type)) + " by " + event.actor,
                      std::move(signature)});
  if (pending_.size() >= kSignatureBatch) VerifyPending();
}

void LogReplayer::RecordKey(const Event& e) {
  // An accepted person.enrol or person.rekey, and the founder's person.add,
  // are the only entries that give a person a key (wrappers change nothing).
  if (e.type != EventType::kPersonEnrol && e.type != EventType::kPersonRekey &&
      e.type != EventType::kPersonAdd) {
    return;
  }
  const std::string& key = e.Field("public_key");
  if (key.empty()) return;
  const std::string& person = e.Field("person").empty() ? e.actor : e.Field("person");
  if (auto raw = Base64Decode(key); raw.ok()) keys_[person] = std::move(raw).value();
}

void LogReplayer::CheckSealed(uint64_t index, const Event& e) {
  // Without the cleartext the custody rules cannot be replayed; what an
  // outside auditor still checks: every signature, against the keys the log
  // recorded, over the entry's sealed fields.
  const std::string where = "entry " + std::to_string(index) + ": ";
  const std::string what = std::string(EventTypeName(e.type)) + " by " + e.actor;
  if (e.version < 3) return;
  Event submitted = e;
  if (KindOf(e.type).wrapper) {
    auto inner = Wrapped(e);
    if (!inner.ok()) return report_->Problem(where + inner.status().message());
    submitted = std::move(inner).value();
  }
  if (!e.signatures.empty()) {
    // A denied completion may be denied for a signature that does not
    // verify, which only its sealed reasons say: not checked here.
    if (e.type == EventType::kDenied) return;
    auto message = SignedRequest(origin_, submitted);
    if (!message.ok()) return report_->Problem(where + message.status().message());
    for (const Signature& sig : e.signatures) {
      auto key = keys_.find(sig.person);
      if (key == keys_.end()) {
        report_->Problem(where + "the signature of " + sig.person + " on " + what +
                         ": they have no key in the log");
        continue;
      }
      Queue(index, e, ActorSignature{key->second, *message, Base64Decode(sig.signature).value()});
    }
    return;
  }
  if (KindOf(submitted.type).numbered && submitted.holdings.size() == 1 &&
      submitted.holdings[0] == NumberedHoldingId(index)) {
    submitted.holdings.clear();
  }
  std::string key;
  if (auto it = keys_.find(e.actor); it != keys_.end()) {
    key = it->second;
  } else if ((submitted.type == EventType::kPersonEnrol ||
              (submitted.type == EventType::kPersonAdd && keys_.empty())) &&
             (submitted.Field("person").empty() || submitted.Field("person") == e.actor)) {
    key = Base64Decode(submitted.Field("public_key")).value();  // a checked key field
  }
  if (key.empty()) {
    return report_->Problem(where + what + ": " + e.actor + " has no personal key in the log");
  }
  auto bytes = ActorSignedBytes(origin_, submitted);
  if (!bytes.ok()) return report_->Problem(where + bytes.status().message());
  Queue(index, e, ActorSignature{key, *bytes, Base64Decode(e.actor_signature).value()});
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
