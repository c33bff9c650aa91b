// The OpenAPI 3 document that describes strongroomd (docs/openapi.json,
// compiled in), served at GET /api/v1/openapi.json.
#ifndef STRONGROOM_SERVER_OPENAPI_H_
#define STRONGROOM_SERVER_OPENAPI_H_

#include <string_view>

namespace strongroom {

std::string_view OpenApiDocument();

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_OPENAPI_H_
