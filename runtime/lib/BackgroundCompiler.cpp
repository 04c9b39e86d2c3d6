//===- BackgroundCompiler.cpp - Compile uncovered shapes off the call path ===//

#include "BackgroundCompiler.h"

#include "Manifest.h"
#include "Status.h"

#include <algorithm>
#include <chrono>
#include <dlfcn.h>
#include <unistd.h>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace gemmrt::impl {

// The ABI of include/gemmgen-c/Compiler.h that this runtime speaks.
static constexpr int kCompilerAbiVersion = 1;
static constexpr const char *kCompilerLibrary = "libgemmgen_compiler.so";

void defaultMBucket(int64_t m, int64_t &lo, int64_t &hi) {
  // Wider than gemm-compile's buckets, so that a new shape costs few
  // compiles; one token gets the model's simt kernel, decode batches up to
  // 16 their own (swap_ab) tile.
  static constexpr int64_t kBounds[][2] = {
      {1, 1},       {2, 16},      {17, 64},      {65, 256},
      {257, 1024},  {1025, 4096}, {4097, kMaxDim}};
  for (const auto &b : kBounds)
    if (m >= b[0] && m <= b[1]) {
      lo = b[0];
      hi = b[1];
      return;
    }
  lo = hi = m;
}

std::string jitVariantName(int64_t n, int64_t k, int64_t mLo, int64_t mHi) {
  return formatString("n%lld_k%lld_m%lld_", (long long)n, (long long)k,
                      (long long)mLo) +
         (mHi == kMaxDim ? std::string("max") : std::to_string(mHi));
}

