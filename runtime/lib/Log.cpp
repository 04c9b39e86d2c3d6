//===- Log.cpp - GEMMRT_LOG=1 diagnostics on stderr ----------------------===//

#include "Log.h"

#include <cstdio>

namespace gemmrt::impl {

void Logger::line(const std::string &text) {
  if (!enabled_)
    return;
  std::lock_guard<std::mutex> guard(mutex_);
  std::fprintf(stderr, "gemmrt: %s\n", text.c_str());
  std::fflush(stderr);
}

bool Logger::once(const std::string &key) {
  if (!enabled_)
    return false;
  std::lock_guard<std::mutex> guard(mutex_);
  return seen_.insert(key).second;
}

} // namespace gemmrt::impl
