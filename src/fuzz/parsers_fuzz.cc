// One libFuzzer target for every parser of outside input. The first byte
// picks the parser; the rest is its input. Every parser must return an error
// for bad input — never crash, hang or trip a CHECK.
//
//   Build:  cmake -S . -B build-fuzz -DSTRONGROOM_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
//   Run:    build-fuzz/src/parsers_fuzz tests/fuzz_corpus/parsers
// ctest replays the corpus with the ordinary build (parsers_fuzz_replay).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/small_stack.h"
#include "base/clock.h"
#include "base/encoding.h"
#include "custody/event.h"
#include "custody/model.h"
#include "json/canonical.h"
#include "json/canonical_reader.h"
#include "ledger/note.h"
#include "ledger/tiles.h"

namespace {

void FuzzOne(const uint8_t* data, size_t size) {
  using namespace strongroom;
  if (size == 0) return;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 12) {
    case 0: {
      auto note = ParseNote(in);
      if (note.ok()) (void)ParseCheckpointBody(note->text);
      break;
    }
    case 1:
      (void)ParseCheckpointBody(in);
      break;
    case 2: {
      auto id = ParseTilePath(in);
      if (id.ok() && TilePath(*id) != in) __builtin_trap();  // one spelling per tile
      break;
    }
    case 3:
      (void)SplitEntryBundle(in);
      break;
    case 4: {
      // Read straight from the text (no JSON tree): an entry read is
      // canonical JSON, and writes back to the same bytes.
      auto e = Event::FromEntry(in);
      if (e.ok() && e->ToEntry().value() != in) __builtin_trap();  // canonical round trip
      if (e.ok() && !ParseCanonicalJson(in).ok()) __builtin_trap();
      break;
    }
    case 5: {
      auto j = ParseJson(in);
      if (j.ok()) {
        auto c = CanonicalJson(*j);
        if (!c.ok() || !ParseCanonicalJson(*c).ok()) __builtin_trap();
      }
      break;
    }
    case 6:
      (void)NoteVerifier::FromVkey(in);
      break;
    case 7: {
      auto t = ParseRfc3339(in);
      if (t.ok() && ParseRfc3339(FormatRfc3339(*t)).value() != *t) __builtin_trap();
      break;
    }
    case 8: {
      auto b = Base64Decode(in);
      if (b.ok() && Base64Encode(*b) != in) __builtin_trap();  // strict decoding
      break;
    }
    case 9: {
      // A projection record read back from a store: it parses and validates,
      // or is refused; a record that parses is written (directly, not through
      // a JSON tree) as canonical JSON that reads back to the same row. Read
      // from text (straight, or through the tree when the text is not
      // canonical), it is the same record or the same refusal.
      auto j = ParseJson(in);
      auto round_trip = [&](auto parse, auto parse_text) {
        auto from_text = parse_text(in);
        if (!j.ok()) {
          if (from_text.ok()) __builtin_trap();
          return;
        }
        auto record = parse(*j);
        if (record.ok() != from_text.ok()) __builtin_trap();
        if (!record.ok()) return;
        const Row row = ToRow(*record);
        if (!(ToRow(*from_text) == row)) __builtin_trap();
        const std::string& text = std::get<std::string>(row.values.back());
        auto again = ParseCanonicalJson(text);
        if (!again.ok()) __builtin_trap();
        auto reread = parse(*again);
        if (!reread.ok() || !(ToRow(*reread) == row)) __builtin_trap();
        auto reread_text = parse_text(text);
        if (!reread_text.ok() || !(ToRow(*reread_text) == row)) __builtin_trap();
      };
      round_trip(FacilityFromJson, FacilityFromText);
      round_trip(LocationFromJson, LocationFromText);
      round_trip(PersonFromJson, PersonFromText);
      round_trip(HoldingFromJson, HoldingFromText);
      round_trip(GrantFromJson, GrantFromText);
      round_trip(RequestFromJson, RequestFromText);
      round_trip(DispatchFromJson, DispatchFromText);
      break;
    }
    case 11: {
      // A confidential entry and its disclosure ("entry\ndisclosure"): what
      // opens is exactly what the entry commits to, and writes back to the
      // same two texts.
      const size_t cut = in.find('\n');
      if (cut == std::string_view::npos) break;
      const std::string_view entry = in.substr(0, cut), disclosure = in.substr(cut + 1);
      auto e = Event::FromEntry(entry, disclosure);
      if (!e.ok()) break;
      if (e->ToEntry().value() != entry) __builtin_trap();
      // Given a disclosure, the entry is open, and its disclosure is that one.
      if (!disclosure.empty() && (e->sealed() || e->Disclosure() != disclosure)) __builtin_trap();
      break;
    }
    case 10: {
      // The tree-less canonical reader accepts exactly what parsing into a
      // tree and encoding again accepts.
      CanonicalReader r(in);
      std::string_view raw;
      const bool read = r.Raw(&raw) && r.End();
      if (read != ParseCanonicalJson(in).ok()) __builtin_trap();
      if (read && raw != in) __builtin_trap();
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  strongroom::RunOnSmallStack([&] { FuzzOne(data, size); });
  return 0;
}
