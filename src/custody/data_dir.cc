#include "custody/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>

#include "auth/credentials.h"
#include "auth/sealing.h"
#include "base/encoding.h"
#include "base/file.h"
#include "crypto/pkcs11.h"
#include "custody/model.h"
#include "custody/upgrade.h"
#include "ledger/log_writer.h"
#include "store/sqlite_store.h"

namespace strongroom {

const std::vector<TableSpec>& StoreTables() {
  static const std::vector<TableSpec> kTables = [] {
    std::vector<TableSpec> t = ProjectionTables();
    t.push_back(CredentialsTable());
    return t;
  }();
  return kTables;
}
namespace {

std::string DbPath(const std::string& dir) { return dir + "/strongroom.db"; }
std::string KeyPath(const std::string& dir) { return dir + "/log.key"; }
std::string SealedKeyPath(const std::string& dir) { return dir + "/log.key.sealed"; }
std::string TokenKeyPath(const std::string& dir) { return dir + "/log.key.pkcs11"; }

// log.key.pkcs11: its header line, then the key's URI.
std::string TokenKeyFile(const std::string& uri) {
  return std::string(kTokenLogKeyHeader) + "\n" + uri + "\n";
}
Result<std::string> TokenKeyUri(const std::string& dir) {
  SR_ASSIGN_OR_RETURN(std::string text, ReadFile(TokenKeyPath(dir)));
  const std::string header = std::string(kTokenLogKeyHeader) + "\n";
  if (text.size() > 8192 || text.compare(0, header.size(), header) != 0 || text.back() != '\n' ||
      text.find('\n', header.size()) != text.size() - 1) {
    return DataLoss(TokenKeyPath(dir) + " is not a PKCS#11 log key file");
  }
  std::string uri = text.substr(header.size(), text.size() - header.size() - 1);
  if (Status st = Pkcs11Key::CheckUri(uri); !st.ok()) {
    return DataLoss(TokenKeyPath(dir) + ": " + st.message());
  }
  return uri;
}

// A wrong passphrase or PIN is a failed authentication (exit status 10).
Status AsAuthentication(const Status& st, const std::string& what) {
  const StatusCode code =
      st.code() == StatusCode::kPermissionDenied ? StatusCode::kUnauthenticated : st.code();
  return Status(code, what + ": " + st.message());
}

// The verifier key is the sealed key's authenticated data: a sealed key
// file belongs to its own log.
Result<std::string> SealedLogKey(const NoteSigner& signer, const std::string& passphrase,
                                 Random* random) {
  if (passphrase.size() < kMinLogPassphrase || passphrase.size() > 1024) {
    return InvalidArgument("the log key's passphrase has " + std::to_string(kMinLogPassphrase) +
                           " to 1024 characters");
  }
  SR_ASSIGN_OR_RETURN(std::string skey, signer.Skey());
  return SealText(kSealedLogKeyHeader, passphrase, skey, signer.Verifier().Vkey(), kLogKeyCost,
                  random);
}
std::string VkeyPath(const std::string& dir) { return dir + "/log.vkey"; }

// The store, its projection tables authenticated (credentials are not:
// their seals bind them to their person already).
Result<std::unique_ptr<AuthenticatedStore>> OpenAuthenticated(const std::string& path,
                                                              SqliteOptions options) {
  const std::vector<bool> authenticated(ProjectionTables().size(), true);
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Store> inner,
                      OpenSqliteStore(path, WithMacColumns(StoreTables(), authenticated), options));
  return std::make_unique<AuthenticatedStore>(std::move(inner), StoreTables(), authenticated);
}

Result<int> TakeLock(const std::string& dir) {
  std::string path = dir + "/lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot open lock file " + path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return FailedPrecondition("another strongroom process is writing to " + dir);
  }
  return fd;
}

std::string TrimNewline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

