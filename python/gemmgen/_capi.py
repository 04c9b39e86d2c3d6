"""ctypes binding of libgemmrt's C API (runtime/include/gemmrt/gemmrt.h).

This layer needs neither torch nor a GPU: pointers, leading dimensions and
streams are plain integers. The library is loaded on first use, so importing
the package never fails because of it.

Library lookup (first that loads wins):
  1. $GEMMRT_LIBRARY, a path. When set, it is the only candidate: an explicit
     choice that fails to load is an error, not a reason to pick another copy.
  2. libgemmrt.so / libgemmrt.so.* inside the package (gemmgen/lib/), for
     wheels that ship the library.
  3. build-rt/libgemmrt.so of the source tree the package sits in
     (python/gemmgen/../../build-rt/).
  4. ctypes.util.find_library("gemmrt") (an installed libgemmrt).
"""

import ctypes
import ctypes.util
import glob
import os
import sys
import threading
import time

__all__ = [
    "GemmrtLibraryNotFound", "GemmrtError", "InvalidArgumentError",
    "MisalignedError", "UnsupportedShapeError", "NoDeviceError",
    "UnsupportedDeviceError", "BundleError", "Runtime", "load_library",
    "library_path", "version", "device_count", "status_string",
    "policy_string", "STATUS_NAMES", "POLICIES",
]

# Stable ABI values of gemmrt_status and gemmrt_policy. Kept here so that
# errors can be named without the library (e.g. when unpickled elsewhere).
STATUS_NAMES = {
    0: "GEMMRT_OK",
    1: "GEMMRT_ERROR_INVALID_ARGUMENT",
    2: "GEMMRT_ERROR_MISALIGNED",
    3: "GEMMRT_ERROR_UNSUPPORTED_SHAPE",
    4: "GEMMRT_ERROR_NO_DEVICE",
    5: "GEMMRT_ERROR_UNSUPPORTED_DEVICE",
    6: "GEMMRT_ERROR_BUNDLE",
    7: "GEMMRT_ERROR_CUDA",
    8: "GEMMRT_ERROR_CUBLAS",
    9: "GEMMRT_ERROR_CACHE",
    10: "GEMMRT_ERROR_INTERNAL",
}
OK = 0
POLICIES = {"auto": 0, "generated": 1, "cublaslt": 2, "reference": 3, "batch_invariant": 4}
_POLICY_NAMES = {v: k for k, v in POLICIES.items()}


class GemmrtLibraryNotFound(OSError):
    """No libgemmrt could be loaded; the message lists every place tried."""

    def __init__(self, tried):
        self.tried = list(tried)
        lines = "\n".join(f"  {where}: {why}" for where, why in self.tried)
        super().__init__(
            "libgemmrt could not be loaded. Tried:\n" + lines +
            "\nSet GEMMRT_LIBRARY to the path of libgemmrt.so, or build it "
            "(cmake -S runtime -B build-rt && cmake --build build-rt).")

    def __reduce__(self):
        return (type(self), (self.tried,))


class GemmrtError(RuntimeError):
    """A gemmrt call returned an error status.

    status: the gemmrt_status code (int); status_name: e.g.
    "GEMMRT_ERROR_MISALIGNED"; message: gemmrt_last_error() of the failing call.
    """

    def __init__(self, status, message=""):
        self.status = int(status)
        self.status_name = STATUS_NAMES.get(self.status, f"gemmrt_status {self.status}")
        self.message = message
        super().__init__(f"{self.status_name}: {message}" if message else self.status_name)

    def __reduce__(self):
        # Rebuilds the subclass from (status, message), e.g. across processes.
        return (_error_from_status, (self.status, self.message))


# Subclasses for the codes a caller is likely to branch on; the rest raise
# GemmrtError itself (check .status).
class InvalidArgumentError(GemmrtError):
    """GEMMRT_ERROR_INVALID_ARGUMENT (1)."""


class MisalignedError(GemmrtError):
    """GEMMRT_ERROR_MISALIGNED (2)."""


