#include "oversight/sample.h"

#include <algorithm>
#include <cmath>

#include "base/encoding.h"

namespace strongroom::oversight {
namespace {

std::string HexSha256OfLines(const std::vector<std::string>& ids) {
  std::string text;
  size_t size = 0;
  for (const auto& id : ids) size += id.size() + 1;
  text.reserve(size);
  for (const auto& id : ids) text.append(id).push_back('\n');
  return HexEncode(Sha256(text).view());
}

}  // namespace

std::string Commitment(std::string_view reveal) { return HexEncode(Sha256(reveal).view()); }

std::string PopulationHash(std::vector<std::string>* ids) {
  std::sort(ids->begin(), ids->end());
  return HexSha256OfLines(*ids);
}

Hash SampleSeed(const Hash& root, std::string_view reveal) {
  std::string input(kSampleDomain);
  input.append(root.view()).append(reveal);
  return Sha256(input);
}

Hash Rank(const Hash& seed, std::string_view id) {
  std::string input(seed.view());
  input.append(id);
  return Sha256(input);
}

std::vector<std::string> DrawSample(const Hash& seed, const std::vector<std::string>& population,
                                    uint64_t n) {
  std::vector<std::pair<Hash, const std::string*>> ranked;
  ranked.reserve(population.size());
  for (const auto& id : population) ranked.emplace_back(Rank(seed, id), &id);
  const size_t take = static_cast<size_t>(std::min<uint64_t>(n, ranked.size()));
  auto by_rank = [](const auto& a, const auto& b) { return a.first.bytes < b.first.bytes; };
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(take),
                    ranked.end(), by_rank);
  std::vector<std::string> sample;
  sample.reserve(take);
  for (size_t i = 0; i < take; ++i) sample.push_back(*ranked[i].second);
  return sample;
}

std::string SampleHash(const std::vector<std::string>& sample) { return HexSha256OfLines(sample); }

Result<Method> ParseMethod(std::string_view name) {
  for (Method m : {Method::kFull, Method::kFixed, Method::kDiscovery, Method::kEstimation}) {
    if (name == MethodName(m)) return m;
  }
  return InvalidArgument("sampling method '" + std::string(name) +
                         "' is none of: full, fixed, discovery, estimation");
}

const char* MethodName(Method m) {
  switch (m) {
    case Method::kFull: return "full";
    case Method::kFixed: return "fixed";
    case Method::kDiscovery: return "discovery";
    case Method::kEstimation: return "estimation";
  }
  return "?";
}

namespace {

// "0.95" -> {95, 100}: digits after the point and 10^their count.
Result<std::pair<uint64_t, uint64_t>> Decimal(std::string_view text, std::string_view what) {
  auto bad = [&] {
    return InvalidArgument(std::string(what) + " must be a decimal fraction between 0 and 1 " +
                           "with at most 6 digits after the point (0.95), not '" +
                           std::string(text.substr(0, 32)) + "'");
  };
  if (text.size() < 3 || text.size() > 8 || text.substr(0, 2) != "0.") return bad();
  uint64_t digits = 0, scale = 1;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9') return bad();
    digits = digits * 10 + static_cast<uint64_t>(c - '0');
    scale *= 10;
  }
  if (digits == 0) return bad();
  return std::pair{digits, scale};
}

}  // namespace

Result<double> ParseFraction(std::string_view text, std::string_view what) {
  SR_ASSIGN_OR_RETURN(auto d, Decimal(text, what));
  return static_cast<double>(d.first) / static_cast<double>(d.second);
}

Result<uint64_t> SampleSize(const SizeRule& rule, uint64_t population) {
  const uint64_t N = population;
  switch (rule.method) {
    case Method::kFull:
      return N;
    case Method::kFixed:
      if (rule.fixed == 0) return InvalidArgument("a fixed sample needs a size of at least 1");
      return std::min(rule.fixed, N);
    case Method::kDiscovery: {
      SR_ASSIGN_OR_RETURN(double confidence, ParseFraction(rule.confidence, "confidence"));
      SR_ASSIGN_OR_RETURN(auto rate, Decimal(rule.rate, "the loss rate to detect"));
      if (N == 0) return uint64_t{0};
      // b = max(1, ceil(rate * N)), in integers.
      const uint64_t b = std::max<uint64_t>(1, (rate.first * N + rate.second - 1) / rate.second);
      const double miss = 1.0 - confidence;
      double p = 1.0;  // C(N-b, n) / C(N, n): the chance that n draws miss all b
      uint64_t n = 0;
      while (p > miss && n < N) {
        p *= static_cast<double>(N - std::min(N, b + n)) / static_cast<double>(N - n);
        ++n;
      }
      return n;
    }
    case Method::kEstimation: {
      SR_ASSIGN_OR_RETURN(double margin, ParseFraction(rule.margin, "the margin"));
      double z = 0;
      if (rule.confidence == "0.90" || rule.confidence == "0.9") {
        z = 1.645;
      } else if (rule.confidence == "0.95") {
        z = 1.96;
      } else if (rule.confidence == "0.99") {
        z = 2.576;
      } else {
        return InvalidArgument("estimation sampling takes a confidence of 0.90, 0.95 or 0.99, not '" +
                               rule.confidence.substr(0, 32) + "'");
      }
      if (N == 0) return uint64_t{0};
      const double n0 = z * z * 0.25 / (margin * margin);
      const double n = std::ceil(n0 / (1.0 + (n0 - 1.0) / static_cast<double>(N)));
      return std::min<uint64_t>(N, static_cast<uint64_t>(n));
    }
  }
  return InvalidArgument("unknown sampling method");
}

Interval DiscrepancyInterval(uint64_t bad, uint64_t n, uint64_t population) {
  if (n == 0) return {0, 1};
  const double p = static_cast<double>(bad) / static_cast<double>(n);
  // A census (n = N) has no sampling error.
  if (population <= n) return {p, p};
  // The Wilson score interval with the finite-population correction as an
  // effective sample size: n' = n (N - 1) / (N - n).
  const double z = 1.96;
  const double ne = static_cast<double>(n) * static_cast<double>(population - 1) /
                    static_cast<double>(population - n);
  const double denom = 1 + z * z / ne;
  const double centre = (p + z * z / (2 * ne)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / ne + z * z / (4 * ne * ne)) / denom;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace strongroom::oversight
