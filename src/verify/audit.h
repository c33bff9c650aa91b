// Audits: the full self-audit of a store, and the offline verification of a
// published tree that needs nothing but the tree and the verifier key.
#ifndef STRONGROOM_VERIFY_AUDIT_H_
#define STRONGROOM_VERIFY_AUDIT_H_

#include <optional>
#include <string>
#include <vector>

#include "custody/data_dir.h"
#include "verify/fetch.h"
#include "verify/replay.h"

namespace strongroom {

// Recomputes every leaf hash, tile and root from the stored entries, checks
// every stored checkpoint's signature and root, replays the custody rules
// into a scratch projection and compares it row by row with the stored one.
// `key`, if given, is the verifier key the auditor trusts (else the store's).
// Problems are in the report; the Status is for failures to read at all.
Result<AuditReport> AuditStore(DataDir* data, const std::optional<NoteVerifier>& key);

// That the tree of checkpoint `later` extends that of `earlier`, by a
// consistency proof computed from `source`'s hash tiles (read as a light
// client: only the tiles the proof needs). DataLoss if it does not.
Status ProveConsistencyFromTiles(TreeSource* source, const Checkpoint& earlier,
                                 const Checkpoint& later);

// The witnesses an auditor trusts, and how many of them must have cosigned
// the checkpoint (C2SP tlog-cosignature) for it to be believed.
struct WitnessPolicy {
  std::vector<NoteVerifier> witnesses;  // cosignature/v1 keys (type 0x04)
  size_t quorum = 0;
};

// Verifies a published tree: the checkpoint's signature, every hash tile,
// every entry (leaf hashes and the custody rules), the root, and, given an
// earlier checkpoint the auditor kept, that the tree is consistent with it
// (both by recomputation and by a consistency proof from the tiles); with
// `witnesses`, that a quorum of them cosigned the checkpoint.
Result<AuditReport> VerifyPublishedTree(TreeSource* source, const NoteVerifier& key,
                                        const std::optional<std::string>& previous_checkpoint,
                                        const WitnessPolicy& witnesses = {});

}  // namespace strongroom

#endif  // STRONGROOM_VERIFY_AUDIT_H_
