#include "server/responses.h"

#include <cstdio>

namespace strongroom {

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

HttpResponse ErrorResponse(int status, const std::string& message) {
  return JsonResponse(status, Json{{"error", message}});
}

HttpResponse ErrorResponse(const Status& st) {
  if (st.code() == StatusCode::kDataLoss) {
    // What failed a check (a table, a row's id) is for the operator, not for
    // whoever asked: one JSON line on stderr, as the access log's.
    const std::string line = Json{{"data_loss", st.message()}}.dump();
    std::fprintf(stderr, "%s\n", line.c_str());
    return ErrorResponse(500, "the store failed an integrity check (reported to the operator)");
  }
  HttpResponse r = ErrorResponse(HttpStatusFor(st.code()), st.message());
  if (st.code() == StatusCode::kUnavailable) r.headers.emplace_back("Retry-After", "1");
  return r;
}

HttpResponse JsonOrError(const Result<Json>& r) {
  return r.ok() ? JsonResponse(200, *r) : ErrorResponse(r.status());
}

void AnswerInternalError(const Respond& respond, const char* where, const char* what) {
  std::fprintf(stderr, "strongroomd: internal error in %s: %s\n", where, what);
  respond(ErrorResponse(500, "internal error (logged by the service)"));
}

}  // namespace strongroom
