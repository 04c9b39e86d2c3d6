//===- Status.cpp - Internal status type and message formatting ----------===//

#include "Status.h"

#include <cstdarg>
#include <cstdio>
#include <exception>
#include <new>

namespace gemmrt::impl {

static std::string vformatString(const char *fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0)
    return std::string();
  std::string out(static_cast<size_t>(n) + 1, '\0');
  std::vsnprintf(out.data(), out.size(), fmt, args);
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string formatString(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::string s = vformatString(fmt, args);
  va_end(args);
  return s;
}

Status makeError(gemmrt_status code, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::string s = vformatString(fmt, args);
  va_end(args);
  return Status(code, std::move(s));
}

// A std::string per thread: clearing it on success keeps its capacity, so
// the hot path does not allocate.
static thread_local std::string tlsLastError;

void setLastError(const Status &status) {
  if (status.ok())
    tlsLastError.clear();
  else
    tlsLastError = status.message();
}

const char *lastErrorMessage() { return tlsLastError.c_str(); }

Status currentExceptionStatus(const char *fn) {
  try {
    throw;
  } catch (const std::bad_alloc &) {
    return makeError(GEMMRT_ERROR_INTERNAL, "%s: out of host memory", fn);
  } catch (const std::exception &e) {
    return makeError(GEMMRT_ERROR_INTERNAL,
                     "%s: internal error (a bug in libgemmrt): %s", fn,
                     e.what());
  } catch (...) {
    return makeError(GEMMRT_ERROR_INTERNAL,
                     "%s: internal error (a bug in libgemmrt): an exception "
                     "that is not a std::exception",
                     fn);
  }
}

} // namespace gemmrt::impl
