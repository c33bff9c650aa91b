// The sequencer: the single writer of a log, with group commit.
//
// Callers submit events (drafts without time or nonce) from any thread. One
// sequencer thread takes every queued event as a batch, and for each: stamps
// time and nonce, loads what it names, checks it (custody rules + policy),
// applies it to the projection and encodes it as an entry. The accepted
// entries, their tiles, a newly signed checkpoint and the projection rows are
// then committed in one durable transaction, and only then are the callers
// answered. An event the policy denies is logged as a `denied` entry, one
// that needs a second person as a `request.open` entry; an event that is
// invalid or that the state forbids writes nothing. Neither holds up others.
// The answers of a committed batch go to a second thread, so that the
// callers' work (encoding a response, say) never holds up the next batch.
#ifndef STRONGROOM_CUSTODY_SEQUENCER_H_
#define STRONGROOM_CUSTODY_SEQUENCER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

#include "base/clock.h"
#include "custody/event.h"
#include "custody/projection.h"
#include "custody/rules.h"
#include "ledger/log_writer.h"

namespace strongroom {

// How a submitted event was logged.
enum class Outcome {
  kAccepted,  // the event itself
  kPending,   // a request.open: a second person must approve (`reasons` say why)
  kDenied,    // a denied entry: the policy refused it (`reasons` say why)
};

// What the caller of a logged event learns.
struct Receipt {
  Outcome outcome = Outcome::kAccepted;
  std::vector<std::string> reasons;
  uint64_t index = 0;      // the entry's log index
  std::string entry;       // its canonical entry
  std::string disclosure;  // what opens its sealed fields ("" if none: Event::Disclosure)
  std::string holding;     // the holding it concerns, if any (assigned ids too)
  uint64_t tree_size = 0;  // the size of the checkpoint that covers it
  std::string checkpoint;  // that checkpoint, signed
};

struct SequencerOptions {
  size_t max_batch = 8192;
  // Submissions beyond this many waiting are refused at once (Unavailable)
  // rather than queued: backpressure instead of unbounded memory.
  size_t max_queue = 1 << 20;
  // After a commit, a projection caching more records than this is dropped
  // and re-read from the store as events need it: a long-running service
  // keeps its memory bounded.
  size_t max_cached_records = 1 << 16;
  // A second handle on the same store for the sequencer's loads. With it,
  // batch N+1 is admitted (its records read and decided on the projection,
  // which holds batch N's changes) while batch N commits and syncs; a failed
  // commit fails the batch admitted on top of it too, and the projection is
  // re-read. Without it, each batch commits before the next is admitted.
  Store* read_store = nullptr;
};

// Safe for concurrent use.
// How far the log's newest entry may be dated ahead of the clock when a
// sequencer starts (clocks differ a little between machines).
inline constexpr int64_t kMaxClockSkewMicros = 10LL * 60 * 1000000;

class Sequencer {
 public:
  // Takes ownership of nothing: `store`, `clock`, `random` outlive it.
  static Result<std::unique_ptr<Sequencer>> Start(Store* store, NoteSigner signer, Clock* clock,
                                                  Random* random, SequencerOptions options = {});
  ~Sequencer();  // answers everything queued, then stops

  // `attachments` are rows written in the same transaction if, and only if,
  // the event itself is accepted (a new person's credential).
  std::future<Result<Receipt>> SubmitAsync(Event event, std::vector<RowWrite> attachments = {});
  // The same with a callback, called exactly once on the sequencer's
  // answering thread (or, if the submission is refused at once, on the
  // caller's) after the entry is durable, or with the error. Callbacks are
  // called one after another: they must not block.
  using Done = std::function<void(Result<Receipt>)>;
  void Submit(Event event, std::vector<RowWrite> attachments, Done done);
  Result<Receipt> Submit(Event event, std::vector<RowWrite> attachments = {}) {
    return SubmitAsync(std::move(event), std::move(attachments)).get();
  }

  // The log's origin (what personal signatures are bound to).
  const std::string& origin() const { return origin_; }
  // Size and checkpoint after the last committed batch.
  uint64_t size();
  std::string checkpoint();
  // Submissions waiting for the sequencer thread.
  size_t queue_depth();
  // Batches committed so far, and the entries in them.
  std::pair<uint64_t, uint64_t> batches();

