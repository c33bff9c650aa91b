// What the command line does against a local data directory: submit an
// event (authenticating its actor, completing it, reporting how it was
// logged), explain a decision, and read holdings and proofs. Each call opens
// the directory for as long as it needs it.
#ifndef STRONGROOM_CLI_LOCAL_STORE_H_
#define STRONGROOM_CLI_LOCAL_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "cli/secrets.h"
#include "custody/data_dir.h"
#include "custody/receipt.h"
#include "custody/event.h"
#include "json/canonical.h"

namespace strongroom {

// What a command prints: `data` with --json, `text` otherwise.
struct Output {
  Json data = Json::object();
  std::string text;
};

// How a custody command authenticates and completes its event.
struct Authority {
  std::string who;  // the person who authenticates: the actor, or the approver
  SecretSource secret;
  bool explain = false;  // only decide and explain; write nothing
  // Completes the event once `who` is authenticated (signs it, enrols a
  // credential); may add rows to write with the event.
  using Complete = std::function<Status(Store*, const std::string& origin,
                                        const std::string& secret, Event*, std::vector<RowWrite>*)>;
  Complete complete;
  // A person enrolling (person.enrol): `who` has no credential yet; the
  // secret read is the one they set now.
  bool enrolling = false;
  // Members added to the receipt unless it is a denial (a new person's
  // enrolment code), set by `complete`.
  std::shared_ptr<Json> answer_extra = std::make_shared<Json>(Json::object());
  // Against strongroomd (cli/remote.h), which completes events itself: the
  // endpoint and what the body holds.
  std::string remote_path = "api/v1/events";
  enum class RemoteBody {
    kEvent,       // the event ({"type","holdings","fields"})
    kCredential,  // {"credential"}: the signer's (approvals, acknowledgements)
    kEnrol,       // {"person","code","credential"}, without logging in
    kNewCredential,  // {"credential","new_credential"}
  };
  RemoteBody remote_body = RemoteBody::kEvent;
  std::optional<SecretSource> code;        // kEnrol: the enrolment code
  std::optional<SecretSource> new_secret;  // kNewCredential
  // kEvent of person.update: the server issues a new enrolment code.
  bool new_enrolment_code = false;
  // A local store whose log key is sealed: its passphrase.
  PassphraseSource log_passphrase;
};

Result<std::unique_ptr<DataDir>> OpenForRead(const std::string& dir);

// Opens the store for writing, authenticates, submits one event, and
// reports how it was logged. A denial is logged and then reported as an
// error (PermissionDenied, exit status 6); a request waiting for a second
// person is not one. With auth.explain: decides and explains, writes nothing.
Result<Output> Submit(const std::string& dir, Event event, const Authority& auth);

// Submits `events` of one actor (auth.who) at once: opened, authenticated
// and signed once (one signature over the batch), each then logged or
// refused on its own. The receipts, or each one's error, in order.
Result<std::vector<Result<Receipt>>> SubmitAll(const std::string& dir, std::vector<Event> events,
                                               const Authority& auth);

// How a receipt ({"outcome","index","tree_size","entry","checkpoint",
// "holding"?, "request"?, "needs"?}) is reported; `where` is how a later
// command names the store ("--data DIR" or "--server URL").
Output SubmitOutput(Json receipt, const std::string& where);

// The text form of each query's JSON (custody/queries.h), the same whether
// the JSON came from a local store or from strongroomd.
Output DecisionOutput(Json decision);
Output HoldingChainOutput(Json chain);
Output HoldingListOutput(Json list);
Output ProofOutput(Json proof);
Output EntryOutput(Json entry);
Output RequestListOutput(Json list);

}  // namespace strongroom

#endif  // STRONGROOM_CLI_LOCAL_STORE_H_