DataDir::~DataDir() {
  store_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Result<std::unique_ptr<DataDir>> DataDir::Init(const std::string& dir, const std::string& origin,
                                               Random* random, const NewLogKey& key) {
  if (!ValidKeyName(origin)) {
    return InvalidArgument("origin '" + origin +
                           "' is not a valid key name (no spaces, no '+', printable)");
  }
  if (PathExists(DbPath(dir))) return AlreadyExists("a store already exists in " + dir);
  if (key.token_uri) {
    SR_RETURN_IF_ERROR(Pkcs11Key::CheckUri(*key.token_uri));
    if (!key.passphrase) return InvalidArgument("a log key in a token needs the token's PIN");
  }
  SR_RETURN_IF_ERROR(MakeDirs(dir, 0700));
  std::unique_ptr<DataDir> d(new DataDir());
  d->dir_ = dir;
  SR_ASSIGN_OR_RETURN(d->lock_fd_, TakeLock(dir));
  std::optional<NoteSigner> made;
  if (key.token_uri) {
    SR_ASSIGN_OR_RETURN(std::shared_ptr<const Pkcs11Key> device,
                        Pkcs11Key::Generate(*key.token_uri, *key.passphrase));
    made.emplace(origin, std::move(device));
    SR_RETURN_IF_ERROR(WriteFileAtomic(TokenKeyPath(dir), TokenKeyFile(*key.token_uri), 0600));
  } else {
    made.emplace(origin, Ed25519PrivateKey::Generate(random));
    if (key.passphrase) {
      SR_ASSIGN_OR_RETURN(std::string sealed, SealedLogKey(*made, *key.passphrase, random));
      SR_RETURN_IF_ERROR(WriteFileAtomic(SealedKeyPath(dir), sealed, 0600));
    } else {
      SR_RETURN_IF_ERROR(WriteFileAtomic(KeyPath(dir), made->Skey().value() + "\n", 0600));
    }
  }
  const NoteSigner& signer = *made;
  SR_RETURN_IF_ERROR(WriteFileAtomic(VkeyPath(dir), signer.Verifier().Vkey() + "\n", 0644));
  SR_ASSIGN_OR_RETURN(d->store_, OpenAuthenticated(DbPath(dir), {.create = true}));
  SR_ASSIGN_OR_RETURN(std::string projection_key, ProjectionKey(signer));
  d->store_->SetKey(std::move(projection_key));
  SR_RETURN_IF_ERROR(d->store_->PutMeta(kProjectionMacsMeta, "1"));
  SR_RETURN_IF_ERROR(d->store_->PutMeta("schema", std::to_string(kStoreSchema)));
  SR_RETURN_IF_ERROR(d->store_->PutMeta("origin", origin));
  SR_RETURN_IF_ERROR(d->store_->PutMeta("vkey", signer.Verifier().Vkey()));
  // The empty tree's checkpoint, so the log can be published and audited
  // from the start.
  SR_ASSIGN_OR_RETURN(LogWriter writer, LogWriter::Open(d->store_.get(), signer));
  SR_ASSIGN_OR_RETURN(std::string empty_checkpoint, writer.SignCheckpoint());
  SR_RETURN_IF_ERROR(d->store_->PutCheckpoint(0, empty_checkpoint));
  d->origin_ = origin;
  d->verifier_ = signer.Verifier();
  return d;
}

Result<std::unique_ptr<DataDir>> DataDir::Open(const std::string& dir, Mode mode) {
  if (!PathExists(DbPath(dir))) {
    return NotFound("no store in " + dir + " (create one with 'strongroom init')");
  }
  std::unique_ptr<DataDir> d(new DataDir());
  d->dir_ = dir;
  if (mode == Mode::kWrite) {
    SR_ASSIGN_OR_RETURN(d->lock_fd_, TakeLock(dir));
  }
  SR_ASSIGN_OR_RETURN(
      d->store_,
      OpenAuthenticated(DbPath(dir), {.background_checkpoints = mode == Mode::kWrite}));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> vkey, d->store_->GetMeta("vkey"));
  if (!vkey) return DataLoss("the store has no verifier key");
  auto verifier = NoteVerifier::FromVkey(*vkey);
  if (!verifier.ok()) return DataLoss("the store's verifier key is invalid");
  d->verifier_ = *verifier;
  d->origin_ = verifier->name();
  SR_ASSIGN_OR_RETURN(std::optional<std::string> schema, d->store_->GetMeta("schema"));
  const std::string have = schema.value_or("(none)");
  if (have == std::to_string(kStoreSchema)) return d;
  if (mode == Mode::kReadCurrent) {
    return FailedPrecondition("the store in " + dir + " has schema " + have + ", not " +
                              std::to_string(kStoreSchema) + ": not upgraded by a reader here");
  }
  bool upgradable = false;
  for (int old = kOldestUpgradableSchema; old < kStoreSchema; ++old) {
    upgradable |= have == std::to_string(old);
  }
  if (!upgradable) {
    return FailedPrecondition("the store in " + dir + " has schema " + have +
                              "; this version reads schema " + std::to_string(kStoreSchema) +
                              " and upgrades " + std::to_string(kOldestUpgradableSchema) +
                              " and later (create a new store with 'strongroom init')");
  }
  // The upgrade writes: it takes the directory's lock even for a reader.
  int lock = d->lock_fd_;
  if (lock < 0) {
    SR_ASSIGN_OR_RETURN(lock, TakeLock(dir));
  }
  std::fprintf(stderr,
               "strongroom: upgrading the store in %s from schema %s to %d: rebuilding its "
               "projection from the log\n",
               dir.c_str(), have.c_str(), kStoreSchema);
  auto replayed = RebuildProjection(d->store_.get(), *d->verifier_, kStoreSchema);
  if (lock != d->lock_fd_) ::close(lock);
  if (!replayed.ok()) return replayed.status().Annotate("upgrading the store in " + dir + ": ");
  std::fprintf(stderr, "strongroom: upgraded: %llu entries replayed, the log is unchanged\n",
               static_cast<unsigned long long>(*replayed));
  return d;
}

