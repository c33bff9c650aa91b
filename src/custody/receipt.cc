#include "custody/receipt.h"

#include "custody/rules.h"

namespace strongroom {

std::string DeniedSentence(const std::vector<std::string>& reasons, uint64_t index) {
  std::string sentence = "denied: ";
  for (size_t i = 0; i < reasons.size(); ++i) (sentence += i ? "; " : "") += reasons[i];
  return sentence + " (logged as entry " + std::to_string(index) + ")";
}

Json ReceiptJson(const Receipt& r) {
  Json out = {{"index", r.index},
              {"tree_size", r.tree_size},
              {"entry", Json::parse(r.entry)},
              {"checkpoint", r.checkpoint}};
  if (!r.holding.empty()) out["holding"] = r.holding;
  // The submitter's own event, in clear, with the key that opens its
  // commitments (theirs to keep: the log holds only the commitments).
  if (!r.disclosure.empty()) {
    const Json disclosure = Json::parse(r.disclosure);
    out["fields"] = disclosure["fields"];
    out["key"] = disclosure["key"];
  } else {
    out["fields"] = out["entry"]["fields"];
  }
  switch (r.outcome) {
    case Outcome::kAccepted:
      out["outcome"] = "accepted";
      break;
    case Outcome::kPending:
      out["outcome"] = "pending";
      out["request"] = RecordId('R', r.index);
      out["needs"] = r.reasons;
      break;
    case Outcome::kDenied:
      out["outcome"] = "denied";
      out["reasons"] = r.reasons;
      out["error"] = DeniedSentence(r.reasons, r.index);
      break;
  }
  return out;
}

}  // namespace strongroom
