// libFuzzer target for what a client sends strongroomd: the raw HTTP request
// (Boost.Beast's parser with the server's limits) and then every decoder the
// service applies to it: the bearer token, the query string, the strict JSON
// body, the event a body describes and tile paths. Bad input must give an
// error, never a crash, a hang or a broken promise (checked with traps).
//
//   Build:  cmake -S . -B build-fuzz -DSTRONGROOM_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
//   Run:    build-fuzz/src/http_fuzz tests/fuzz_corpus/http
// ctest replays the corpus with the ordinary build (http_fuzz_replay).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/small_stack.h"
#include "ledger/tiles.h"
#include "server/http_message.h"
#include "server/requests.h"

namespace {

void FuzzOne(const uint8_t* data, size_t size) {
  using namespace strongroom;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto request = ParseHttpRequest(in, 4096);
  if (!request.ok()) return;
  if (request->body.size() > 4096) __builtin_trap();  // the body limit holds
  if (request->path.find('?') != std::string::npos) __builtin_trap();
  (void)BearerToken(*request);

  static const std::set<std::string> kParams = {"status", "kind", "facility", "holder", "case",
                                                "limit",  "index", "size",   "from",   "to"};
  auto params = QueryParams(request->query, kParams);
  if (params.ok()) {
    for (const auto& [key, value] : *params) {
      if (!kParams.count(key)) __builtin_trap();  // only what was allowed
      (void)CountParam(*params, key);
    }
  }

  auto body = ObjectBody(*request, {"type", "holdings", "fields", "credential", "person"});
  if (body.ok()) {
    if (!body->is_object()) __builtin_trap();
    (void)StringMember(*body, "person");
    auto event = EventFromBody(*body, "FUZZ");
    if (event.ok()) {
      if (event->actor != "FUZZ" || event->type == EventType::kAccessRead) __builtin_trap();
      (void)ValidateFields(*event);
    }
  }

  if (request->path.rfind("/tile/", 0) == 0) {
    auto id = ParseTilePath(request->path.substr(1));
    if (id.ok() && "/" + TilePath(*id) != request->path) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  strongroom::RunOnSmallStack([&] { FuzzOne(data, size); });
  return 0;
}
