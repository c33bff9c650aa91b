// strongroomd's route table: each route is a method, a path pattern, whether
// it needs a logged-in person, its metrics label and its handler. Patterns
// are literal segments, "{name}" (one segment that is an identifier, as
// custody/event.h's ValidId() says) and a final "{name...}" (the rest of the
// path, one segment or more, as it is). Lookup tells a path no route takes
// (404) from a path taken with other methods (405, with the methods).
// Thread-compatible; built once, then only read (safe for concurrent reads).
#ifndef STRONGROOM_SERVER_ROUTER_H_
#define STRONGROOM_SERVER_ROUTER_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/metrics.h"

namespace strongroom {

// The values of a route's "{name}" segments.
class PathParams {
 public:
  void Add(std::string name, std::string value) {
    values_.emplace_back(std::move(name), std::move(value));
  }
  // The value of `name`; "" if the route has no such segment.
  const std::string& operator[](std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

template <typename Handler>
class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    bool session = false;  // the handler is given the logged-in person
    Metrics::Route metric = Metrics::kOther;
    Handler handler;
  };
  struct Found {
    const Route* route = nullptr;      // null: no route for this method
    PathParams params;                 // of `route`
    std::vector<std::string> allowed;  // without a route: the methods the path takes
    Metrics::Route metric = Metrics::kOther;
  };

  void Add(Route route) { routes_.push_back(std::move(route)); }

  Found Find(std::string_view method, std::string_view path) const {
    Found found;
    bool matched = false;
    for (const Route& r : routes_) {
      PathParams params;
      if (!Matches(r.pattern, path, &params)) continue;
      if (!matched) found.metric = r.metric;  // the first pattern that fits names it
      matched = true;
      if (r.method == method) {
        found.route = &r;
        found.params = std::move(params);
        found.metric = r.metric;
        found.allowed.clear();
        return found;
      }
      found.allowed.push_back(r.method);
    }
    return found;
  }

 private:
  static bool Matches(std::string_view pattern, std::string_view path, PathParams* params);
  std::vector<Route> routes_;
};

// Whether `path` fits `pattern`, filling `params`. (Non-template part.)
bool MatchRoutePattern(std::string_view pattern, std::string_view path, PathParams* params);

template <typename Handler>
bool Router<Handler>::Matches(std::string_view pattern, std::string_view path, PathParams* params) {
  return MatchRoutePattern(pattern, path, params);
}

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_ROUTER_H_
