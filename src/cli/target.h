// Where a command goes: a data directory (--data) or strongroomd
// (--server). The command line picks the target once; every command asks it
// and never which one it is. Both answer with the same JSON shapes (the
// service's API is the store's queries), printed the same way.
#ifndef STRONGROOM_CLI_TARGET_H_
#define STRONGROOM_CLI_TARGET_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "cli/local_store.h"
#include "cli/remote.h"
#include "cli/secrets.h"
#include "custody/event.h"
#include "custody/queries.h"

namespace strongroom {

class Target {
 public:
  // Who reads, for a server (which answers what they may read); a local
  // store, read by whoever can read its files, ignores it.
  struct Reader {
    std::string person;
    SecretSource secret;
  };

  virtual ~Target() = default;

  // Submits one event (cli/local_store.h's Submit, or through the service).
  virtual Result<Output> Submit(Event event, const Authority& auth) = 0;
  // Approves pending request `request` as `approver`, signed with their key.
  virtual Result<Output> Approve(const std::string& request, const std::string& approver,
                                 const SecretSource& secret) = 0;
  // The JSON of custody/queries.h.
  virtual Result<Json> HoldingChain(const std::string& id, bool proofs, const Reader& reader) = 0;
  virtual Result<Json> HoldingList(const HoldingFilter& filter, const Reader& reader) = 0;
  virtual Result<Json> OpenRequests(const Reader& reader) = 0;
  virtual Result<Json> Entry(uint64_t index, const Reader& reader) = 0;
  // Inspections and detections (oversight/views.h's JSON).
  virtual Result<Json> Inspection(const std::string& id, const Reader& reader) = 0;
  virtual Result<Json> Inspections(const std::string& status, const std::string& facility,
                                   const Reader& reader) = 0;
  virtual Result<Json> Detections(const std::string& status, const std::string& facility,
                                  const Reader& reader) = 0;
  // Raises, as `who`, every finding due now and not raised yet:
  // {"raised":[finding + "index"], "refused":[finding + "error"]}, raised in
  // entry order. With `as_of` (RFC 3339), what was due then, computed from
  // the log and written nowhere (verify/as_of.h's JSON).
  virtual Result<Json> Detect(const std::string& as_of, const Reader& who) = 0;
  // An inclusion proof of entry `index`, or a consistency proof from size
  // `from`, to `size` (default: the latest checkpoint). Anyone may ask.
  virtual Result<Json> Proof(std::optional<uint64_t> index, std::optional<uint64_t> from,
                             std::optional<uint64_t> size) = 0;
};

// `log_passphrase` unseals a sealed log key for the commands that write.
std::unique_ptr<Target> LocalTarget(std::string dir, PassphraseSource log_passphrase);
std::unique_ptr<Target> RemoteTarget(Remote remote);

}  // namespace strongroom

#endif  // STRONGROOM_CLI_TARGET_H_
