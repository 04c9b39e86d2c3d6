//===- Guard.h - No exception crosses the C API ------------------*- C++ -*-===//
//
// Every extern "C" entry point runs its body through guarded(): the status
// it returns is recorded for gemmrt_last_error(), and an exception (a bug,
// or std::bad_alloc) becomes GEMMRT_ERROR_INTERNAL with a message naming
// the entry point and the exception. A template, so the hot path pays no
// std::function; the catch side is out of line in Status.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_GUARD_H
#define GEMMRT_LIB_GUARD_H

#include "Status.h"

namespace gemmrt::impl {

/// Records `s` for gemmrt_last_error() and returns its code.
inline gemmrt_status finish(const Status &s) {
  setLastError(s);
  return s.code();
}

/// The status for the exception being handled; call only inside a catch
/// block. "<fn>: out of host memory" for std::bad_alloc, else
/// "<fn>: internal error (a bug in libgemmrt): <what()>".
Status currentExceptionStatus(const char *fn);

template <typename Fn> gemmrt_status guarded(const char *fn, Fn &&body) {
  try {
    return body();
  } catch (...) {
    try {
      return finish(currentExceptionStatus(fn));
    } catch (...) {
      // Not even the message could be made (no memory): the code still
      // says what happened.
      return GEMMRT_ERROR_INTERNAL;
    }
  }
}

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_GUARD_H
