// The oversight layer's part in the custody core: its event kinds, which
// every process that reads or writes a log with them installs first.
#ifndef STRONGROOM_OVERSIGHT_INSTALL_H_
#define STRONGROOM_OVERSIGHT_INSTALL_H_

namespace strongroom::oversight {

// Installs the oversight event kinds (custody/kinds/kind.h: InstallKinds).
// Call at the start of main, before anything reads the kinds; idempotent.
void Install();

}  // namespace strongroom::oversight

#endif  // STRONGROOM_OVERSIGHT_INSTALL_H_
