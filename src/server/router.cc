#include "server/router.h"

#include "custody/event.h"

namespace strongroom {

const std::string& PathParams::operator[](std::string_view name) const {
  static const std::string kNone;
  for (const auto& [key, value] : values_) {
    if (key == name) return value;
  }
  return kNone;
}

bool MatchRoutePattern(std::string_view pattern, std::string_view path, PathParams* params) {
  if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
  pattern.remove_prefix(1);
  path.remove_prefix(1);
  for (;;) {
    const size_t p_end = pattern.find('/');
    const std::string_view want = pattern.substr(0, p_end);
    if (want.size() > 5 && want.front() == '{' && want.substr(want.size() - 4) == "...}") {
      if (path.empty()) return false;  // the rest: one segment or more
      params->Add(std::string(want.substr(1, want.size() - 5)), std::string(path));
      return true;
    }
    const size_t s_end = path.find('/');
    const std::string_view got = path.substr(0, s_end);
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (!ValidId(got)) return false;
      params->Add(std::string(want.substr(1, want.size() - 2)), std::string(got));
    } else if (want != got) {
      return false;
    }
    if (p_end == std::string_view::npos || s_end == std::string_view::npos) {
      return p_end == std::string_view::npos && s_end == std::string_view::npos;
    }
    pattern.remove_prefix(p_end + 1);
    path.remove_prefix(s_end + 1);
  }
}

}  // namespace strongroom