class UnsupportedShapeError(GemmrtError):
    """GEMMRT_ERROR_UNSUPPORTED_SHAPE (3): e.g. policy generated and no variant covers the shape."""


class NoDeviceError(GemmrtError):
    """GEMMRT_ERROR_NO_DEVICE (4): no driver, cuInit failed, or no GPU."""


class UnsupportedDeviceError(GemmrtError):
    """GEMMRT_ERROR_UNSUPPORTED_DEVICE (5)."""


class BundleError(GemmrtError):
    """GEMMRT_ERROR_BUNDLE (6): missing or malformed bundle."""


_ERROR_CLASSES = {1: InvalidArgumentError, 2: MisalignedError, 3: UnsupportedShapeError,
                  4: NoDeviceError, 5: UnsupportedDeviceError, 6: BundleError}


# Public names live in the gemmgen namespace; say so in tracebacks and reprs.
for _cls in (GemmrtLibraryNotFound, GemmrtError, InvalidArgumentError, MisalignedError,
             UnsupportedShapeError, NoDeviceError, UnsupportedDeviceError, BundleError):
    _cls.__module__ = "gemmgen"


def _error_from_status(status, message=""):
    return _ERROR_CLASSES.get(int(status), GemmrtError)(status, message)


# --- loading ---------------------------------------------------------------

_c_void_pp = ctypes.POINTER(ctypes.c_void_p)
_i64 = ctypes.c_int64
_status = ctypes.c_int

# name -> (restype, argtypes). Every required entry point of gemmrt.h.
_SIGNATURES = {
    "gemmrt_create": (_status, [_c_void_pp, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int]),
    "gemmrt_destroy": (None, [ctypes.c_void_p]),
    "gemmrt_linear_bf16_fp32": (_status, [ctypes.c_void_p, ctypes.c_void_p, _i64, ctypes.c_void_p,
                                          _i64, ctypes.c_void_p, _i64, _i64, _i64, _i64,
                                          ctypes.c_void_p]),
    "gemmrt_set_backend_policy": (_status, [ctypes.c_void_p, ctypes.c_int]),
    "gemmrt_get_backend_policy": (_status, [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]),
    "gemmrt_describe_choice": (_status, [ctypes.c_void_p, _i64, _i64, _i64,
                                         ctypes.POINTER(ctypes.c_char), ctypes.c_size_t]),
    "gemmrt_preload": (_status, [ctypes.c_void_p]),
    "gemmrt_device_count": (_status, [ctypes.POINTER(ctypes.c_int)]),
    "gemmrt_last_error": (ctypes.c_char_p, []),
    "gemmrt_status_string": (ctypes.c_char_p, [ctypes.c_int]),
    "gemmrt_policy_string": (ctypes.c_char_p, [ctypes.c_int]),
    "gemmrt_version": (ctypes.c_char_p, []),
}
# Newer entry points, bound only when the loaded library has them.
_OPTIONAL_SIGNATURES = {
    "gemmrt_wait_background": (_status, [ctypes.c_void_p, ctypes.c_int,
                                         ctypes.POINTER(ctypes.c_int)]),
}

_lock = threading.Lock()
_lib = None
_lib_path = None


def _package_dir():
    return os.path.dirname(os.path.abspath(__file__))


def _candidates():
    """(label, path-or-name) pairs in lookup order; None path = nothing to try."""
    env = os.environ.get("GEMMRT_LIBRARY")
    if env:
        return [("GEMMRT_LIBRARY", env)]
    out = []
    libdir = os.path.join(_package_dir(), "lib")
    shipped = glob.glob(os.path.join(libdir, "libgemmrt.so")) + \
        sorted(glob.glob(os.path.join(libdir, "libgemmrt.so.*")), key=lambda p: (len(p), p))
    if shipped:
        out += [("package", p) for p in shipped]
    else:
        out.append(("package", os.path.join(libdir, "libgemmrt.so[.*]")))
    out.append(("source tree", os.path.normpath(
        os.path.join(_package_dir(), os.pardir, os.pardir, "build-rt", "libgemmrt.so"))))
    out.append(("find_library", ctypes.util.find_library("gemmrt")))
    return out


