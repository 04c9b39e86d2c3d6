//===- Env.cpp - Environment variables read once at creation -------------===//

#include "Env.h"

#include <cctype>
#include <sys/stat.h>

namespace gemmrt::impl {

static std::string lower(const char *s) {
  std::string out(s);
  for (char &c : out)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status parsePolicyName(const char *value, Policy &out) {
  if (!value || !*value) {
    out = Policy::Auto;
    return Status::success();
  }
  std::string v = lower(value);
  for (Policy p : {Policy::Auto, Policy::Generated, Policy::CublasLt,
                   Policy::Reference, Policy::BatchInvariant}) {
    if (v == policyName(p)) {
      out = p;
      return Status::success();
    }
  }
  return makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                   "GEMMRT_BACKEND='%s' is not one of auto, generated, "
                   "cublaslt, reference, batch_invariant",
                   value);
}

Status parseFlag(const char *name, const char *value, bool unsetValue,
                 bool &out) {
  std::string v = value ? lower(value) : std::string();
  if (v.empty()) {
    out = unsetValue;
    return Status::success();
  }
  if (v == "0" || v == "false" || v == "no" || v == "off") {
    out = false;
    return Status::success();
  }
  if (v == "1" || v == "true" || v == "yes" || v == "on") {
    out = true;
    return Status::success();
  }
  return makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                   "%s='%s' is not one of 1, 0 (or true/false, yes/no, "
                   "on/off)",
                   name, value);
}

Status parseLogFlag(const char *value, bool &out) {
  return parseFlag("GEMMRT_LOG", value, false, out);
}

std::string resolveCacheDir(const char *gemmrtCacheDir,
                            const char *xdgCacheHome, const char *home) {
  if (gemmrtCacheDir && *gemmrtCacheDir)
    return gemmrtCacheDir;
  if (xdgCacheHome && xdgCacheHome[0] == '/')
    return std::string(xdgCacheHome) + "/gemmgen";
  if (home && *home)
    return std::string(home) + "/.cache/gemmgen";
  return std::string();
}

Status readEnvConfig(const GetEnvFn &getenv, EnvConfig &out) {
  EnvConfig cfg;
  if (Status s = parsePolicyName(getenv("GEMMRT_BACKEND"), cfg.policy); !s.ok())
    return s;
  if (Status s = parseLogFlag(getenv("GEMMRT_LOG"), cfg.log); !s.ok())
    return s;
  if (Status s = parseFlag("GEMMRT_PDL", getenv("GEMMRT_PDL"), false,
                           cfg.programmaticLaunch);
      !s.ok())
    return s;
  const char *dir = getenv("GEMMRT_CACHE_DIR");
  cfg.cacheDirFromEnv = dir && *dir;
  cfg.cacheDir = resolveCacheDir(dir, getenv("XDG_CACHE_HOME"), getenv("HOME"));
  if (cfg.cacheDirFromEnv) {
    struct stat st;
    if (::stat(cfg.cacheDir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
      return makeError(GEMMRT_ERROR_CACHE,
                       "GEMMRT_CACHE_DIR='%s' exists and is not a directory",
                       cfg.cacheDir.c_str());
  }
  if (const char *c = getenv("GEMMRT_COMPILER"); c && *c) {
    std::string v = c;
    for (char &ch : v)
      ch = char(std::tolower(static_cast<unsigned char>(ch)));
    if (v == "0" || v == "off" || v == "false" || v == "no")
      cfg.compilerOff = true;
    else
      cfg.compiler = c;
  }
  out = std::move(cfg);
  return Status::success();
}

} // namespace gemmrt::impl
