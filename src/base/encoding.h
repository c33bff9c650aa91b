// Hex and standard base64 (RFC 4648 §4, with padding). Decoders are strict:
// they reject bad characters, bad padding and non-canonical trailing bits, so
// every value has exactly one accepted encoding.
#ifndef STRONGROOM_BASE_ENCODING_H_
#define STRONGROOM_BASE_ENCODING_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace strongroom {

std::string HexEncode(std::string_view bytes);
Result<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace strongroom

#endif  // STRONGROOM_BASE_ENCODING_H_
