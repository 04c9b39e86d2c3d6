//===- ErrorPathTest.cpp - Error paths no other CPU test reached ---------===//
//
// docs/errors.md lists every error the runtime can return with the test
// that covers it. These are the paths that had no test when that table was
// made: each checks the code and that the message names what was wrong.
//
//===----------------------------------------------------------------------===//

#include "DiskCache.h"
#include "Guard.h"
#include "Manifest.h"
#include "Selector.h"
#include "TestUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace gemmrt::impl;
using namespace gemmrt::test;
using nlohmann::json;

#define EXPECT_HAS(text, part)                                                 \
  EXPECT_NE(std::string(text).find(part), std::string::npos)                   \
      << "'" << (text) << "' lacks '" << (part) << "'"

//===--- the C API guard --------------------------------------------------===//

TEST(ErrorPaths, ExceptionsBecomeInternalErrorsNamingTheEntryPoint) {
  EXPECT_EQ(guarded("gemmrt_x",
                    []() -> gemmrt_status {
                      throw std::runtime_error("invariant broken");
                    }),
            GEMMRT_ERROR_INTERNAL);
  EXPECT_STREQ(gemmrt_last_error(),
               "gemmrt_x: internal error (a bug in libgemmrt): invariant "
               "broken");

  EXPECT_EQ(guarded("gemmrt_y",
                    []() -> gemmrt_status { throw std::bad_alloc(); }),
            GEMMRT_ERROR_INTERNAL);
  EXPECT_STREQ(gemmrt_last_error(), "gemmrt_y: out of host memory");

  EXPECT_EQ(guarded("gemmrt_z", []() -> gemmrt_status { throw 42; }),
            GEMMRT_ERROR_INTERNAL);
  EXPECT_HAS(gemmrt_last_error(), "gemmrt_z: internal error");
  EXPECT_HAS(gemmrt_last_error(), "not a std::exception");

  // The body's own status passes through untouched.
  EXPECT_EQ(guarded("gemmrt_w",
                    [] {
                      return finish(Status(GEMMRT_ERROR_MISALIGNED, "m"));
                    }),
            GEMMRT_ERROR_MISALIGNED);
  EXPECT_STREQ(gemmrt_last_error(), "m");
}

TEST(ErrorPaths, GetPolicyWithNullOutput) {
  ScopedEnv backend("GEMMRT_BACKEND", nullptr);
  gemmrt_runtime *rt = nullptr;
  ASSERT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_OK);
  EXPECT_EQ(gemmrt_get_backend_policy(rt, nullptr),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(gemmrt_last_error(),
               "gemmrt_get_backend_policy: policy is NULL");
  gemmrt_destroy(rt);
}

TEST(ErrorPaths, EmptyBundlePath) {
  ScopedEnv backend("GEMMRT_BACKEND", nullptr);
  const char *paths[] = {""};
  gemmrt_runtime *rt = nullptr;
  EXPECT_EQ(gemmrt_create(&rt, paths, 1), GEMMRT_ERROR_BUNDLE);
  EXPECT_STREQ(gemmrt_last_error(), "bundle path is empty");
  EXPECT_EQ(rt, nullptr);
}

//===--- selection --------------------------------------------------------===//

TEST(ErrorPaths, SelectorRejectsAPolicyOutsideTheEnum) {
  // The C API only passes known policies; the selector still refuses others.
  Selector sel({});
  GemmArgs a;
  a.x = a.y = a.out = 0x10000;
  a.m = a.n = a.k = a.lda = a.ldb = a.ldc = 64;
  Selection out;
  Status s = sel.select(Policy(7), a, nullptr, out);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_INTERNAL);
  EXPECT_EQ(s.message(), "unknown policy 7");
}

