#include "custody/sequencer.h"

#include "ledger/proof.h"

#include <cstdio>

#include "base/encoding.h"
#include "crypto/ed25519.h"
#include "custody/kinds/kind.h"
#include "custody/rules.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"

namespace strongroom {
namespace {
constexpr size_t kNonce = 16;  // bytes
}  // namespace

Result<std::unique_ptr<Sequencer>> Sequencer::Start(Store* store, NoteSigner signer, Clock* clock,
                                                    Random* random, SequencerOptions options) {
  SR_ASSIGN_OR_RETURN(LogWriter writer, LogWriter::Open(store, std::move(signer)));
  std::unique_ptr<Sequencer> s(new Sequencer(store, std::move(writer), clock, random, options));
  // The newest entry's time: times in the log never go backwards.
  if (s->writer_.size() > 0) {
    SR_RETURN_IF_ERROR(store->ScanEntries(s->writer_.size() - 1, s->writer_.size(),
                                          [&](uint64_t, std::string_view entry) {
                                            SR_ASSIGN_OR_RETURN(Event e, Event::FromEntry(entry));
                                            s->last_time_ = ParseRfc3339(e.time).value();
                                            return OkStatus();
                                          }));
  }
  // Times are the sequencer's and never go back, so one entry dated ahead
  // (written into the database, or by a clock set wrong) would date every
  // later one ahead too, ending quarantines and requests early: not signed
  // over, not continued, until the operator looks.
  if (s->last_time_ > clock->Now() + kMaxClockSkewMicros) {
    return FailedPrecondition("the log's newest entry is dated " +
                              FormatRfc3339(s->last_time_) + ", ahead of this machine's clock (" +
                              FormatRfc3339(clock->Now()) +
                              "): an entry dated in the future, or a clock set back; the log is "
                              "not continued (run strongroom verify, check the clock)");
  }
  // The lease: from here on, a batch of an older sequencer commits nothing.
  SR_ASSIGN_OR_RETURN(s->epoch_, store->AcquireLease());
  // Entries committed but never covered by a checkpoint (the last writer
  // stopped between its commit and its signature) are signed now.
  if (s->writer_.size() > s->writer_.signed_size()) {
    SR_ASSIGN_OR_RETURN(std::string note, s->writer_.SignCommitted());
    SR_RETURN_IF_ERROR(store->PutCheckpoint(s->writer_.size(), note));
  }
  s->committed_size_ = s->writer_.size();
  SR_ASSIGN_OR_RETURN(auto cp, store->LatestCheckpoint());
  s->committed_checkpoint_ = cp.value_or("");
  s->answer_thread_ = std::thread([p = s.get()] { p->AnswerAll(); });
  s->commit_thread_ = std::thread([p = s.get()] { p->CommitAll(); });
  s->thread_ = std::thread([p = s.get()] { p->Run(); });
  return s;
}

Sequencer::Sequencer(Store* store, LogWriter writer, Clock* clock, Random* random,
                     SequencerOptions o)
    : store_(store),
      reads_(o.read_store ? o.read_store : store),
      pipelined_(o.read_store != nullptr),
      writer_(std::move(writer)),
      clock_(clock),
      random_(random),
      options_(o),
      origin_(writer_.signer().name()),
      projection_(reads_) {}

Sequencer::~Sequencer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard<std::mutex> lock(commit_mu_);
    commits_done_ = true;
  }
  commit_cv_.notify_all();
  if (commit_thread_.joinable()) commit_thread_.join();
  {
    std::lock_guard<std::mutex> lock(answer_mu_);
    answers_done_ = true;
  }
  answer_cv_.notify_all();
  if (answer_thread_.joinable()) answer_thread_.join();
}

void Sequencer::Answer(Answers answers) {
  if (answers.empty()) return;
  {
    std::lock_guard<std::mutex> lock(answer_mu_);
    answers_.push_back(std::move(answers));
  }
  answer_cv_.notify_one();
}

