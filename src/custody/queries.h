// Reads shared by the command line and strongroomd. Each answer is the JSON
// both give (`--json`, the API's body); the CLI renders its text form from
// that JSON, so a local store and a server print the same thing.
#ifndef STRONGROOM_CUSTODY_QUERIES_H_
#define STRONGROOM_CUSTODY_QUERIES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/status.h"
#include "custody/event.h"
#include "custody/rules.h"
#include "ledger/note.h"
#include "store/store.h"

namespace strongroom {

// A holding, its custody chain ({"index", "entry"} per event) and the latest
// checkpoint; with `proofs`, every event's leaf hash and inclusion proof,
// each checked against that checkpoint. NotFound for an unknown holding.
Result<Json> HoldingChainData(Store* store, const NoteVerifier& verifier, const std::string& id,
                              bool proofs);

struct HoldingFilter {
  std::string status, kind, facility, holder, case_number;
  size_t limit = 0;  // 0: all
};

// {"holdings": [...], "withheld": N}: the holdings matching every filter, in
// identifier order, as JSON objects; with `visible`, only those it accepts
// (before `limit` applies), and N counts the others (0 without `visible`);
// "withheld" only without a filter (under one, the count would tell whether
// a case exists and its size).
Result<Json> HoldingListData(Store* store, const HoldingFilter& filter,
                             const std::function<bool(const Json& holding)>& visible = nullptr);

// Open two-person requests, in identifier order; with `visible`, only those
// it accepts.
Result<Json> OpenRequestsData(Store* store,
                              const std::function<bool(const Json& request)>& visible = nullptr);

// An inclusion proof of entry `index`, or else a consistency proof from tree
// size `from`, to tree size `size` (default: the latest checkpoint's), with
// the root at that size. InvalidArgument beyond the latest checkpoint, which
// is the store's, verified with `verifier`, unless the caller gives one it
// already trusts (the service: its sequencer's own, saving a signature
// check per proof).
Result<Json> ProofData(Store* store, const NoteVerifier& verifier, std::optional<uint64_t> index,
                       std::optional<uint64_t> from, std::optional<uint64_t> size,
                       const std::string* trusted_checkpoint = nullptr);

// Entry `index` as stored (a JSON object) with its leaf hash. NotFound
// beyond the log.
Result<Json> EntryData(Store* store, uint64_t index);

// Whether `read` (an access.read event by its actor) is allowed now, as
// the sequencer would decide it: kAccept, or kDenied with the reasons.
Result<Verdict> DecideRead(Store* store, const std::string& origin, Event* read, int64_t now);

// The holdings log entry `index` names: its own (a wrapped event's too) and
// those its fields list (a seal's contents); and the one it registers (a
// holding.register, or one it wraps), if any. NotFound past the log.
struct NamedHoldings {
  std::vector<std::string> holdings;
  std::string registers;
};
Result<NamedHoldings> EntryNames(Store* store, uint64_t index);
// Whether `person` sees requests that name no holding (a person's addition
// or new role, a facility's control, a grant on a case): administrators and
// security managers, who approve them.
Result<bool> SeesUnnamedRequests(Store* store, const std::string& person);
// The same for an event: its holdings (a wrapper's wrapped event's), those
// its fields list, the one it registers, and a grant's target holding.
NamedHoldings EventNames(const Event& e);
// Whether holding `h` is the record entry `index` made: its registration,
// or the request that registration approved.
Result<bool> RegisteredBy(Store* store, const Holding& h, uint64_t index);
// The same on `state`, which keeps what it loads: a list decides every row
// on one projection, so the person and their grants are read once.
Result<Verdict> DecideRead(Projection* state, const std::string& origin, Event* read, int64_t now);

// What the rules would decide for `event` now, without writing anything:
// {"decision": "allowed"|"denied"|"needs a second person", "reasons": [...]}.
Result<Json> DecisionData(Store* store, const std::string& origin, Event event, int64_t now);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_QUERIES_H_