def _bind(lib):
    for name, (restype, argtypes) in _SIGNATURES.items():
        fn = getattr(lib, name)  # AttributeError: not a usable libgemmrt
        fn.restype, fn.argtypes = restype, argtypes
    for name, (restype, argtypes) in _OPTIONAL_SIGNATURES.items():
        if hasattr(lib, name):
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes


def _load_first(candidates):
    """Loads the first candidate that opens and has every entry point."""
    tried = []
    for label, path in candidates:
        if path is None:
            tried.append((f"ctypes.util.find_library('gemmrt')", "not found"))
            continue
        where = f"{path} ({label})"
        # A name from find_library has no directory; anything else must exist.
        if os.sep in path and not os.path.exists(path):
            tried.append((where, "no such file"))
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append((where, str(e)))
            continue
        try:
            _bind(lib)
        except AttributeError as e:
            tried.append((where, f"not a usable libgemmrt: {e}"))
            continue
        return lib, path
    raise GemmrtLibraryNotFound(tried)


def load_library():
    """Returns the loaded ctypes.CDLL, loading it on first use (thread-safe)."""
    global _lib, _lib_path
    lib = _lib
    if lib is not None:
        return lib
    with _lock:
        if _lib is None:
            _lib, _lib_path = _load_first(_candidates())
        return _lib


def library_path():
    """The path (or find_library name) of the loaded libgemmrt."""
    load_library()
    return _lib_path


def _s(b):
    return b.decode("utf-8", "replace") if b is not None else None


def _raise(lib, status):
    # gemmrt_last_error is thread-local and valid until the next gemmrt call on
    # this thread, so it is read here, right after the failing call.
    raise _error_from_status(status, _s(lib.gemmrt_last_error()) or "")


def _check(lib, status):
    if status != OK:
        _raise(lib, status)


# --- module functions ------------------------------------------------------

def version():
    """libgemmrt's version string, e.g. "0.1.0"."""
    return _s(load_library().gemmrt_version())


def status_string(status):
    return _s(load_library().gemmrt_status_string(int(status)))


def policy_string(policy):
    """"auto", "generated", ... or None for a value outside the enum."""
    return _s(load_library().gemmrt_policy_string(int(policy)))


def device_count():
    """Number of CUDA devices; NoDeviceError (with the reason) when there is none."""
    lib = load_library()
    n = ctypes.c_int(0)
    _check(lib, lib.gemmrt_device_count(ctypes.byref(n)))
    return n.value


def _policy_value(policy):
    if isinstance(policy, str):
        try:
            return POLICIES[policy.strip().lower()]
        except KeyError:
            raise ValueError(f"policy {policy!r} is not one of "
                             f"{', '.join(POLICIES)}") from None
    if isinstance(policy, bool) or not isinstance(policy, int):
        raise TypeError(f"policy must be a str ({', '.join(POLICIES)}) or an int, "
                        f"not {type(policy).__name__}")
    if not -2**31 <= policy < 2**31:
        raise ValueError(f"policy {policy} does not fit a C int")
    return policy  # the library rejects ints outside the enum with its message