 private:
  struct Pending {
    Event event;
    std::vector<RowWrite> attachments;
    Done done;
  };
  using Answers = std::vector<std::pair<Done, Result<Receipt>>>;
  // A batch admitted and encoded, waiting for the committer.
  struct Prepared {
    LogBatch log_batch;
    std::vector<RowWrite> writes;
    std::vector<Done> dones;        // of its entries, in order
    std::vector<Receipt> receipts;  // outcome, reasons and holding of each
    uint64_t size = 0;              // the tree size after it
    Hash root;                      // and its root
  };
  Sequencer(Store* store, LogWriter writer, Clock* clock, Random* random, SequencerOptions o);
  void Run();
  void Sequence(std::deque<Pending>* batch);
  // The committer thread: commits each prepared batch, then signs and stores
  // its checkpoint, then answers.
  void CommitAll();
  void Commit(Prepared p);
  // Hands a batch's answers to the answering thread, which runs AnswerAll().
  void Answer(Answers answers);
  void AnswerAll();
  std::string Nonce();
  // Whether `signature` of `bytes` by `key` verifies, remembering the last
  // few thousand that did. Safe for concurrent use.
  bool VerifiedBefore(const std::string& key, const std::string& bytes,
                      const std::string& signature);
  // Stamps, checks and applies one event (or its denial / request); the
  // entry on success.
  Result<std::string> Admit(Event* event, uint64_t index, Receipt* receipt);
  // The committed, signed log, as the rules read it (sequencer thread).
  class CommittedLog : public LogView {
   public:
    explicit CommittedLog(Sequencer* s) : s_(s) {}
    Result<Hash> RootAt(uint64_t size) override;
    uint64_t signed_size() override { return s_->size(); }

   private:
    Sequencer* s_;
  };
  CommittedLog committed_log_{this};

  Store* store_;  // written by the committer thread
  Store* reads_;  // read by the sequencer thread (store_ itself when not pipelined)
  bool pipelined_;
  // The tree (Prepare) belongs to the sequencer thread, the signature guard
  // (SignCommitted) to the committer; Reload runs when the committer is idle.
  LogWriter writer_;
  Clock* clock_;
  Random* random_;
  SequencerOptions options_;
  std::string origin_;
  Projection projection_;
  UnixMicros last_time_ = 0;
  uint64_t epoch_ = 0;  // the lease this sequencer holds
  std::string nonces_;    // random bytes drawn 4 KiB at a time, 16 per nonce
  std::unordered_set<std::string> recent_nonces_;  // of signed events admitted lately
  size_t nonce_at_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  uint64_t committed_size_ = 0;
  uint64_t batches_ = 0, batched_entries_ = 0;
  std::string committed_checkpoint_;
  std::thread thread_;

  std::mutex commit_mu_;
  std::condition_variable commit_cv_;
  std::deque<Prepared> prepared_;  // guarded by commit_mu_: at most one waiting
  bool committing_ = false;        // guarded by commit_mu_: one is being committed
  bool broken_ = false;            // guarded by commit_mu_: a commit failed since the last reload
  // Guarded by commit_mu_: a batch was prepared in memory but not signed
  // (the log key's device failed), so the next one re-reads the log once
  // the batch before it has committed (which stays good).
  bool resync_ = false;
  bool deposed_ = false;           // guarded by commit_mu_: a newer sequencer took the lease
  bool commits_done_ = false;      // guarded by commit_mu_: the sequencer thread has ended
  std::atomic<size_t> in_flight_ = 0;  // events handed to the committer and not yet done
  std::thread commit_thread_;

  std::mutex verified_mu_;
  std::unordered_set<std::string> verified_;  // guarded by verified_mu_

  std::mutex answer_mu_;
  std::condition_variable answer_cv_;
  std::deque<Answers> answers_;
  bool answers_done_ = false;  // the sequencer thread has ended
  std::thread answer_thread_;
};

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_SEQUENCER_H_