TEST(ErrorPaths, VariantKMultiple) {
  // Unreachable through a parsed bundle (its k is a multiple of k_multiple
  // and a covering variant has k == K), so checked on the function itself.
  Variant v;
  v.name = "v";
  v.reqs.kMultiple = 64;
  GemmArgs a;
  a.x = a.y = a.out = 0x10000;
  a.m = 1;
  a.n = 64;
  a.k = a.lda = a.ldb = 4104;
  a.ldc = 64;
  Status s = checkVariantRequirements(v, a);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_EQ(s.message(),
            "K=4104 is not a multiple of 64 (k_multiple of variant v)");
}

//===--- manifest.json / tuning.json --------------------------------------===//

namespace {

/// bundle_good in a temp dir with `edit` applied to manifest.json (or to
/// tuning.json), loaded; returns the status.
Status loadEdited(const std::function<void(json &)> &edit, bool tuning) {
  TempDir dir;
  copyBundle(dataPath("bundle_good"), dir.path());
  std::string file = dir / (tuning ? "tuning.json" : "manifest.json");
  json j = json::parse(readText(file));
  edit(j);
  writeText(file, j.dump());
  Bundle b;
  Status s = loadBundle(dir.path(), b);
  if (!s.ok())
    EXPECT_HAS(s.message(), "bundle '" + dir.path() + "': ");
  return s;
}

void expectBundleError(const std::function<void(json &)> &edit, bool tuning,
                       const std::string &expected) {
  Status s = loadEdited(edit, tuning);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << expected;
  EXPECT_HAS(s.message(), expected);
}

json tmaParam(const char *tensor) {
  return {{"kind", "tma_desc"}, {"tensor", tensor}, {"box", {64, 64}}};
}

} // namespace

TEST(ErrorPaths, ManifestTopLevelIsNotAnObject) {
  expectBundleError([](json &j) { j = json::array({1}); }, false,
                    "manifest.json: expected a JSON object, got array");
  expectBundleError([](json &j) { j = 5; }, true,
                    "tuning.json: expected a JSON object, got number");
}

TEST(ErrorPaths, ManifestIntegerAboveInt64) {
  expectBundleError(
      [](json &j) { j["variants"][0]["n"] = 18446744073709551615ull; }, false,
      "variants[0] (n256_k4096_m1_64).n: value 18446744073709551615 is out "
      "of range");
}

TEST(ErrorPaths, ManifestEmptyString) {
  expectBundleError([](json &j) { j["compiler"] = ""; }, false,
                    "manifest.json: compiler: must not be empty");
}

TEST(ErrorPaths, ManifestAbsoluteCubinPath) {
  expectBundleError([](json &j) { j["variants"][0]["cubin"] = "/abs.cubin"; },
                    false,
                    ".cubin: '/abs.cubin' must be a path relative to the "
                    "bundle directory");
}

TEST(ErrorPaths, ManifestTooManyParams) {
  expectBundleError(
      [](json &j) {
        json &params = j["variants"][0]["params"];
        while (params.size() <= kMaxParams)
          params.push_back({{"kind", "i32"}, {"value", "m"}});
      },
      false, "variants[0] (n256_k4096_m1_64).params: more than 64 params");
}

TEST(ErrorPaths, ManifestParamBufferTooLarge) {
  // 40 params, 37 of them 128-byte descriptors: fewer than 64 params, but
  // 4864 bytes of parameter buffer.
  expectBundleError(
      [](json &j) {
        json &params = j["variants"][0]["params"];
        while (params.size() < 40)
          params.push_back(tmaParam("x"));
      },
      false, ".params: 4864 bytes of parameters exceed 4096");
}

TEST(ErrorPaths, TuningChipIsNotAChip) {
  expectBundleError([](json &j) { j["chip"] = "gfx942"; }, true,
                    "tuning.json: chip: 'gfx942' is not a chip like sm_90a");
}

TEST(ErrorPaths, TuningEntryIsNotAnObject) {
  expectBundleError([](json &j) { j["entries"][0] = 5; }, true,
                    "tuning.json: entries[0]: expected an object, got number");
}

