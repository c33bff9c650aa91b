// The inspection sample: which holdings an inspection looks at, chosen so
// that anyone can recompute it from the log and nobody can bias it — not
// the inspector, not the custodians, not whoever runs the sequencer.
// docs/oversight.md states the same algorithm for auditors' own code.
//
//   commitment = hex SHA-256(reveal)            in the open entry
//   seed       = SHA-256("strongroom inspection sample v1\n" || R || reveal)
//                R: the RFC 6962 root of the tree that ends with the open entry
//   rank(id)   = SHA-256(seed || id)
//   sample     = the n ids of the population with the smallest rank, in
//                rank order (bytewise)
//
// and the sizes n of the four methods (SampleSize).
#ifndef STRONGROOM_OVERSIGHT_SAMPLE_H_
#define STRONGROOM_OVERSIGHT_SAMPLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/sha256.h"

namespace strongroom::oversight {

inline constexpr size_t kRevealSize = 32;
inline constexpr std::string_view kSampleDomain = "strongroom inspection sample v1\n";

// Lowercase hex SHA-256 of `reveal`: what the open entry commits to.
std::string Commitment(std::string_view reveal);

// Lowercase hex SHA-256 of the ids sorted bytewise, each followed by "\n"
// (the population's hash, as the open entry records it). Sorts `ids`.
std::string PopulationHash(std::vector<std::string>* ids);

Hash SampleSeed(const Hash& root, std::string_view reveal);
Hash Rank(const Hash& seed, std::string_view id);

// The `n` ids of `population` with the smallest rank under `seed`, in rank
// order (all of them if n >= its size). Ids are distinct.
std::vector<std::string> DrawSample(const Hash& seed, const std::vector<std::string>& population,
                                    uint64_t n);
// Lowercase hex SHA-256 of the sample's ids in its order, each followed by
// "\n" (the draw entry records it; the list too when it fits).
std::string SampleHash(const std::vector<std::string>& sample);

// How big the sample is.
enum class Method : uint8_t {
  kFull,        // every item in scope: n = N
  kFixed,       // an explicit n (at most N)
  kDiscovery,   // enough to find one bad item with `confidence` if `rate` are bad
  kEstimation,  // Cochran, p = 0.5, with finite-population correction
};
Result<Method> ParseMethod(std::string_view name);
const char* MethodName(Method m);

struct SizeRule {
  Method method = Method::kFull;
  uint64_t fixed = 0;        // kFixed
  std::string confidence;    // kDiscovery, kEstimation: "0.95"
  std::string rate;          // kDiscovery: the loss rate to detect, "0.01"
  std::string margin;        // kEstimation: "0.03"
};

// A decimal fraction strictly between 0 and 1 with at most 6 digits after
// the point ("0.95"): its value, or InvalidArgument naming `what`.
Result<double> ParseFraction(std::string_view text, std::string_view what);

// n for a population of N on hand (docs/oversight.md, "Sample sizes"):
//   full        N
//   fixed       min(fixed, N)
//   discovery   b = max(1, ceil(rate * N)); the smallest n with
//               C(N-b, n) / C(N, n) <= 1 - confidence, the ratio computed
//               in IEEE-754 doubles as the running product of
//               (N-b-i) / (N-i), i = 0, 1, ... (so any language gets the same n)
//   estimation  n0 = z^2 * 0.25 / margin^2 (z = 1.645, 1.96 or 2.576 for
//               confidence 0.90, 0.95, 0.99); n = ceil(n0 / (1 + (n0 - 1) / N))
// InvalidArgument if the rule's parameters are not valid for its method.
Result<uint64_t> SampleSize(const SizeRule& rule, uint64_t population);

// A two-sided 95 % Wilson score interval for `bad` of `n` sampled, with
// the finite-population correction for a population of N (as the
// effective sample size n (N-1) / (N-n); a census is exact): [low, high].
struct Interval {
  double low = 0, high = 0;
};
Interval DiscrepancyInterval(uint64_t bad, uint64_t n, uint64_t population);

}  // namespace strongroom::oversight

#endif  // STRONGROOM_OVERSIGHT_SAMPLE_H_
