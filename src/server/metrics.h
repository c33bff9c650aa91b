// Counters and latency histograms for strongroomd's /metrics, rendered in
// the Prometheus text exposition format (version 0.0.4). Safe for
// concurrent use: every counter is an atomic.
#ifndef STRONGROOM_SERVER_METRICS_H_
#define STRONGROOM_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace strongroom {

// What the service reports beside its own counters.
struct Gauges {
  uint64_t log_size = 0;
  uint64_t queue_depth = 0;
  uint64_t batches = 0;          // sequencer batches committed
  uint64_t batched_entries = 0;  // entries in them
};

class Metrics {
 public:
  // Routes, for the `route` label.
  enum Route {
    kLogin,
    kLogout,
    kEvents,
    kCheckpoint,
    kTile,
    kEntryBundle,
    kHealth,
    kMetrics,
    kOther,
    kRouteCount
  };
  // Outcomes of custody events, for the `outcome` label.
  enum Outcome { kAccepted, kPending, kDenied, kRefused, kOutcomeCount };

  void Request(Route route, int status, double seconds);
  void Decision(Outcome outcome) { decisions_[outcome]++; }
  void LoginFailure() { login_failures_++; }
  void ProjectionMacFailure() { projection_mac_failures_++; }

  std::string Render(const Gauges& gauges) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   10};
  struct Histogram {
    std::array<std::atomic<uint64_t>, kBuckets.size()> le{};  // cumulative at render time
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_micros{0};
  };
  std::array<std::array<std::atomic<uint64_t>, 6>, kRouteCount> status_classes_{};  // 0xx..5xx
  std::array<Histogram, kRouteCount> latency_;
  std::array<std::atomic<uint64_t>, kOutcomeCount> decisions_{};
  std::atomic<uint64_t> login_failures_{0};
  std::atomic<uint64_t> projection_mac_failures_{0};
};

}  // namespace strongroom

#endif  // STRONGROOM_SERVER_METRICS_H_
