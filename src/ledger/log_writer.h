// LogWriter turns batches of entries into what the store commits: the
// entries, the hash tiles they create or grow, and a newly signed checkpoint.
//
// It is the in-memory state of the single sequencer of a log. Opening it
// checks that the latest stored checkpoint is validly signed and matches the
// stored tiles, and refuses a store where they disagree.
#ifndef STRONGROOM_LEDGER_LOG_WRITER_H_
#define STRONGROOM_LEDGER_LOG_WRITER_H_

#include <string>
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
  // batch to commit. The in-memory state advances; if the commit fails, the
  // caller must Reload() before preparing again.
  LogBatch Prepare(std::vector<std::string> entries);
  // Re-reads the state from the store.
  Status Reload();

  // The signed checkpoint note for the current tree.
  std::string SignCheckpoint() const;

 private:
  LogWriter(Store* store, NoteSigner signer) : store_(store), signer_(std::move(signer)) {}
  Store* store_;
  NoteSigner signer_;
  TreeBuilder builder_;
};

// Reads the tree state (size and right-edge tiles) stored in `store` and
// checks it against the latest checkpoint, signed by `verifier`. Used by
// LogWriter::Open and by read-only tools.
Result<TreeBuilder> LoadVerifiedTree(Store* store, const NoteVerifier& verifier);

}  // namespace strongroom

#endif  // STRONGROOM_LEDGER_LOG_WRITER_H_
