// Event kinds described for people: the table in docs/entry-format.md and
// the words of `--help`, both from the kinds' field tables.
#ifndef STRONGROOM_CUSTODY_KINDS_DESCRIBE_H_
#define STRONGROOM_CUSTODY_KINDS_DESCRIBE_H_

#include <string>

#include "custody/kinds/kind.h"

namespace strongroom {

// "an identifier", "one of: seen, missing, seal_broken", "an RFC 3339 UTC
// time", ...: what a value of the field must be.
std::string DescribeValue(const FieldSpec& f);
// "text; after the event's time": the value and the field's note.
std::string DescribeField(const FieldSpec& f);
// The Markdown table of every kind (docs/entry-format.md holds it between
// the markers kEntryTableBegin and kEntryTableEnd).
std::string EntryFormatTable();
inline constexpr const char* kEntryTableBegin = "<!-- entry-types: generated from src/custody/kinds -->";
inline constexpr const char* kEntryTableEnd = "<!-- end of entry-types -->";

}  // namespace strongroom

#endif  // STRONGROOM_CUSTODY_KINDS_DESCRIBE_H_
