#include "oversight/install.h"

#include "custody/kinds/kind.h"
#include "oversight/detection.h"
#include "oversight/inspection.h"

namespace strongroom::oversight {

void Install() {
  InstallKinds(InspectionKinds);
  InstallKinds(DetectionKinds);
}

namespace {
// Every program linked with this layer has its kinds before main: the
// library is linked whole (src/CMakeLists.txt), so this always runs.
const bool kInstalled = (Install(), true);
}  // namespace

}  // namespace strongroom::oversight
