//===- Env.h - Environment variables read once at creation ------*- C++ -*-===//
//
// GEMMRT_BACKEND, GEMMRT_LOG, GEMMRT_CACHE_DIR (with XDG_CACHE_HOME and
// HOME for the default), GEMMRT_COMPILER and GEMMRT_PDL. Read once in
// gemmrt_create; the lookup function is a parameter so tests need not touch the
// process environment.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_ENV_H
#define GEMMRT_LIB_ENV_H

#include "Selector.h"
#include "Status.h"

#include <functional>
#include <string>

namespace gemmrt::impl {

using GetEnvFn = std::function<const char *(const char *)>;

struct EnvConfig {
  Policy policy = Policy::Auto;
  bool log = false;
  std::string cacheDir; // empty: no disk cache (no usable directory)
  bool cacheDirFromEnv = false;
  /// GEMMRT_COMPILER: the compiler library to load for background
  /// compilation ("" = look for libgemmgen_compiler.so), or off.
  std::string compiler;
  bool compilerOff = false;
  /// GEMMRT_PDL: launch kernels that allow it with programmatic dependent
  /// launch (off unless 1/true/yes/on: measured no faster in graph replay,
  /// docs/perf/README.md).
  bool programmaticLaunch = false;
};

/// "auto" | "generated" | "cublaslt" | "reference" (case-insensitive);
/// unset or empty means auto. Anything else is INVALID_ARGUMENT naming the
/// value and the accepted ones.
Status parsePolicyName(const char *value, Policy &out);

/// GEMMRT_LOG: "1"/"true"/"yes"/"on" or "0"/"false"/"no"/"off"/"".
Status parseLogFlag(const char *value, bool &out);

/// A flag variable `name`: as parseLogFlag, but unset or empty is
/// `unsetValue`.
Status parseFlag(const char *name, const char *value, bool unsetValue,
                 bool &out);

/// GEMMRT_CACHE_DIR if set and non-empty, else $XDG_CACHE_HOME/gemmgen
/// (absolute XDG_CACHE_HOME only, per the XDG spec), else
/// $HOME/.cache/gemmgen, else "" (disk cache off).
std::string resolveCacheDir(const char *gemmrtCacheDir,
                            const char *xdgCacheHome, const char *home);

/// Reads all variables through `getenv`; a GEMMRT_CACHE_DIR that exists
/// but is not a directory is GEMMRT_ERROR_CACHE.
Status readEnvConfig(const GetEnvFn &getenv, EnvConfig &out);

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_ENV_H
