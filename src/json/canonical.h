// RFC 8785 (JCS) canonical JSON, restricted to the types Strongroom entries
// use: strings, integers in [-(2^53-1), 2^53-1], booleans, arrays and objects.
// null and non-integral numbers are rejected, so every accepted value has
// exactly one encoding and its hash is well defined.
//
// Object members are ordered by their names' UTF-16 code units, strings are
// escaped as ECMAScript JSON.stringify does, and there is no white space.
#ifndef STRONGROOM_JSON_CANONICAL_H_
#define STRONGROOM_JSON_CANONICAL_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strongroom {

using Json = nlohmann::json;

constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

// What JSON from outside (request bodies, files, stored entries, published
// bundles) may be: no entry or request needs more than a few levels, and the
// encoder and nlohmann's comparisons and dumps recurse once per level, so a
// document nested thousands deep would overflow the stack. Both limits are
// checked on the raw text before any parsing.
struct JsonLimits {
  size_t max_bytes = size_t{1} << 20;
  int max_depth = 64;
};

// Encodes `value` canonically; InvalidArgument names the offending path
// (also for a value nested deeper than JsonLimits{}.max_depth).
Result<std::string> CanonicalJson(const Json& value);

// Pieces of canonical JSON, for encoders that write straight from typed
// values (no JSON tree): a string (InvalidArgument unless valid UTF-8), an
// integer (InvalidArgument outside ±(2^53-1)).
Status AppendCanonicalString(std::string_view s, std::string* out);
Status AppendCanonicalInteger(int64_t n, std::string* out);
// A list of strings.
Status AppendCanonicalStrings(const std::vector<std::string>& list, std::string* out);

// Whether `s` is valid UTF-8 (no surrogates, no overlong forms).
bool IsValidUtf8(std::string_view s);
// Whether member name `a` comes before `b` in canonical order (by UTF-16
// code units, RFC 8785 §3.2.3).
bool CanonicalKeyLess(std::string_view a, std::string_view b);

// Parses `text`, which must be valid UTF-8 JSON of the restricted types and
// already in canonical form, within `limits` (DataLoss otherwise: used on
// stored entries).
Result<Json> ParseCanonicalJson(std::string_view text, JsonLimits limits = {});

// Parses user-supplied JSON of the restricted types (any formatting);
// InvalidArgument for text over `limits` or malformed.
Result<Json> ParseJson(std::string_view text, JsonLimits limits = {});

}  // namespace strongroom

#endif  // STRONGROOM_JSON_CANONICAL_H_
