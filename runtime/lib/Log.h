//===- Log.h - GEMMRT_LOG=1 diagnostics on stderr ---------------*- C++ -*-===//

#ifndef GEMMRT_LIB_LOG_H
#define GEMMRT_LIB_LOG_H

#include <mutex>
#include <string>
#include <unordered_set>

namespace gemmrt::impl {

/// Writes "gemmrt: <line>" to stderr when enabled. once() lets a caller log
/// a selection the first time it is made (per key) and never again.
class Logger {
public:
  explicit Logger(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  void line(const std::string &text);
  /// True the first time `key` is seen (only tracked when enabled).
  bool once(const std::string &key);

private:
  bool enabled_;
  std::mutex mutex_;
  std::unordered_set<std::string> seen_;
};

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_LOG_H
