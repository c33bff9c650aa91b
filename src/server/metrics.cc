#include "server/metrics.h"

#include <cstdio>

namespace strongroom {
namespace {

constexpr const char* kRouteNames[] = {"login",        "logout", "events",  "checkpoint", "tile",
                                       "entry_bundle", "health", "metrics", "other"};
constexpr const char* kOutcomeNames[] = {"accepted", "pending", "denied", "refused"};

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

void Metrics::Request(Route route, int status, double seconds) {
  status_classes_[route][std::min(5, std::max(0, status / 100))]++;
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      h.le[i]++;
      break;
    }
  }
  h.count++;
  h.sum_micros += static_cast<uint64_t>(seconds * 1e6);
}

std::string Metrics::Render(const Gauges& g) const {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  line("# HELP strongroom_http_requests_total HTTP requests answered, by route and status class.");
  line("# TYPE strongroom_http_requests_total counter");
  for (int r = 0; r < kRouteCount; ++r) {
    for (int c = 1; c <= 5; ++c) {
      const uint64_t n = status_classes_[r][c];
      if (n == 0) continue;
      line(std::string("strongroom_http_requests_total{route=\"") + kRouteNames[r] + "\",code=\"" +
           std::to_string(c) + "xx\"} " + std::to_string(n));
    }
  }
  line("# HELP strongroom_http_request_seconds Time from a request read to its answer, by route.");
  line("# TYPE strongroom_http_request_seconds histogram");
  for (int r = 0; r < kRouteCount; ++r) {
    const Histogram& h = latency_[r];
    if (h.count == 0) continue;
    const std::string route = std::string("route=\"") + kRouteNames[r] + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.le[i];
      line("strongroom_http_request_seconds_bucket{" + route + ",le=\"" + Number(kBuckets[i]) +
           "\"} " + std::to_string(cumulative));
    }
    line("strongroom_http_request_seconds_bucket{" + route + ",le=\"+Inf\"} " +
         std::to_string(h.count.load()));
    line("strongroom_http_request_seconds_sum{" + route + "} " +
         Number(static_cast<double>(h.sum_micros) / 1e6));
    line("strongroom_http_request_seconds_count{" + route + "} " + std::to_string(h.count.load()));
  }
  line("# HELP strongroom_decisions_total Custody events submitted, by how they ended.");
  line("# TYPE strongroom_decisions_total counter");
  for (int o = 0; o < kOutcomeCount; ++o) {
    line(std::string("strongroom_decisions_total{outcome=\"") + kOutcomeNames[o] + "\"} " +
         std::to_string(decisions_[o].load()));
  }
  line(
      "# HELP strongroom_login_failures_total Logins refused (wrong credential or unknown "
      "person).");
  line("# TYPE strongroom_login_failures_total counter");
  line("strongroom_login_failures_total " + std::to_string(login_failures_.load()));
  line(
      "# HELP strongroom_projection_mac_failures_total Projection rows read that failed their "
      "MAC (edited outside strongroom): an alarm.");
  line("# TYPE strongroom_projection_mac_failures_total counter");
  line("strongroom_projection_mac_failures_total " +
       std::to_string(projection_mac_failures_.load()));
  line("# HELP strongroom_log_size Entries in the log (the latest checkpoint's size).");
  line("# TYPE strongroom_log_size gauge");
  line("strongroom_log_size " + std::to_string(g.log_size));
  line("# HELP strongroom_sequencer_queue_depth Submissions waiting for the sequencer.");
  line("# TYPE strongroom_sequencer_queue_depth gauge");
  line("strongroom_sequencer_queue_depth " + std::to_string(g.queue_depth));
  line("# HELP strongroom_sequencer_batches_total Batches the sequencer committed.");
  line("# TYPE strongroom_sequencer_batches_total counter");
  line("strongroom_sequencer_batches_total " + std::to_string(g.batches));
  line("# HELP strongroom_sequencer_batched_entries_total Entries in those batches.");
  line("# TYPE strongroom_sequencer_batched_entries_total counter");
  line("strongroom_sequencer_batched_entries_total " + std::to_string(g.batched_entries));
  return out;
}

}  // namespace strongroom
