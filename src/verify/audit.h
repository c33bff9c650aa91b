// Audits: the full self-audit of a store, and the offline verification of a
// published tree that needs nothing but the tree and the verifier key.
#ifndef STRONGROOM_VERIFY_AUDIT_H_
#define STRONGROOM_VERIFY_AUDIT_H_

#include <optional>
#include <string>

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

// Verifies a published tree: the checkpoint's signature, every hash tile,
// every entry (leaf hashes and the custody rules), the root, and, given an
// earlier checkpoint the auditor kept, that the tree is consistent with it
// (both by recomputation and by a consistency proof from the tiles).
Result<AuditReport> VerifyPublishedTree(TreeSource* source, const NoteVerifier& key,
                                        const std::optional<std::string>& previous_checkpoint);

}  // namespace strongroom

#endif  // STRONGROOM_VERIFY_AUDIT_H_