std::vector<std::string> listJitBundles(const std::string &root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto &chip : fs::directory_iterator(root, ec)) {
    if (!chip.is_directory(ec))
      continue;
    std::error_code ec2;
    for (const auto &b : fs::directory_iterator(chip.path(), ec2)) {
      std::string name = b.path().filename().string();
      // Skip the compiler's temporary and set-aside directories.
      if (name.find(".tmp-") != std::string::npos ||
          name.find(".old-") != std::string::npos)
        continue;
      if (fs::is_regular_file(b.path() / "manifest.json", ec2))
        out.push_back(b.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

BackgroundCompiler::BackgroundCompiler(std::string root, std::string library,
                                       Logger &log)
    : root_(std::move(root)), library_(std::move(library)), log_(log) {}

/// True in a child of fork() after the worker started: the worker does not
/// exist there, and the mutex and condition variables may be in any state.
static bool inForkedChild(int workerPid) {
  return workerPid != 0 && workerPid != int(getpid());
}

BackgroundCompiler::~BackgroundCompiler() {
  if (inForkedChild(workerPid_)) {
    (void)worker_.release(); // the thread is the parent's
    (void)sync_.release();   // and so are the waiters on these
    return;
  }
  {
    std::lock_guard<std::mutex> lock(sync_->mutex);
    stop_ = true;
    queue_.clear();
  }
  sync_->wake.notify_all();
  if (worker_)
    worker_->join(); // at most the one compilation in progress

  // The library stays loaded: unloading LLVM at run time is not safe.
}

void BackgroundCompiler::request(const std::string &chip, int64_t n, int64_t k,
                                 int64_t mLo, int64_t mHi) {
  // A forked child compiles nothing (CUDA does not work there either).
  if (inForkedChild(workerPid_))
    return;
  std::lock_guard<std::mutex> lock(sync_->mutex);
  if (stop_ || !seen_.insert({chip, n, k, mLo, mHi}).second)
    return;
  ++counts_.requested;
  queue_.push_back({chip, n, k, mLo, mHi});
  if (!worker_) {
    workerPid_ = int(getpid());
    worker_ = std::make_unique<std::thread>([this] { run(); });
  }
  sync_->wake.notify_one();
}

int BackgroundCompiler::wait(int timeoutMs) {
  if (inForkedChild(workerPid_))
    return 0;
  std::unique_lock<std::mutex> lock(sync_->mutex);
  auto drained = [this] { return queue_.empty() && busy_ == 0; };
  if (timeoutMs < 0)
    sync_->idle.wait(lock, drained);
  else
    sync_->idle.wait_for(lock, std::chrono::milliseconds(timeoutMs), drained);
  return int(queue_.size()) + busy_;
}

BackgroundCompiler::Counts BackgroundCompiler::counts() {
  if (inForkedChild(workerPid_))
    return Counts();
  std::lock_guard<std::mutex> lock(sync_->mutex);
  return counts_;
}

bool BackgroundCompiler::loadLibrary(std::string &why) {
  if (libraryTried_) {
    why = libraryError_;
    return handle_ != nullptr;
  }
  libraryTried_ = true;
  std::vector<std::string> candidates;
  if (!library_.empty()) {
    candidates.push_back(library_);
  } else {
    // Beside libgemmrt first (an install puts both in lib/), then the
    // loader's search path.
    Dl_info info;
    if (dladdr(reinterpret_cast<void *>(&defaultMBucket), &info) &&
        info.dli_fname)
      candidates.push_back(
          (fs::path(info.dli_fname).parent_path() / kCompilerLibrary)
              .string());
    candidates.push_back(kCompilerLibrary);
  }
  std::string errors;
  for (const std::string &c : candidates) {
    // RTLD_LOCAL: the compiler's LLVM stays out of the global namespace.
    void *h = dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char *e = dlerror();
      errors += (errors.empty() ? "" : "; ") + std::string(e ? e : c);
      continue;
    }
    auto abi = reinterpret_cast<int (*)()>(
        dlsym(h, "gemmgen_compiler_abi_version"));
    auto fn = reinterpret_cast<decltype(compileFn_)>(
        dlsym(h, "gemmgen_compile_bundle"));
    if (!abi || !fn) {
      errors += (errors.empty() ? "" : "; ") + c +
                ": not a gemmgen compiler library (missing symbols)";
      dlclose(h);
      continue;
    }
    if (abi() != kCompilerAbiVersion) {
      errors += (errors.empty() ? "" : "; ") +
                formatString("%s: compiler ABI %d, this runtime speaks %d",
                             c.c_str(), abi(), kCompilerAbiVersion);
      dlclose(h);
      continue;
    }
    handle_ = h;
    compileFn_ = fn;
    log_.line("background compiler: " + c);
    return true;
  }
  libraryError_ = errors;
  why = errors;
  return false;
}

std::string BackgroundCompiler::compile(const Request &r,
                                        const std::string &dir) {
  std::error_code ec;
  fs::create_directories(fs::path(dir).parent_path(), ec);
  if (ec)
    return "cannot create '" + fs::path(dir).parent_path().string() +
           "': " + ec.message();
  char error[2048] = {0};
  int rc = compileFn_(dir.c_str(), r.chip.c_str(), r.n, r.k, r.mLo, r.mHi,
                      nullptr, error, sizeof(error));
  if (rc == 0)
    return std::string();
  // Another process may have written the same bundle first.
  if (fs::is_regular_file(fs::path(dir) / "manifest.json", ec))
    return std::string();
  return error[0] ? error : "the compiler library failed without a message";
}

void BackgroundCompiler::run() {
  std::unique_lock<std::mutex> lock(sync_->mutex);
  for (;;) {
    sync_->wake.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_)
      return;
    Request r = queue_.front();
    queue_.pop_front();
    ++busy_;
    lock.unlock();

    std::string name = jitVariantName(r.n, r.k, r.mLo, r.mHi);
    std::string dir = (fs::path(root_) / r.chip / name).string();
    std::error_code ec;
    std::string why;
    bool compiled = false;
    auto start = std::chrono::steady_clock::now();
    if (fs::is_regular_file(fs::path(dir) / "manifest.json", ec)) {
      compiled = true; // written by an earlier process: nothing to do
      why = "already on disk";
    } else if (!loadLibrary(why)) {
      why = "no compiler library (" + why + ")";
    } else {
      why = compile(r, dir);
      compiled = why.empty();
    }
    double secs = std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - start)
                      .count();
    if (compiled)
      log_.line(formatString("background compile of %s for %s: %s in %.2f s "
                             "('%s', used by runtimes created from now on)",
                             name.c_str(), r.chip.c_str(),
                             why.empty() ? "done" : why.c_str(), secs,
                             dir.c_str()));
    else
      log_.line(formatString("background compile of %s for %s failed: %s",
                             name.c_str(), r.chip.c_str(), why.c_str()));

    lock.lock();
    --busy_;
    ++(compiled ? counts_.compiled : counts_.failed);
    if (queue_.empty() && busy_ == 0)
      sync_->idle.notify_all();
  }
}

} // namespace gemmrt::impl
