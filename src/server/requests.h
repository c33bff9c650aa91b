// Decoding what a client sends strongroomd: JSON bodies (strictly: unknown
// members refused), query strings, bearer tokens, and the events a body
// describes. Pure functions of their input, each failing with a precise
// InvalidArgument; fuzzed by src/fuzz/http_fuzz.cc.
#ifndef STRONGROOM_SERVER_REQUESTS_H_
#define STRONGROOM_SERVER_REQUESTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "base/status.h"
#include "custody/event.h"
#include "json/canonical.h"
#include "server/http_message.h"

namespace strongroom {

// A JSON object body with only the `allowed` members.
Result<Json> ObjectBody(const HttpRequest& request, const std::set<std::string>& allowed);

// Member `key` of `j`, which must be a string.
Result<std::string> StringMember(const Json& j, const std::string& key);

// The token of "Authorization: Bearer TOKEN", or "".
std::string BearerToken(const HttpRequest& request);

// The query string's parameters, percent-decoded; a parameter not in
// `allowed`, a repeated one or a bad escape is refused.
Result<std::map<std::string, std::string>> QueryParams(const std::string& query,
                                                       const std::set<std::string>& allowed);

// Parameter `key` as a whole number, if present.
Result<std::optional<uint64_t>> CountParam(const std::map<std::string, std::string>& params,
                                           const std::string& key);

// The event a body {"type","holdings"?,"fields"?} describes, by `actor`.
// access.read is refused: the service writes those itself.
Result<Event> EventFromBody(const Json& body, const std::string& actor);

// An attempt by `person` to read `holding`'s record, or (holding "") the
// log's entries: the access.read event the custody rules decide.
Event ReadEvent(const std::string& person, const std::string& holding);
// The access.read of inspections and detections by `person`.
Event OversightRead(const std::string& person);

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_REQUESTS_H_
