//===- gemmrt.hpp - Header-only C++ wrapper of the gemmrt C API -*- C++ -*-===//
//
// RAII ownership of a gemmrt_runtime and status objects that carry the
// message. Nothing here throws: engines are often built with -fno-exceptions,
// so every fallible method returns a Status that the caller checks.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_GEMMRT_HPP
#define GEMMRT_GEMMRT_HPP

#include "gemmrt/gemmrt.h"

#include <string>
#include <utility>
#include <vector>

namespace gemmrt {

/// A status code with the message gemmrt_last_error() had when it was made
/// (copied, so it survives later calls).
class Status {
public:
  Status() = default;
  static Status fromCode(gemmrt_status code) {
    Status s;
    s.code_ = code;
    if (code != GEMMRT_OK)
      s.message_ = gemmrt_last_error();
    return s;
  }

  bool ok() const { return code_ == GEMMRT_OK; }
  explicit operator bool() const { return ok(); }
  gemmrt_status code() const { return code_; }
  const std::string &message() const { return message_; }
  const char *codeName() const { return gemmrt_status_string(code_); }
  /// "GEMMRT_ERROR_MISALIGNED: x = 0x...: not 16-byte aligned ..." or
  /// "GEMMRT_OK".
  std::string toString() const {
    std::string s = codeName();
    if (!message_.empty())
      s += ": " + message_;
    return s;
  }

private:
  gemmrt_status code_ = GEMMRT_OK;
  std::string message_;
};

/// Owns one gemmrt_runtime. Move-only.
class Runtime {
public:
  Runtime() = default;
  ~Runtime() { reset(); }
  Runtime(const Runtime &) = delete;
  Runtime &operator=(const Runtime &) = delete;
  Runtime(Runtime &&other) noexcept : rt_(std::exchange(other.rt_, nullptr)) {}
  Runtime &operator=(Runtime &&other) noexcept {
    if (this != &other) {
      reset();
      rt_ = std::exchange(other.rt_, nullptr);
    }
    return *this;
  }

  /// Creates a runtime over `bundles` into `*out`; on failure *out is empty.
  static Status create(const std::vector<std::string> &bundles, Runtime *out) {
    std::vector<const char *> paths;
    paths.reserve(bundles.size());
    for (const std::string &b : bundles)
      paths.push_back(b.c_str());
    gemmrt_runtime *rt = nullptr;
    Status s = Status::fromCode(gemmrt_create(
        &rt, paths.empty() ? nullptr : paths.data(), (int)paths.size()));
    if (out) {
      out->reset();
      out->rt_ = rt;
    } else if (rt) {
      gemmrt_destroy(rt);
    }
    return s;
  }

  bool valid() const { return rt_ != nullptr; }
  gemmrt_runtime *get() const { return rt_; }
  void reset() {
    if (rt_)
      gemmrt_destroy(rt_);
    rt_ = nullptr;
  }

  /// out = x * y^T; see gemmrt_linear_bf16_fp32.
  Status linear(const void *x, int64_t lda, const void *y, int64_t ldb,
                float *out, int64_t ldc, int64_t m, int64_t n, int64_t k,
                gemmrt_stream stream) const {
    return Status::fromCode(gemmrt_linear_bf16_fp32(rt_, x, lda, y, ldb, out,
                                                    ldc, m, n, k, stream));
  }

  Status setPolicy(gemmrt_policy policy) const {
    return Status::fromCode(gemmrt_set_backend_policy(rt_, policy));
  }
  Status getPolicy(gemmrt_policy *policy) const {
    return Status::fromCode(gemmrt_get_backend_policy(rt_, policy));
  }

  /// Which backend a shape would use; the text goes to *what.
  Status describe(int64_t m, int64_t n, int64_t k, std::string *what) const {
    char buf[1024];
    buf[0] = '\0';
    Status s = Status::fromCode(
        gemmrt_describe_choice(rt_, m, n, k, buf, sizeof(buf)));
    if (what)
      *what = buf;
    return s;
  }

  Status preload() const { return Status::fromCode(gemmrt_preload(rt_)); }

  /// Waits up to `timeoutMs` (negative: no limit) for background
  /// compilations; *pending gets how many are left.
  Status waitBackground(int timeoutMs, int *pending) const {
    return Status::fromCode(gemmrt_wait_background(rt_, timeoutMs, pending));
  }

  /// Number of CUDA devices; an error status says why there are none.
  static Status deviceCount(int *count) {
    return Status::fromCode(gemmrt_device_count(count));
  }

private:
  gemmrt_runtime *rt_ = nullptr;
};

} // namespace gemmrt

#endif // GEMMRT_GEMMRT_HPP
