// Hex and standard base64 (RFC 4648 §4, with padding). Decoders are strict:
// they reject bad characters, bad padding and non-canonical trailing bits, so
// every value has exactly one accepted encoding.
#ifndef STRONGROOM_BASE_ENCODING_H_
#define STRONGROOM_BASE_ENCODING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace strongroom {

std::string HexEncode(std::string_view bytes);
Result<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

// Characters that can rewrite what a terminal or a reader shows: C0 and C1
// controls (with DEL), the bidirectional embeddings, overrides and isolates
// (U+202A-U+202E, U+2066-U+2069) and the line and paragraph separators.
bool IsUnsafeCodePoint(uint32_t cp);
// The first unsafe code point in UTF-8 `text`, if any (invalid UTF-8 counts
// as U+FFFD, unsafe too).
std::optional<uint32_t> FirstUnsafeCodePoint(std::string_view text);
// `text` with every unsafe code point written as \u{XXXX} and every byte
// that is not UTF-8 as \xNN; newlines kept if `keep_newlines`. What the CLI
// prints of anything it did not write itself, so an error stays one line.
std::string EscapeUnsafe(std::string_view text, bool keep_newlines = false);

}  // namespace strongroom

#endif  // STRONGROOM_BASE_ENCODING_H_