class Runtime:
    """Owns one gemmrt_runtime: bundles loaded once, modules cached per device.

    Runtime(bundles=(), policy=None): bundles is a path or a sequence of bundle
    directories (may be empty: cuBLASLt/reference only). Creation makes no
    CUDA call, so it works without a GPU. The object is thread-safe, except
    that close() must not race other calls on it.
    """

    def __init__(self, bundles=(), policy=None):
        lib = load_library()
        if isinstance(bundles, (str, bytes, os.PathLike)):
            bundles = [bundles]
        self._paths = [os.fsdecode(b) for b in bundles]
        encoded = [os.fsencode(p) for p in self._paths]
        arr = (ctypes.c_char_p * len(encoded))(*encoded) if encoded else None
        handle = ctypes.c_void_p()
        self._lib = lib
        self._h = None
        _check(lib, lib.gemmrt_create(ctypes.byref(handle), arr, len(encoded)))
        self._h = handle.value
        if policy is not None:
            try:
                self.policy = policy
            except BaseException:
                self.close()
                raise

    @property
    def bundles(self):
        return list(self._paths)

    @property
    def handle(self):
        """The gemmrt_runtime* as an int (for passing to C code)."""
        if self._h is None:
            raise ValueError("Runtime is closed")
        return self._h

    def close(self):
        """Releases modules, cuBLASLt state and workspaces. Idempotent."""
        h, self._h = self._h, None
        if h is not None:
            self._lib.gemmrt_destroy(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        # At interpreter exit the CUDA contexts may already be going away, and
        # the process frees everything anyway: only destroy while running.
        if getattr(self, "_h", None) is not None and not sys.is_finalizing():
            self.close()

    def __repr__(self):
        state = "closed" if self._h is None else f"policy={self.policy!r}"
        return f"gemmgen.Runtime(bundles={self._paths!r}, {state})"

    @property
    def policy(self):
        p = ctypes.c_int(0)
        _check(self._lib, self._lib.gemmrt_get_backend_policy(self.handle, ctypes.byref(p)))
        return _POLICY_NAMES.get(p.value, p.value)

    @policy.setter
    def policy(self, value):
        _check(self._lib, self._lib.gemmrt_set_backend_policy(self.handle, _policy_value(value)))

    def linear(self, x_ptr, lda, y_ptr, ldb, out_ptr, ldc, M, N, K, stream_ptr=0):
        """Enqueues out[M,N] (fp32) = x[M,K] (bf16) @ y[N,K]^T on the stream.

        Raw device addresses and leading dimensions in elements; stream_ptr is
        a CUstream/cudaStream_t as an int (0 = legacy default stream). Runs on
        the calling thread's current CUDA device.
        """
        lib = self._lib
        st = lib.gemmrt_linear_bf16_fp32(self.handle, x_ptr, lda, y_ptr, ldb, out_ptr, ldc,
                                         M, N, K, stream_ptr or None)
        if st != OK:
            _raise(lib, st)

    def describe(self, M, N, K):
        """Which backend/variant a packed, aligned call of (M, N, K) would use now."""
        size = 4096
        while True:
            buf = ctypes.create_string_buffer(size)
            st = self._lib.gemmrt_describe_choice(self.handle, M, N, K, buf, size)
            if st != OK:
                _raise(self._lib, st)
            # A full buffer may mean truncation: ask again with more room.
            if len(buf.value) < size - 1 or size >= 1 << 20:
                return _s(buf.value)
            size *= 4

    def preload(self):
        """Loads every variant the current device can run (pays cold start now)."""
        _check(self._lib, self._lib.gemmrt_preload(self.handle))

    @property
    def has_background(self):
        """Whether the library has gemmrt_wait_background (background compilation)."""
        return hasattr(self._lib, "gemmrt_wait_background")

    def wait_background(self, timeout_s=None):
        """Waits for background compilations; returns how many are still pending.

        Under policy auto, shapes no bundle covers may be compiled in the
        background for runtimes created later (docs/runtime.md). timeout_s=None
        waits until none is pending. A library without background compilation
        (no gemmrt_wait_background) has none: 0.
        """
        if not self.has_background:
            return 0
        fn = self._lib.gemmrt_wait_background
        pending = ctypes.c_int(0)
        if timeout_s is None:
            # Bounded waits rather than one unlimited C call, which would hold
            # off Ctrl-C (the signal is only handled between calls).
            while True:
                _check(self._lib, fn(self.handle, 1000, ctypes.byref(pending)))
                if pending.value == 0:
                    return 0
        if timeout_s < 0:
            raise ValueError(f"timeout_s={timeout_s} must be >= 0 (or None to wait for all)")
        deadline = time.monotonic() + timeout_s
        while True:
            # Chunks keep each C call within an int of milliseconds.
            ms = int(min(max(deadline - time.monotonic(), 0.0), 3600.0) * 1000)
            _check(self._lib, fn(self.handle, ms, ctypes.byref(pending)))
            if pending.value == 0 or time.monotonic() >= deadline:
                return pending.value


Runtime.__module__ = "gemmgen"