Result<std::unique_ptr<Store>> DataDir::OpenReadStore() const {
  SR_ASSIGN_OR_RETURN(std::unique_ptr<AuthenticatedStore> reads, OpenAuthenticated(DbPath(dir_), {}));
  if (store_->keyed()) reads->SetKey(store_->key(), store_->on_failure());
  return std::unique_ptr<Store>(std::move(reads));
}

void DataDir::UseProjectionKey(const std::string& key,
                               std::function<void(const std::string&)> on_failure) {
  store_->SetKey(key, std::move(on_failure));
}

LogKeyKind DataDir::log_key_kind() const {
  if (PathExists(TokenKeyPath(dir_))) return LogKeyKind::kToken;
  if (PathExists(SealedKeyPath(dir_))) return LogKeyKind::kSealed;
  return LogKeyKind::kPlaintext;
}

Result<NoteSigner> DataDir::signer(const PassphraseSource& ask) {
  const LogKeyKind kind = log_key_kind();
  if (kind != LogKeyKind::kPlaintext) {
    // One place for the key: a plaintext copy (or a sealed one, beside a
    // token's) would be the one an insider reads.
    const std::string where =
        kind == LogKeyKind::kToken ? TokenKeyPath(dir_) : SealedKeyPath(dir_);
    std::vector<std::string> others = {KeyPath(dir_)};
    if (kind == LogKeyKind::kToken) others.push_back(SealedKeyPath(dir_));
    for (const std::string& other : others) {
      if (PathExists(other)) {
        return FailedPrecondition("both " + where + " and " + other + " exist: remove " + other);
      }
    }
    if (!ask) {
      return FailedPrecondition(kind == LogKeyKind::kToken
                                    ? "the log key is in a PKCS#11 token (" + TokenKeyPath(dir_) +
                                          "): give its PIN"
                                    : "the log key is sealed (" + SealedKeyPath(dir_) +
                                          "): give its passphrase");
    }
  }
  std::optional<NoteSigner> signer;
  if (kind == LogKeyKind::kToken) {
    SR_ASSIGN_OR_RETURN(std::string uri, TokenKeyUri(dir_));
    SR_ASSIGN_OR_RETURN(std::string pin, ask());
    auto device = Pkcs11Key::Open(uri, pin);
    if (!device.ok()) return AsAuthentication(device.status(), "log key " + TokenKeyPath(dir_));
    signer.emplace(origin_, std::move(device).value());
  } else {
    std::string skey;
    if (kind == LogKeyKind::kSealed) {
      SR_ASSIGN_OR_RETURN(std::string sealed, ReadFile(SealedKeyPath(dir_)));
      SR_ASSIGN_OR_RETURN(std::string passphrase, ask());
      auto opened = OpenText(kSealedLogKeyHeader, sealed, passphrase, verifier_->Vkey());
      if (!opened.ok()) return AsAuthentication(opened.status(), "log key " + SealedKeyPath(dir_));
      skey = std::move(*opened);
    } else {
      auto text = ReadFile(KeyPath(dir_));
      if (!text.ok()) return text.status();
      skey = TrimNewline(*text);
    }
    auto parsed = NoteSigner::FromSkey(skey);
    if (!parsed.ok()) return DataLoss("log key file " + KeyPath(dir_) + " is invalid");
    signer.emplace(std::move(parsed).value());
  }
  if (signer->Verifier().Vkey() != verifier_->Vkey()) {
    const std::string where = kind == LogKeyKind::kToken ? TokenKeyPath(dir_) : KeyPath(dir_);
    return DataLoss("the log key (" + where + ") does not match the store's verifier key");
  }
  if (!store_->keyed()) {
    SR_ASSIGN_OR_RETURN(std::string projection_key, ProjectionKey(*signer));
    store_->SetKey(std::move(projection_key));
  }
  // Rows rebuilt without the key (an upgrade a reader ran) carry no MAC:
  // rebuilt again, from the log, not blessed as they are.
  SR_ASSIGN_OR_RETURN(std::optional<std::string> macs, store_->GetMeta(kProjectionMacsMeta));
  if (macs.value_or("") != "1") {
    std::fprintf(stderr,
                 "strongroom: authenticating the projection in %s: rebuilding it from the log\n",
                 dir_.c_str());
    SR_RETURN_IF_ERROR(RebuildProjection(store_.get(), *verifier_, kStoreSchema).status());
  }
  return std::move(*signer);
}