TEST(ErrorPaths, UnreadableManifestAndTuning) {
  // A regular file whose read() fails: /proc/self/mem read at offset 0 is
  // EIO (works as root too, unlike a chmod 0 file). readFile used to return
  // the empty text of such a file as its contents ("not valid JSON").
  for (const char *file : {"manifest.json", "tuning.json"}) {
    TempDir dir;
    copyBundle(dataPath("bundle_good"), dir.path());
    std::filesystem::remove(dir / file);
    std::filesystem::create_symlink("/proc/self/mem", dir / file);
    Bundle b;
    Status s = loadBundle(dir.path(), b);
    EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE);
    EXPECT_EQ(s.message(), "bundle '" + dir.path() + "': " + file +
                               ": cannot read: Input/output error");
  }
}

//===--- disk cache (logged by the runtime, never returned by a call) -----===//

TEST(ErrorPaths, CacheInvalidKey) {
  TempDir dir;
  CacheKey key{"not-a-sha", "sm_90", 13000};
  Status s = writeCacheEntry(dir.path(), key, "x", 1);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_CACHE);
  EXPECT_EQ(s.message(),
            "invalid cache key (sha256 'not-a-sha', chip 'sm_90', driver "
            "13000)");
}

TEST(ErrorPaths, CacheDirectoryErrors) {
  TempDir dir;
  Status s = ensureDirectory("");
  EXPECT_EQ(s.code(), GEMMRT_ERROR_CACHE);
  EXPECT_EQ(s.message(), "cache directory path is empty");
  writeText(dir / "file", "x");
  s = ensureDirectory(dir / "file");
  EXPECT_EQ(s.code(), GEMMRT_ERROR_CACHE);
  EXPECT_EQ(s.message(), "'" + (dir / "file") + "' is not a directory");
  s = ensureDirectory(dir / "file/sub");
  EXPECT_EQ(s.code(), GEMMRT_ERROR_CACHE);
  EXPECT_HAS(s.message(), "cannot create directory '" + (dir / "file/sub") +
                              "': Not a directory");
}

TEST(ErrorPaths, AtomicWriteCannotCreateTheTempFile) {
  TempDir dir;
  Status s = writeFileAtomic(dir / "missing/f", "x", 1);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_CACHE);
  EXPECT_HAS(s.message(), "cannot create '" + (dir / "missing/f.tmp."));
  EXPECT_HAS(s.message(), "No such file or directory");
}

TEST(ErrorPaths, AtomicWriteCannotRename) {
  // The entry's name is taken by a non-empty directory: rename fails, the
  // temp file is removed and nothing else changes.
  TempDir dir;
  std::filesystem::create_directories(dir / "f/sub");
  Status s = writeFileAtomic(dir / "f", "x", 1);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_CACHE);
  EXPECT_HAS(s.message(), "cannot rename '" + (dir / "f.tmp."));
  EXPECT_HAS(s.message(), "' to '" + (dir / "f") + "': ");
  size_t files = 0;
  for (auto &e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u) << "temp file left behind";
}

TEST(ErrorPaths, AtomicWriteCannotWrite) {
  // A full disk, simulated with RLIMIT_FSIZE in a child process (write()
  // then fails with EFBIG): the error names the temp file and the cause, and
  // the temp file is removed.
  TempDir dir;
  std::string path = dir / "f";
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = {4096, 4096};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0)
      _exit(2);
    std::string big(100000, 'x');
    Status s = writeFileAtomic(path, big.data(), big.size());
    bool ok = s.code() == GEMMRT_ERROR_CACHE &&
              s.message().find("cannot write '" + path + ".tmp.") == 0 &&
              s.message().find("File too large") != std::string::npos;
    _exit(ok ? 0 : 3);
  }
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "2: setrlimit failed, 3: wrong status or message";
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "temp file left";
}
