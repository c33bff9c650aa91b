// Runs a fuzz input on a thread with a small stack, so that recursion which
// grows with the input (a parser or encoder walking a deeply nested
// document) overflows here, on inputs of a few kilobytes, instead of only on
// the megabyte-sized ones a default 8 MiB stack would need.
#ifndef STRONGROOM_FUZZ_SMALL_STACK_H_
#define STRONGROOM_FUZZ_SMALL_STACK_H_

#include <pthread.h>

#include <cstdlib>

namespace strongroom {

// 256 KiB: every legitimate input (JSON up to 64 levels deep) runs in it under
// ASan with room to spare; a 2,000-level document with per-level recursion
// does not.
constexpr size_t kFuzzStackBytes = 256 * 1024;

template <class F>
void RunOnSmallStack(F&& fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kFuzzStackBytes);
  pthread_t thread;
  auto start = [](void* arg) -> void* {
    (*static_cast<F*>(arg))();
    return nullptr;
  };
  if (pthread_create(&thread, &attr, start, &fn) != 0) std::abort();
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

}  // namespace strongroom

#endif  // STRONGROOM_FUZZ_SMALL_STACK_H_
