// A Strongroom data directory: the store, the log's signing key and a lock.
//
//   DIR/strongroom.db   the SQLite store (log + projection)
//   DIR/log.key         the Ed25519 log key, PRIVATE+KEY+... (mode 0600), or
//   DIR/log.key.sealed  the same sealed under a passphrase (auth/sealing.h),
//                       which the process that signs is given at start, or
//   DIR/log.key.pkcs11  the PKCS#11 URI of a token's key (crypto/pkcs11.h),
//                       whose PIN the process that signs is given at start
//   DIR/log.vkey        the verifier key, for auditors
//   DIR/lock            held (flock) by the one process that writes
#ifndef STRONGROOM_CUSTODY_DATA_DIR_H_
#define STRONGROOM_CUSTODY_DATA_DIR_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "auth/credentials.h"
#include "base/clock.h"
#include "custody/authenticated_store.h"
#include "custody/model.h"
#include "ledger/note.h"
#include "store/store.h"

namespace strongroom {

// The store's tables: the projection's, then the credentials table (which
// is not projection: verify neither rebuilds nor compares it).
const std::vector<TableSpec>& StoreTables();
inline constexpr size_t kCredentialsTable = kOversightTable + 1;
// The store layout version (2: policy, credentials, full lifecycle; 3: typed,
// indexed columns for grants (scope, target, expiry) and holdings (unit,
// due back, disposition due); 4: people's enrolment commitments; 5: who
// added each person, the founding period, the quarantine after enrolment;
// 6: each projection row's MAC, custody/authenticated_store.h; 7: the times
// oversight reads — of a holding's latest custody, of a copy's distribution,
// of a dispatch and its receipt, of each denial; 8: a holding's pending
// disposal request, custody noted while one is pending, written-off
// holdings). A store of an older schema is upgraded when it is opened: its
// projection is rebuilt from the log (custody/upgrade.h).
inline constexpr int kStoreSchema = 8;
inline constexpr int kOldestUpgradableSchema = 2;

// Asks for the log key's passphrase, or its token's PIN (the command line
// reads it from a file descriptor, the environment or the terminal), only
// when the key is sealed or in a token.
using PassphraseSource = std::function<Result<std::string>()>;

inline constexpr std::string_view kSealedLogKeyHeader = "strongroom sealed log key v1";
inline constexpr std::string_view kTokenLogKeyHeader = "strongroom log key in a PKCS#11 token v1";

// Where the log key is kept.
enum class LogKeyKind { kPlaintext, kSealed, kToken };
// Where a new store's log key goes: a plaintext file by default; sealed
// under `passphrase`; or, with `token_uri`, made in that PKCS#11 token,
// whose PIN `passphrase` then is.
struct NewLogKey {
  std::optional<std::string> passphrase;
  std::optional<std::string> token_uri;
};
inline constexpr size_t kMinLogPassphrase = 12;

class DataDir {
 public:
  // Creates a new data directory (which must not hold a store yet) with a
  // fresh key named `origin`, kept as `key` says, and signs the empty
  // checkpoint.
  static Result<std::unique_ptr<DataDir>> Init(const std::string& dir, const std::string& origin,
                                               Random* random, const NewLogKey& key = {});
  enum class Mode { kRead, kWrite, kReadCurrent };
  // Opens an existing directory. kWrite takes the writer lock
  // (FailedPrecondition if another process holds it). kRead and kWrite
  // upgrade a store of an older schema; kReadCurrent (a running service's
  // readers) refuses one instead.
  static Result<std::unique_ptr<DataDir>> Open(const std::string& dir, Mode mode);
  ~DataDir();

  // Its projection rows are checked against their MACs once the log key is
  // known (signer(), UseProjectionKey); before, read unchecked.
  Store* store() { return store_.get(); }
  // A second handle on the same store, for a pipelined sequencer's reads
  // (SequencerOptions::read_store), with this one's projection key; it must
  // not outlive this DataDir.
  Result<std::unique_ptr<Store>> OpenReadStore() const;
  const std::string& origin() const { return origin_; }
  const NoteVerifier& verifier() const { return *verifier_; }
  // Reads the signing key (only in kWrite mode), unsealing it with the
  // passphrase `ask` gives when it is sealed, or opening it in its token
  // with the PIN `ask` gives: FailedPrecondition when there is no `ask`,
  // Unauthenticated for a wrong passphrase or PIN, DataLoss for a key that
  // is not the store's.
  // From then on projection rows are checked and written with their MACs;
  // a projection whose rows carry none yet (rebuilt without the key, by an
  // upgrade a reader ran) is rebuilt from the log first.
  Result<NoteSigner> signer(const PassphraseSource& ask = nullptr);
  // The projection key (empty until signer() or UseProjectionKey), and
  // giving it to a reader of the same store (the service's read handles).
  const std::string& projection_key() const { return store_->key(); }
  void UseProjectionKey(const std::string& key,
                        std::function<void(const std::string&)> on_failure = nullptr);
  // Every projection row read and checked against its MAC (a service checks
  // before it serves).
  Result<uint64_t> CheckProjection() { return store_->CheckAll(); }
  LogKeyKind log_key_kind() const;
  // Seals the plaintext log key under `passphrase` (writes log.key.sealed,
  // then removes log.key). FailedPrecondition if it is not plaintext.
  Status SealLogKey(const std::string& passphrase, Random* random);
  const std::string& path() const { return dir_; }

 private:
  DataDir() = default;
  std::string dir_;
  std::string origin_;
  std::optional<NoteVerifier> verifier_;  // set by Init/Open
  std::unique_ptr<AuthenticatedStore> store_;
  int lock_fd_ = -1;
};

// The person's personal key, if `secret` opens their enrolled credential
// and the key it opens is the one the log recorded for them (the person's
// record): NotFound if there is no such person, Unauthenticated if they have
// no credential, the secret is not theirs or the key is not theirs. Unknown
// people cost the same work as known ones. Reads the store only.
Result<Ed25519PrivateKey> UnlockPerson(Store* store, const std::string& person,
                                       const std::string& secret);

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_DATA_DIR_H_
