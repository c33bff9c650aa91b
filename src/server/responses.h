// The JSON answers of strongroomd's handlers, and the one mapping of a
// Status to an HTTP answer (its code through base/status.h's HttpStatusFor).
#ifndef STRONGROOM_SERVER_RESPONSES_H_
#define STRONGROOM_SERVER_RESPONSES_H_

#include <string>

#include "base/status.h"
#include "json/canonical.h"
#include "server/http_server.h"

namespace strongroom {

HttpResponse JsonResponse(int status, const Json& body);
// {"error": message}.
HttpResponse ErrorResponse(int status, const std::string& message);
// The status's HTTP code and message; Retry-After on Unavailable.
HttpResponse ErrorResponse(const Status& st);
HttpResponse JsonOrError(const Result<Json>& r);
// A 500 for a bug caught at an exception boundary, logged on stderr with
// where it was caught; the words of the exception are not sent.
void AnswerInternalError(const Respond& respond, const char* where, const char* what);

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_RESPONSES_H_
