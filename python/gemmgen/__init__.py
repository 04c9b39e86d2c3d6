"""gemmgen: Hopper GEMM kernels generated per shape, from Python.

Binds libgemmrt, the gemmgen runtime, which computes
out[M, N] (fp32) = x[M, K] (bf16) @ y[N, K]^T (bf16) with a kernel from a
gemm-compile bundle, cuBLASLt or a reference kernel, chosen per shape.

    import torch, gemmgen
    out = gemmgen.linear_bf16_fp32(x, y)     # torch CUDA tensors; bundles from $GEMMGEN_BUNDLES

    rt = gemmgen.Runtime(["out/bundles/dsv4"], policy="auto")   # no torch needed
    print(rt.describe(16, 384, 7168))

`import gemmgen` needs neither torch nor a GPU; linear_bf16_fp32 imports
torch on first access. See python/README.md.
"""

import importlib as _importlib
import sys as _sys

from ._capi import (POLICIES, BundleError, GemmrtError, GemmrtLibraryNotFound,
                    InvalidArgumentError, MisalignedError, NoDeviceError, Runtime,
                    UnsupportedDeviceError, UnsupportedShapeError, device_count,
                    library_path, load_library, policy_string, status_string, version)
from ._default import describe, get_runtime, set_runtime

__version__ = "0.1.0"

__all__ = [
    "Runtime", "GemmrtError", "GemmrtLibraryNotFound", "InvalidArgumentError",
    "MisalignedError", "UnsupportedShapeError", "NoDeviceError", "UnsupportedDeviceError",
    "BundleError", "POLICIES", "version", "device_count", "library_path", "load_library",
    "status_string", "policy_string", "get_runtime", "set_runtime", "describe",
    "linear_bf16_fp32",
]

_LAZY = {"linear_bf16_fp32", "ops"}


def _load_ops():
    # import_module, not "from . import ops": the latter first asks this
    # module for the attribute "ops", which would re-enter __getattr__.
    ops = _importlib.import_module(__name__ + ".ops")
    globals()["linear_bf16_fp32"] = ops.linear_bf16_fp32
    return ops


def __getattr__(name):
    # The torch part loads on first use, so the ctypes layer works without torch.
    if name in _LAZY:
        _load_ops()
        return globals()[name]
    raise AttributeError(f"module 'gemmgen' has no attribute {name!r}")


# With torch already loaded, registering the op now costs little and keeps
# the first call inside torch.compile or a graph capture free of imports.
# A failure here is not fatal: the same import runs again, and raises, on
# first access of linear_bf16_fp32.
if "torch" in _sys.modules:
    try:
        _load_ops()
    except Exception:
        pass
