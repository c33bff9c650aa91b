// LogWriter turns batches of entries into what the store commits (the
// entries and the hash tiles they create or grow) and, once a batch is
// durable, signs the checkpoint that covers it: commit first, then sign.
//
// It is the in-memory state of the single sequencer of a log. Opening it
// checks that the latest stored checkpoint is validly signed and that the
// committed entries' tiles extend it, and refuses a store where they do not
// (a store behind its checkpoint halts the log rather than fork it).
#ifndef STRONGROOM_LEDGER_LOG_WRITER_H_
#define STRONGROOM_LEDGER_LOG_WRITER_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "store/store.h"

namespace strongroom {

// Thread-compatible: used by the one sequencer thread.
class LogWriter {
 public:
  // Loads and checks the log state of `store` (not owned).
  static Result<LogWriter> Open(Store* store, NoteSigner signer);

  uint64_t size() const { return builder_.size(); }
  Hash root() const { return builder_.Root(); }
  const NoteSigner& signer() const { return signer_; }

  // Sequences `entries` after the current end of the log and returns the
  // batch to commit. The in-memory state advances; if this (a key held by a
  // device failing to sign) or the commit fails, the caller must Reload()
  // before preparing again.
  Result<LogBatch> Prepare(std::vector<std::string> entries);
  // Re-reads the state from the store.
  Status Reload();

  // The signed checkpoint note for the current tree.
  Result<std::string> SignCheckpoint() const;
  // The same, for a tree whose entries are committed: refused (Internal)
  // unless it extends the last checkpoint this writer signed or loaded.
  Result<std::string> SignCommitted();
  // The same for the tree of `size` leaves with `root`, prepared earlier
  // (the current tree may have grown since, with batches not yet committed).
  Result<std::string> SignCommitted(uint64_t size, const Hash& root);
  // The size of the latest checkpoint signed or loaded.
  uint64_t signed_size() const { return signed_size_; }

 private:
  LogWriter(Store* store, NoteSigner signer) : store_(store), signer_(std::move(signer)) {}
  Store* store_;
  NoteSigner signer_;
  TreeBuilder builder_;
  uint64_t signed_size_ = 0;
  Hash signed_root_;
};

// The sequencer's authenticator of a committed tree, stored with each batch
// (LogBatch::head): a signed note with the log's key over a text that is not
// a checkpoint, so that entries committed but not yet covered by a
// checkpoint (a crash between the two) are known to be the sequencer's own
// when the next writer signs them, and entries written into the database by
// anyone else are not.
Result<std::string> SignCommittedHead(const NoteSigner& signer, uint64_t size, const Hash& root);
Result<std::pair<uint64_t, Hash>> OpenCommittedHead(std::string_view note,
                                                    const NoteVerifier& verifier);

// Reads the tree of every committed entry (size and right-edge tiles) from
// `store` and checks that it extends the latest checkpoint, signed by
// `verifier` (returned in `latest` if given).
Result<TreeBuilder> LoadVerifiedTree(Store* store, const NoteVerifier& verifier,
                                     std::optional<Checkpoint>* latest = nullptr);

}  // namespace strongroom

#endif  // STRONGROOM_LEDGER_LOG_WRITER_H_