Status DataDir::SealLogKey(const std::string& passphrase, Random* random) {
  const LogKeyKind kind = log_key_kind();
  if (kind == LogKeyKind::kSealed) return FailedPrecondition("the log key is sealed already");
  if (kind == LogKeyKind::kToken) {
    return FailedPrecondition("the log key is in a PKCS#11 token: there is nothing to seal");
  }
  SR_ASSIGN_OR_RETURN(NoteSigner plain, signer());
  SR_ASSIGN_OR_RETURN(std::string plain_skey, plain.Skey());
  SR_ASSIGN_OR_RETURN(std::string sealed, SealedLogKey(plain, passphrase, random));
  // Opened again before the plaintext goes: a key sealed wrongly would leave
  // the log unable to sign, for ever.
  auto reopened = OpenText(kSealedLogKeyHeader, sealed, passphrase, verifier_->Vkey());
  if (!reopened.ok() || *reopened != plain_skey) {
    return Internal("the sealed log key did not open again: the plaintext key is kept");
  }
  SR_RETURN_IF_ERROR(WriteFileAtomic(SealedKeyPath(dir_), sealed, 0600));
  // (The plaintext's blocks may linger on the disk: seal at init when you can.)
  if (::unlink(KeyPath(dir_).c_str()) != 0) {
    return Internal("could not remove " + KeyPath(dir_) + " after sealing it");
  }
  return OkStatus();
}

namespace {

Result<std::optional<Credential>> LoadCredential(Store* store, const std::string& person) {
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kCredentialsTable, {person}));
  if (!row) return std::optional<Credential>();
  SR_ASSIGN_OR_RETURN(Credential c, CredentialFromRow(*row));
  return std::optional<Credential>(std::move(c));
}

}  // namespace

Result<Ed25519PrivateKey> UnlockPerson(Store* store, const std::string& person,
                                       const std::string& secret) {
  SR_ASSIGN_OR_RETURN(std::optional<Credential> c, LoadCredential(store, person));
  if (!c) {
    // The same argon2id work as for a real person, so that the time taken
    // does not tell which person ids exist or have a credential.
    static const Credential kNobody =
        NewCredential("nobody", "no credential is this one", SystemRandom()).value();
    (void)Unlock(kNobody, secret);
    SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kPeopleTable, {person}));
    if (!row) return NotFound("person " + person + " does not exist");
    return Unauthenticated(person + " has no credential enrolled");
  }
  // The secret must open the sealed key (not only match the hash: a hash
  // copied into this row from another person's would), and that key must be
  // the one the log recorded for the person (a whole row copied from another
  // person's would carry theirs).
  auto key = Unlock(*c, secret);
  if (!key.ok()) {
    if (key.status().code() == StatusCode::kPermissionDenied) {
      return Unauthenticated("credential not accepted for " + person);
    }
    return key.status();
  }
  SR_ASSIGN_OR_RETURN(std::optional<Row> row, store->GetRow(kPeopleTable, {person}));
  if (!row) return DataLoss("credential of " + person + ", who is not in the record");
  SR_ASSIGN_OR_RETURN(std::string_view text, RowText(*row));
  SR_ASSIGN_OR_RETURN(Person p, PersonFromText(text));
  if (p.public_key != Base64Encode(key->public_key())) {
    return Unauthenticated("the credential of " + person +
                           " does not open the key the log recorded for them");
  }
  return key;
}

}  // namespace strongroom
