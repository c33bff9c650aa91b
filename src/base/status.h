// Status and Result<T>: the one error idiom of Strongroom.
//
// Every fallible function returns Status or Result<T>; no exception crosses a
// module boundary. A Status carries a canonical code and one precise,
// human-readable message ("holding H-0001 is destroyed"). Codes are mapped to
// process exit statuses and HTTP statuses in exactly one place: ExitCodeFor()
// and HttpStatusFor() below.
#ifndef STRONGROOM_BASE_STATUS_H_
#define STRONGROOM_BASE_STATUS_H_

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace strongroom {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is malformed
  kNotFound,            // a named thing does not exist
  kAlreadyExists,       // a thing with that name exists already
  kFailedPrecondition,  // the input is well-formed but the state forbids it
  kPermissionDenied,    // policy says no
  kUnauthenticated,     // the caller did not prove who they are (credential, session)
  kAborted,             // a newer writer holds the log (the sequencer lease moved on)
  kDataLoss,            // stored data is corrupt or has been tampered with
  kUnavailable,         // transient: try again
  kInternal,            // a bug or an environment failure (I/O, SQLite)
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NotFound: holding H-1 does not exist"
  std::string ToString() const;

  // Prefixes the message with context: "entry 12: " + message.
  Status Annotate(const std::string& context) const {
    return ok() ? *this : Status(code_, context + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status Aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
inline Status Unauthenticated(std::string m) {
  return {StatusCode::kUnauthenticated, std::move(m)};
}
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// The process exit status for a code; 0 only for kOk.
int ExitCodeFor(StatusCode code);
// The HTTP status answering an error of this code (strongroomd).
int HttpStatusFor(StatusCode code);
// The other way, for a client of strongroomd: the code an HTTP error status
// stands for (401/403/429 PermissionDenied, 405/413/431 InvalidArgument,
// 5xx and anything unknown Unavailable).
StatusCode StatusCodeForHttp(int http_status);

// Result<T> holds either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) v_ = Status(StatusCode::kInternal, "Result from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

// CHECK is for our own broken invariants only, never for input.
#define SR_CHECK(cond)                                                              \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::cerr << __FILE__ << ":" << __LINE__ << ": CHECK failed: " #cond << "\n"; \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

#define SR_CONCAT_INNER(a, b) a##b
#define SR_CONCAT(a, b) SR_CONCAT_INNER(a, b)

// Returns early with the Status if it is not OK.
#define SR_RETURN_IF_ERROR(expr)       \
  do {                                 \
    ::strongroom::Status _st = (expr); \
    if (!_st.ok()) return _st;         \
  } while (0)

// auto x = ...; from a Result<T>, returning its Status on error.
#define SR_ASSIGN_OR_RETURN(lhs, expr) \
  SR_ASSIGN_OR_RETURN_IMPL(SR_CONCAT(_res_, __LINE__), lhs, expr)
#define SR_ASSIGN_OR_RETURN_IMPL(res, lhs, expr) \
  auto res = (expr);                             \
  if (!res.ok()) return res.status();            \
  lhs = std::move(res).value()

}  // namespace strongroom

#endif  // STRONGROOM_BASE_STATUS_H_
