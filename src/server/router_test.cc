#include "server/router.h"

#include <gtest/gtest.h>

namespace strongroom {
namespace {

TEST(RouterTest, PatternsMatchSegmentsIdentifiersAndTheRest) {
  PathParams p;
  EXPECT_TRUE(MatchRoutePattern("/api/v1/events", "/api/v1/events", &p));
  EXPECT_FALSE(MatchRoutePattern("/api/v1/events", "/api/v1/events/", &p));
  EXPECT_FALSE(MatchRoutePattern("/api/v1/events", "/api/v1/event", &p));
  EXPECT_FALSE(MatchRoutePattern("/api/v1/events", "/api/v1", &p));
  PathParams q;
  EXPECT_TRUE(MatchRoutePattern("/api/v1/holdings/{id}/acknowledge",
                                "/api/v1/holdings/H-000012/acknowledge", &q));
  EXPECT_EQ(q["id"], "H-000012");
  EXPECT_EQ(q["other"], "");
  PathParams r;
  EXPECT_FALSE(MatchRoutePattern("/api/v1/holdings/{id}", "/api/v1/holdings/bad%20id", &r));
  EXPECT_FALSE(MatchRoutePattern("/api/v1/holdings/{id}", "/api/v1/holdings/", &r));
  EXPECT_FALSE(MatchRoutePattern("/api/v1/holdings/{id}", "/api/v1/holdings/H-1/x", &r));
  PathParams t;
  EXPECT_TRUE(MatchRoutePattern("/tile/{path...}", "/tile/0/x001/002.p/5", &t));
  EXPECT_EQ(t["path"], "0/x001/002.p/5");
  EXPECT_FALSE(MatchRoutePattern("/tile/{path...}", "/tile/", &t));
}

TEST(RouterTest, FindsTheRouteOrTellsNotFoundFromWrongMethod) {
  Router<int> router;
  router.Add({"GET", "/checkpoint", false, Metrics::kCheckpoint, 1});
  router.Add({"GET", "/api/v1/holdings/{id}", true, Metrics::kOther, 2});
  router.Add({"POST", "/api/v1/holdings/{id}/acknowledge", true, Metrics::kOther, 3});
  router.Add({"POST", "/api/v1/login", false, Metrics::kLogin, 4});
  auto f = router.Find("GET", "/api/v1/holdings/H-7");
  ASSERT_NE(f.route, nullptr);
  EXPECT_EQ(f.route->handler, 2);
  EXPECT_EQ(f.params["id"], "H-7");
  f = router.Find("GET", "/api/v1/login");
  EXPECT_EQ(f.route, nullptr);
  EXPECT_EQ(f.allowed, std::vector<std::string>{"POST"});
  EXPECT_EQ(f.metric, Metrics::kLogin);
  f = router.Find("POST", "/api/v1/nothing");
  EXPECT_EQ(f.route, nullptr);
  EXPECT_TRUE(f.allowed.empty());
  EXPECT_EQ(f.metric, Metrics::kOther);
}

}  // namespace
}  // namespace strongroom
