// How the outcome of a submitted event is told, the same by the CLI (on a
// local store) and by strongroomd: one receipt shape and one sentence for a
// refusal.
#ifndef STRONGROOM_CUSTODY_RECEIPT_H_
#define STRONGROOM_CUSTODY_RECEIPT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "custody/sequencer.h"
#include "json/canonical.h"

namespace strongroom {

// {"outcome": "accepted" | "pending" | "denied", "index", "tree_size",
//  "entry" (the entry itself), "checkpoint", "holding"?,
//  pending: "request" ("R-<index>"), "needs" [why a second person];
//  denied: "reasons", "error" (DeniedSentence)}.
Json ReceiptJson(const Receipt& r);

// "denied: <reason>; <reason> (logged as entry N)".
std::string DeniedSentence(const std::vector<std::string>& reasons, uint64_t index);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_RECEIPT_H_