void Sequencer::AnswerAll() {
  for (;;) {
    std::deque<Answers> ready;
    {
      std::unique_lock<std::mutex> lock(answer_mu_);
      answer_cv_.wait(lock, [&] { return answers_done_ || !answers_.empty(); });
      if (answers_.empty()) return;  // the sequencer has ended and all is answered
      ready.swap(answers_);
    }
    for (Answers& batch : ready) {
      for (auto& [done, result] : batch) {
        try {
          done(std::move(result));
        } catch (const std::exception& e) {  // a caller's bug must not end the answering thread
          std::fprintf(stderr, "sequencer: an answer callback threw: %s\n", e.what());
        }
      }
    }
  }
}

std::string Sequencer::Nonce() {
  if (nonce_at_ + kNonce > nonces_.size()) {
    nonces_ = random_->Bytes(256 * kNonce);  // one call to the generator per 256 events
    nonce_at_ = 0;
  }
  std::string_view nonce(nonces_.data() + nonce_at_, kNonce);
  nonce_at_ += kNonce;
  return Base64Encode(nonce);
}

std::future<Result<Receipt>> Sequencer::SubmitAsync(Event event,
                                                    std::vector<RowWrite> attachments) {
  auto promise = std::make_shared<std::promise<Result<Receipt>>>();
  auto future = promise->get_future();
  Submit(std::move(event), std::move(attachments),
         [promise](Result<Receipt> r) { promise->set_value(std::move(r)); });
  return future;
}

