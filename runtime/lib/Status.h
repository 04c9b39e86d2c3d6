//===- Status.h - Internal status type and message formatting ---*- C++ -*-===//
//
// Every internal function that can fail returns a Status: the public code
// plus a message that names what was wrong. The C API copies the message into
// the thread-local slot behind gemmrt_last_error().
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_STATUS_H
#define GEMMRT_LIB_STATUS_H

#include "gemmrt/gemmrt.h"

#include <string>
#include <utility>

namespace gemmrt::impl {

class [[nodiscard]] Status {
public:
  Status() = default;
  Status(gemmrt_status code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status success() { return Status(); }

  bool ok() const { return code_ == GEMMRT_OK; }
  gemmrt_status code() const { return code_; }
  const std::string &message() const { return message_; }

  /// Prepends context ("bundle '/b': ") to the message of an error.
  Status &prefix(const std::string &context) {
    if (!ok())
      message_ = context + message_;
    return *this;
  }

private:
  gemmrt_status code_ = GEMMRT_OK;
  std::string message_;
};

/// printf-style formatting into a std::string (error paths only).
std::string formatString(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/// Shorthand: Status(code, formatString(fmt, ...)).
Status makeError(gemmrt_status code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/// The thread-local message behind gemmrt_last_error().
void setLastError(const Status &status);
const char *lastErrorMessage();

/// See Guard.h.
Status currentExceptionStatus(const char *fn);

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_STATUS_H
