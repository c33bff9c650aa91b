// Publishing the log as a static C2SP tlog-tiles tree that any web server
// can host: checkpoint, hash tiles and entry bundles.
#ifndef STRONGROOM_VERIFY_PUBLISH_H_
#define STRONGROOM_VERIFY_PUBLISH_H_

#include <cstdint>
#include <string>

#include "custody/data_dir.h"

namespace strongroom {

struct PublishStats {
  uint64_t previous_size = 0;  // the size already published in the directory
  uint64_t size = 0;           // the size published now
  uint64_t files_written = 0;
  // Of the entries published now, those written before confidential
  // entries (schema 2 and 3): their fields are in clear in the tree.
  uint64_t clear_entries = 0;
};

// Writes the tree of the store's latest checkpoint into `out_dir`,
// incrementally: tiles already published are not rewritten, and the
// checkpoint is replaced last, after every tile it covers is on disk. Refuses
// to overwrite a published checkpoint of another key, or one this log is not
// consistent with.
Result<PublishStats> Publish(DataDir* data, const std::string& out_dir);

}  // namespace strongroom

#endif  // STRONGROOM_VERIFY_PUBLISH_H_