void Sequencer::Submit(Event event, std::vector<RowWrite> attachments, Done done) {
  // The actor's signature is verified here, on the caller's thread and
  // outside the sequencer's critical section, against the key the caller
  // signed with; Admit() then only compares that key with the one the log
  // holds for the actor.
  if (!event.actor_signature.empty()) {
    if (auto nonce = Base64Decode(event.nonce); !nonce.ok() || nonce->size() != kNonce) {
      return done(InvalidArgument("a signed event's nonce is base64 of 16 bytes"));
    }
    // (What the signature covers must be encodable before it is computed.)
    if (!Signable(event)) return done(InvalidArgument("invalid actor or holding identifier"));
    auto signature = Base64Decode(event.actor_signature);
    auto bytes = ActorSignedBytes(origin_, event);
    if (!signature.ok() || !bytes.ok() || event.signer_key.size() != 32 ||
        !VerifiedBefore(event.signer_key, *bytes, *signature)) {
      return done(Unauthenticated("the actor signature of " + event.actor +
                                  " does not verify for this event"));
    }
  } else {
    event.nonce.clear();  // the sequencer draws it
  }
  bool stopping;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping = stopping_;
    if (!stopping && queue_.size() < options_.max_queue) {
      queue_.push_back({std::move(event), std::move(attachments), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(Unavailable(stopping ? "the sequencer is stopping"
                            : "the sequencer's queue is full (" +
                                  std::to_string(options_.max_queue) + " events); retry later"));
}

bool Sequencer::VerifiedBefore(const std::string& key, const std::string& bytes,
                               const std::string& signature) {
  // The events of a signed batch arrive one by one with one signature:
  // verified once, then recognised.
  std::string id = key + bytes + signature;
  {
    std::lock_guard<std::mutex> lock(verified_mu_);
    if (verified_.count(id)) return true;
  }
  if (!Ed25519Verify(key, bytes, signature)) return false;
  std::lock_guard<std::mutex> lock(verified_mu_);
  if (verified_.size() >= 4096) verified_.clear();
  verified_.insert(std::move(id));
  return true;
}

size_t Sequencer::queue_depth() {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

std::pair<uint64_t, uint64_t> Sequencer::batches() {
  std::lock_guard<std::mutex> lock(mu_);
  return {batches_, batched_entries_};
}

Result<Hash> Sequencer::CommittedLog::RootAt(uint64_t size) {
  if (size > s_->size()) {
    return NotFound("the log's tree of " + std::to_string(size) +
                    " entries is not yet covered by a signed checkpoint");
  }
  TileNodeReader tiles([&](int level, uint64_t i, uint64_t) { return s_->reads_->ReadTile(level, i); });
  return TreeRoot(&tiles, size);
}

uint64_t Sequencer::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return committed_size_;
}

std::string Sequencer::checkpoint() {
  std::lock_guard<std::mutex> lock(mu_);
  return committed_checkpoint_;
}

void Sequencer::Run() {
  for (;;) {
    std::deque<Pending> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      // Pipelined, the next batch is taken while one commits only once as
      // many events wait as that one holds: group commit keeps its batches
      // big (smaller ones would cost more syncs than the overlap saves).
      cv_.wait(lock, [&] {
        if (stopping_) return true;
        if (queue_.empty()) return false;
        const size_t in_flight = in_flight_.load();
        return in_flight == 0 || queue_.size() >= std::min(in_flight, options_.max_batch);
      });
      if (queue_.empty()) return;  // stopping, and everything answered
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Sequence(&batch);
  }
}

Result<std::string> Sequencer::Admit(Event* e, uint64_t index, Receipt* receipt) {
  last_time_ = std::max(last_time_, clock_->Now());
  e->time = FormatRfc3339(last_time_);
  if (e->nonce.empty()) e->nonce = Nonce();  // a signed event brings its own
  e->version = kEntrySchemaVersion;
  const EventKind& kind = KindOf(e->type);
  // The sequencer's id form is the sequencer's: one submitted, even the very
  // number this entry gets, would be signed with it while verify strips it.
  if (kind.numbered && e->basis == 0 && !e->holdings.empty() && LooksNumbered(e->holdings[0])) {
    return InvalidArgument("holding ids of the form H-<number> are given by the sequencer; " +
                           e->holdings[0] + " cannot be chosen");
  }
  if (kind.numbered && e->holdings.empty()) e->holdings.push_back(NumberedHoldingId(index));
  // A signed event is good for one entry: its nonce is never seen twice
  // (verify checks the whole log; here, the last 2^18 signed events).
  if (!e->actor_signature.empty()) {
    if (recent_nonces_.count(e->nonce)) {
      return InvalidArgument("this signed event was submitted before (its nonce is used)");
    }
  }
  if (kind.wrapper) {
    return InvalidArgument(std::string(EventTypeName(e->type)) +
                           " entries are written by the sequencer only");
  }
  // Check() validates the fields; LoadReferences only reads what they name.
  SR_RETURN_IF_ERROR(LoadReferences(*e, &projection_));
  CheckEnv env{false, origin_, index};
  env.admitting = true;
  env.log = &committed_log_;
  if (kind.founds) {
    SR_ASSIGN_OR_RETURN(bool any, projection_.AnyPerson());
    env.bootstrap = !any;
  }
  SR_ASSIGN_OR_RETURN(Verdict verdict, Check(*e, projection_, env));
  SR_RETURN_IF_ERROR(CheckActorSignature(*e, projection_, env, /*cryptographic=*/false));
  receipt->reasons = verdict.reasons;
  if (verdict.kind == Verdict::Kind::kNeedsApproval && !e->signatures.empty()) {
    // A request carries its actor's signature, which a signed completion
    // (an acknowledgement) does not have: it is refused, not re-requested.
    return FailedPrecondition("the signatures given are not enough: " +
                              (verdict.reasons.empty() ? std::string("?") : verdict.reasons[0]));
  }
  if (kind.refusals_only && verdict.kind != Verdict::Kind::kDenied) {
    return FailedPrecondition(e->actor + " may make this read: only refused reads are logged");
  }
  // Whoever signed drew the key of the event's seals; an event nobody
  // signed as its actor (a completion, with `signatures`) and a wrapper of
  // an event that seals nothing get one here.
  if (e->seal_key.empty()) e->seal_key = SystemRandom()->Bytes(kSealKeySize);
  if (verdict.kind == Verdict::Kind::kDenied) {
    receipt->outcome = Outcome::kDenied;
    *e = DeniedEvent(*e, verdict.reasons);
  } else if (verdict.kind == Verdict::Kind::kNeedsApproval) {
    receipt->outcome = Outcome::kPending;
    *e = RequestEvent(*e, verdict.reasons);
  }
  SR_ASSIGN_OR_RETURN(std::string entry, e->ToEntry());
  if (entry.size() > kMaxEntrySize) {
    return InvalidArgument("the event encodes to " + std::to_string(entry.size()) +
                           " bytes; an entry is at most " + std::to_string(kMaxEntrySize));
  }
  Apply(*e, index, &projection_);
  if (!e->actor_signature.empty()) {
    if (recent_nonces_.size() >= (size_t{1} << 18)) recent_nonces_.clear();
    recent_nonces_.insert(e->nonce);
  }
  return entry;
}

void Sequencer::Sequence(std::deque<Pending>* batch) {
  std::vector<std::string> entries;
  std::vector<std::string> disclosures;
  std::vector<Pending*> accepted;
  std::vector<Receipt> receipts;
  Answers answers;
  answers.reserve(batch->size());
  {
    // Before admitting: after a failed commit, or with the cache too big,
    // wait for the committer to finish what it holds, then drop the
    // projection (and re-read the log's state) so that nothing is decided
    // on state that was never committed, or re-read before it is.
    std::unique_lock<std::mutex> lock(commit_mu_);
    if (broken_ || resync_ || deposed_ ||
        projection_.cached_records() > options_.max_cached_records) {
      commit_cv_.wait(lock, [&] { return prepared_.empty() && !committing_; });
      projection_.Discard();
      if ((broken_ || resync_) && !deposed_) {
        if (Status reload = writer_.Reload(); !reload.ok()) {
          for (Pending& p : *batch) answers.emplace_back(std::move(p.done), reload);
          lock.unlock();
          return Answer(std::move(answers));
        }
        broken_ = false;
        resync_ = false;
      }
    }
    if (deposed_) {  // a newer sequencer holds the log: nothing more is written here
      for (Pending& p : *batch) {
        answers.emplace_back(std::move(p.done),
                             Aborted("a newer sequencer holds the log; this one writes nothing"));
      }
      lock.unlock();
      return Answer(std::move(answers));
    }
  }
  const uint64_t first = writer_.size();
  reads_->BeginReads();  // the loads of the whole batch share one snapshot
  size_t next = 0;       // the first event not yet admitted or refused
  try {
    for (; next < batch->size(); ++next) {
      Pending& p = (*batch)[next];
      Receipt receipt;
      auto entry = Admit(&p.event, first + entries.size(), &receipt);
      if (!entry.ok()) {
        answers.emplace_back(std::move(p.done), entry.status());
        continue;
      }
      entries.push_back(std::move(entry).value());
      disclosures.push_back(p.event.Disclosure());
      accepted.push_back(&p);
      receipts.push_back(std::move(receipt));
    }
  } catch (const std::exception& e) {
    // A bug (stored data is validated when loaded): the projection may hold
    // half an event, so the whole batch is refused and the projection is
    // re-read (after the committer is done); nothing of it is written.
    reads_->EndReads();
    std::fprintf(stderr, "sequencer: batch refused after an exception: %s\n", e.what());
    const Status error = Internal(std::string("internal error: ") + e.what());
    for (Pending* p : accepted) answers.emplace_back(std::move(p->done), error);
    for (; next < batch->size(); ++next) {
      answers.emplace_back(std::move((*batch)[next].done), error);
    }
    std::unique_lock<std::mutex> lock(commit_mu_);
    commit_cv_.wait(lock, [&] { return prepared_.empty() && !committing_; });
    projection_.Discard();
    lock.unlock();
    return Answer(std::move(answers));
  }
  reads_->EndReads();
  Answer(std::move(answers));  // the refused ones: nothing of theirs is written
  if (accepted.empty()) return;
  auto log_batch = writer_.Prepare(std::move(entries));
  if (!log_batch.ok()) {
    // The log key (a token's) did not sign the batch's head: nothing of it
    // is written; the next batch re-reads the log's state and projection.
    const Status error = Unavailable("the log key did not sign (" + log_batch.status().message() +
                                     "); nothing of this batch was written (retry)");
    std::fprintf(stderr, "sequencer: %s\n", error.message().c_str());
    Answers failed;
    for (Pending* p : accepted) {
      recent_nonces_.erase(p->event.nonce);  // the same signed event may be sent again
      failed.emplace_back(std::move(p->done), error);
    }
    {
      std::lock_guard<std::mutex> lock(commit_mu_);
      resync_ = true;
    }
    return Answer(std::move(failed));
  }
  Prepared prepared;
  prepared.log_batch = std::move(log_batch).value();
  prepared.log_batch.disclosures = std::move(disclosures);
  prepared.log_batch.epoch = epoch_;
  prepared.size = writer_.size();
  prepared.root = writer_.root();
  prepared.writes = projection_.TakeWrites();
  for (size_t i = 0; i < accepted.size(); ++i) {
    Pending* p = accepted[i];
    if (receipts[i].outcome == Outcome::kAccepted) {
      for (auto& w : p->attachments) prepared.writes.push_back(std::move(w));
    }
    receipts[i].holding = p->event.holdings.empty() ? "" : p->event.holdings[0];
    prepared.dones.push_back(std::move(p->done));
  }
  prepared.receipts = std::move(receipts);
  // Hand the batch to the committer. With a separate store for reads the
  // next batch is admitted while this one commits (one in flight, one
  // waiting); without, the sequencer waits for the commit.
  std::unique_lock<std::mutex> lock(commit_mu_);
  commit_cv_.wait(lock, [&] { return prepared_.empty(); });
  in_flight_ = prepared.dones.size();
  prepared_.push_back(std::move(prepared));
  commit_cv_.notify_all();
  if (!pipelined_) commit_cv_.wait(lock, [&] { return prepared_.empty() && !committing_; });
}

void Sequencer::CommitAll() {
  for (;;) {
    Prepared p;
    {
      std::unique_lock<std::mutex> lock(commit_mu_);
      commit_cv_.wait(lock, [&] { return commits_done_ || !prepared_.empty(); });
      if (prepared_.empty()) return;  // the sequencer has ended and everything is committed
      p = std::move(prepared_.front());
      prepared_.pop_front();
      committing_ = true;
    }
    commit_cv_.notify_all();  // room for the next batch
    Commit(std::move(p));
    {
      std::lock_guard<std::mutex> lock(commit_mu_);
      committing_ = false;
      if (prepared_.empty()) in_flight_ = 0;
    }
    commit_cv_.notify_all();
    {
      std::lock_guard<std::mutex> lock(mu_);  // Run() may wait for the commit to end
    }
    cv_.notify_all();
  }
}

void Sequencer::Commit(Prepared p) {
  Answers answers;
  auto fail_all = [&](const Status& st) {
    for (auto& done : p.dones) answers.emplace_back(std::move(done), st);
    Answer(std::move(answers));
  };
  {
    std::lock_guard<std::mutex> lock(commit_mu_);
    // It was admitted on the state of a batch that did not commit.
    if (deposed_) return fail_all(Aborted("a newer sequencer holds the log; this one writes nothing"));
    if (broken_) {
      return fail_all(Unavailable("an earlier batch failed to commit; nothing of this one was "
                                  "written (retry)"));
    }
  }
  Status st = store_->Commit(p.log_batch, p.writes);
  if (!st.ok()) {
    {
      std::lock_guard<std::mutex> lock(commit_mu_);
      broken_ = true;
      deposed_ = deposed_ || st.code() == StatusCode::kAborted;
    }
    return fail_all(st);
  }
  // Commit first, then sign: the checkpoint covers only durable entries.
  auto note = writer_.SignCommitted(p.size, p.root);
  Status stored = note.ok() ? store_->PutCheckpoint(p.size, *note) : note.status();
  if (!stored.ok()) {
    // The events are durable but not yet covered by a stored checkpoint:
    // their callers cannot be given one. The next batch's checkpoint (or
    // the next sequencer, when it opens the store) covers them.
    return fail_all(Unavailable("committed, but its checkpoint was not stored (" +
                                stored.message() + "); the next checkpoint covers it"));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    committed_size_ = p.size;
    committed_checkpoint_ = *note;
    ++batches_;
    batched_entries_ += p.dones.size();
  }
  for (size_t i = 0; i < p.dones.size(); ++i) {
    Receipt& r = p.receipts[i];
    r.index = p.log_batch.first_index + i;
    r.entry = std::move(p.log_batch.entries[i]);
    if (i < p.log_batch.disclosures.size()) r.disclosure = std::move(p.log_batch.disclosures[i]);
    r.tree_size = p.size;
    r.checkpoint = *note;
    answers.emplace_back(std::move(p.dones[i]), std::move(r));
  }
  Answer(std::move(answers));
}

}  // namespace strongroom
