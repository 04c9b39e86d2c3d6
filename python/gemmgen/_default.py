"""The process-wide runtime used by gemmgen.linear_bf16_fp32.

Created on first use from the environment:
  GEMMGEN_BUNDLES  bundle directories separated by os.pathsep (":" on Linux);
                   unset or empty: no bundles (cuBLASLt/reference only).
  GEMMGEN_POLICY   optional: auto, generated, cublaslt or reference.
An engine that manages its own Runtime installs it with set_runtime().
"""

import os
import threading

from ._capi import Runtime

_lock = threading.Lock()
_runtime = None


def bundles_from_env():
    value = os.environ.get("GEMMGEN_BUNDLES", "")
    return [p for p in value.split(os.pathsep) if p]


def get_runtime():
    """The default Runtime, created once per process (thread-safe)."""
    rt = _runtime
    if rt is not None:
        return rt
    return _create_default()


def _create_default():
    global _runtime
    with _lock:
        if _runtime is None:
            # A failure raises here and is retried on the next call.
            _runtime = Runtime(bundles_from_env(), policy=os.environ.get("GEMMGEN_POLICY") or None)
        return _runtime


def set_runtime(rt):
    """Installs rt as the default runtime; None drops it (recreated from the env).

    Returns the previous one. The previous runtime is not closed: calls
    already in flight on other threads may still use it.
    """
    global _runtime
    if rt is not None and not isinstance(rt, Runtime):
        raise TypeError(f"set_runtime expects a gemmgen.Runtime or None, not {type(rt).__name__}")
    with _lock:
        old, _runtime = _runtime, rt
    return old


def describe(M, N, K):
    """What the default runtime would use for a packed (M, N, K) call."""
    return get_runtime().describe(M, N, K)
