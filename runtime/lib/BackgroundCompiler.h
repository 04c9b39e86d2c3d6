//===- BackgroundCompiler.h - Compile uncovered shapes off the call path -*- C++ -*-===//
//
// Under policy auto a shape that no bundle covers runs on cuBLASLt at once;
// it is also queued here, and one background thread compiles it with the
// optional compiler library (libgemmgen_compiler.so, include/gemmgen-c/
// Compiler.h, loaded with dlopen so that libgemmrt needs neither it nor
// MLIR) into a bundle under <cache dir>/compiled/<chip>/<variant>. The next
// runtime created with that cache directory loads those bundles. A call
// never waits for a compilation: request() only takes a mutex and pushes.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_BACKGROUNDCOMPILER_H
#define GEMMRT_LIB_BACKGROUNDCOMPILER_H

#include "Log.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace gemmrt::impl {

/// The M buckets of background compilations (gemm-compile's default).
void defaultMBucket(int64_t m, int64_t &lo, int64_t &hi);

/// "n384_k7168_m1_64" (gemm-compile's variant names; "max" for kMaxDim).
std::string jitVariantName(int64_t n, int64_t k, int64_t mLo, int64_t mHi);

/// The bundles under `root` (<cache dir>/compiled): every <chip>/<name>
/// directory that holds a manifest.json, sorted.
std::vector<std::string> listJitBundles(const std::string &root);

class BackgroundCompiler {
public:
  /// `library`: a path to the compiler library, or "" to look for
  /// libgemmgen_compiler.so beside libgemmrt, then on the loader's path.
  BackgroundCompiler(std::string root, std::string library, Logger &log);
  ~BackgroundCompiler();
  BackgroundCompiler(const BackgroundCompiler &) = delete;
  BackgroundCompiler &operator=(const BackgroundCompiler &) = delete;

  /// Queues a compilation unless this (chip, n, k, bucket) was requested
  /// before in this process or its bundle is already on disk.
  void request(const std::string &chip, int64_t n, int64_t k, int64_t mLo,
               int64_t mHi);

  /// Waits until nothing is queued or compiling, at most `timeoutMs`
  /// (negative: no limit); returns how many are still pending.
  int wait(int timeoutMs);

  struct Counts {
    int requested = 0, compiled = 0, failed = 0;
  };
  Counts counts();

private:
  struct Request {
    std::string chip;
    int64_t n, k, mLo, mHi;
  };
  void run();
  bool loadLibrary(std::string &why);
  std::string compile(const Request &r, const std::string &dir);

  std::string root_, library_;
  Logger &log_;

  // On the heap so that a forked child can leave them alone: destroying a
  // condition variable the parent's worker waits on would block forever.
  struct Sync {
    std::mutex mutex;
    std::condition_variable wake, idle;
  };
  std::unique_ptr<Sync> sync_ = std::make_unique<Sync>();
  std::deque<Request> queue_;
  std::set<std::tuple<std::string, int64_t, int64_t, int64_t, int64_t>> seen_;
  int busy_ = 0;
  bool stop_ = false;
  Counts counts_;
  // The worker and the process that started it: a child of fork() has the
  // object but not the thread (nor usable locks), so there every method
  // returns at once and the destructor leaves the thread object alone.
  std::unique_ptr<std::thread> worker_;
  int workerPid_ = 0;

  // Only the worker thread touches these.
  bool libraryTried_ = false;
  std::string libraryError_;
  void *handle_ = nullptr;
  int (*compileFn_)(const char *, const char *, int64_t, int64_t, int64_t,
                    int64_t, const char *, char *, size_t) = nullptr;
};

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_BACKGROUNDCOMPILER_H
