// The sequencer: the single writer of a log, with group commit.
//
// Callers submit events (drafts without time or nonce) from any thread. One
// sequencer thread takes every queued event as a batch, and for each: stamps
// time and nonce, loads what it names, checks it (custody rules + policy),
// applies it to the projection and encodes it as an entry. The accepted
// entries, their tiles, a newly signed checkpoint and the projection rows are
// then committed in one durable transaction, and only then are the callers
// answered. A refused event writes nothing and does not hold up the others.
#ifndef STRONGROOM_CUSTODY_SEQUENCER_H_
#define STRONGROOM_CUSTODY_SEQUENCER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/clock.h"
#include "custody/event.h"
#include "custody/projection.h"
#include "ledger/log_writer.h"

namespace strongroom {

// What the caller of an accepted event learns.
struct Receipt {
  uint64_t index = 0;      // the event's log index
  std::string entry;       // its canonical entry
  std::string holding;     // the holding it concerns, if any (assigned ids too)
  uint64_t tree_size = 0;  // the size of the checkpoint that covers it
  std::string checkpoint;  // that checkpoint, signed
};

struct SequencerOptions {
  size_t max_batch = 8192;
};

// Safe for concurrent use.
class Sequencer {
 public:
  // Takes ownership of nothing: `store`, `clock`, `random` outlive it.
  static Result<std::unique_ptr<Sequencer>> Start(Store* store, NoteSigner signer, Clock* clock,
                                                  Random* random, SequencerOptions options = {});
  ~Sequencer();  // answers everything queued, then stops

  std::future<Result<Receipt>> SubmitAsync(Event event);
  Result<Receipt> Submit(Event event) { return SubmitAsync(std::move(event)).get(); }

  // Size and checkpoint after the last committed batch.
  uint64_t size();
  std::string checkpoint();

 private:
  struct Pending {
    Event event;
    std::promise<Result<Receipt>> promise;
  };
  Sequencer(Store* store, LogWriter writer, Clock* clock, Random* random, SequencerOptions o);
  void Run();
  void Sequence(std::deque<Pending>* batch);
  // Stamps, checks and applies one event; the entry on success.
  Result<std::string> Admit(Event* event, uint64_t index);

  Store* store_;
  LogWriter writer_;
  Clock* clock_;
  Random* random_;
  SequencerOptions options_;
  Projection projection_;
  UnixMicros last_time_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  uint64_t committed_size_ = 0;
  std::string committed_checkpoint_;
  std::thread thread_;
};

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_SEQUENCER_H_
