#include "server/requests.h"

#include <cctype>
#include <charconv>

#include "custody/model.h"

namespace strongroom {

Result<Json> ObjectBody(const HttpRequest& request, const std::set<std::string>& allowed) {
  auto j = ParseJson(request.body);
  if (!j.ok()) return InvalidArgument("the body is not valid JSON: " + j.status().message());
  if (!j->is_object()) return InvalidArgument("the body must be a JSON object");
  for (const auto& [key, value] : j->items()) {
    if (!allowed.count(key)) return InvalidArgument("unknown field '" + key + "'");
  }
  return j;
}

Result<std::string> StringMember(const Json& j, const std::string& key) {
  auto it = j.find(key);
  if (it == j.end()) return InvalidArgument("the field '" + key + "' is required");
  if (!it->is_string()) return InvalidArgument("the field '" + key + "' must be a string");
  return it->get<std::string>();
}

std::string BearerToken(const HttpRequest& request) {
  // The scheme is case-insensitive (RFC 9110 §11.1).
  const std::string h = request.Header("authorization");
  constexpr std::string_view kBearer = "bearer ";
  if (h.size() <= kBearer.size()) return "";
  for (size_t i = 0; i < kBearer.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(h[i])) != kBearer[i]) return "";
  }
  return h.substr(kBearer.size());
}

Result<std::map<std::string, std::string>> QueryParams(const std::string& query,
                                                       const std::set<std::string>& allowed) {
  std::map<std::string, std::string> out;
  auto decode = [](std::string_view in) -> Result<std::string> {
    std::string text;
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '+') {
        text += ' ';
      } else if (in[i] != '%') {
        text += in[i];
      } else {
        auto hex = [](char c) {
          return c >= '0' && c <= '9'   ? c - '0'
                 : c >= 'a' && c <= 'f' ? c - 'a' + 10
                 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                        : -1;
        };
        if (i + 2 >= in.size() || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0) {
          return InvalidArgument("the query string has a bad %-escape");
        }
        text += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
        i += 2;
      }
    }
    return text;
  };
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string_view part(query.data() + start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    SR_ASSIGN_OR_RETURN(std::string key, decode(part.substr(0, eq)));
    SR_ASSIGN_OR_RETURN(std::string value,
                        decode(eq == std::string_view::npos ? "" : part.substr(eq + 1)));
    if (!allowed.count(key)) return InvalidArgument("unknown query parameter '" + key + "'");
    if (!out.emplace(key, value).second) {
      return InvalidArgument("query parameter '" + key + "' is repeated");
    }
  }
  return out;
}

Result<std::optional<uint64_t>> CountParam(const std::map<std::string, std::string>& params,
                                           const std::string& key) {
  auto it = params.find(key);
  if (it == params.end()) return std::optional<uint64_t>();
  const std::string& v = it->second;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
    return InvalidArgument("query parameter '" + key + "' must be a whole number");
  }
  return std::optional<uint64_t>(n);
}

Result<Event> EventFromBody(const Json& body, const std::string& actor) {
  SR_ASSIGN_OR_RETURN(std::string type_name, StringMember(body, "type"));
  auto type = ParseEventType(type_name);
  if (!type.ok()) return InvalidArgument("unknown event type '" + type_name + "'");
  if (*type == EventType::kAccessRead) {
    return InvalidArgument("access.read entries are written by the service when it refuses a read");
  }
  Event e;
  e.type = *type;
  e.actor = actor;
  if (auto it = body.find("holdings"); it != body.end()) {
    if (!it->is_array()) return InvalidArgument("'holdings' must be an array");
    for (const auto& h : *it) {
      if (!h.is_string()) return InvalidArgument("'holdings' must hold strings");
      e.holdings.push_back(h.get<std::string>());
    }
  }
  if (auto it = body.find("fields"); it != body.end()) {
    if (!it->is_object()) return InvalidArgument("'fields' must be an object");
    SR_RETURN_IF_ERROR(SetFields(&e, *it));
  }
  return e;
}

Event ReadEvent(const std::string& person, const std::string& holding) {
  Event read;
  read.type = EventType::kAccessRead;
  read.actor = person;
  if (!holding.empty()) read.holdings = {holding};
  SR_CHECK(SetFields(&read, {{"what", holding.empty() ? "log" : "holding"}}).ok());
  return read;
}

Event OversightRead(const std::string& person) {
  Event read;
  read.type = EventType::kAccessRead;
  read.actor = person;
  SR_CHECK(SetFields(&read, {{"what", "oversight"}}).ok());
  return read;
}

}  // namespace strongroom
