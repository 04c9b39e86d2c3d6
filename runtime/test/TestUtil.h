//===- TestUtil.h - Helpers shared by the gemmrt tests ----------*- C++ -*-===//

#ifndef GEMMRT_TEST_TESTUTIL_H
#define GEMMRT_TEST_TESTUTIL_H

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace gemmrt::test {

namespace fs = std::filesystem;

/// runtime/test/data (set by CMake).
inline std::string dataDir() { return GEMMRT_TEST_DATA_DIR; }
inline std::string dataPath(const std::string &rel) {
  return dataDir() + "/" + rel;
}

/// A fresh directory removed (recursively) at scope exit.
class TempDir {
public:
  TempDir() {
    const char *base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/gemmrt-test-XXXXXX";
    char *made = ::mkdtemp(pattern.data());
    path_ = made ? made : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty())
      fs::remove_all(path_, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::string &path() const { return path_; }
  std::string operator/(const std::string &rel) const {
    return path_ + "/" + rel;
  }

private:
  std::string path_;
};

inline std::string readText(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void writeText(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

/// Copies a fixture bundle into `dst` (created).
inline void copyBundle(const std::string &src, const std::string &dst) {
  fs::create_directories(dst);
  fs::copy(src, dst,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

/// Sets (or, with nullptr, unsets) an environment variable for a scope.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name_(name) {
    const char *old = std::getenv(name);
    hadOld_ = old != nullptr;
    if (old)
      old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (hadOld_)
      ::setenv(name_.c_str(), old_.c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv &) = delete;
  ScopedEnv &operator=(const ScopedEnv &) = delete;

private:
  std::string name_, old_;
  bool hadOld_ = false;
};

} // namespace gemmrt::test

#endif // GEMMRT_TEST_TESTUTIL_H
