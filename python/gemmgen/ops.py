"""gemmgen.linear_bf16_fp32 for torch tensors, as the custom op gemmgen::linear_bf16_fp32.

out[M, N] (fp32) = x[M, K] (bf16) @ y[N, K]^T (bf16), fp32 accumulation, on
x's device and torch's current stream there. Registered with torch.library
(a fake implementation gives the output's shape, dtype and device), so it is
one opaque node under torch.compile and can be captured in CUDA graphs.

Importing this module imports torch; `import gemmgen` alone does not.
"""

import torch

from ._default import get_runtime

__all__ = ["linear_bf16_fp32"]

_NAME = "gemmgen.linear_bf16_fp32"


def _check_args(x, y, fake=False):
    """Type, dtype, rank, device and K checks shared by the real and fake kernels."""
    for name, t, dims in (("x", x, "[M, K]"), ("y", y, "[N, K]")):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{_NAME}: {name} must be a torch.Tensor, not {type(t).__name__}")
        if t.dtype != torch.bfloat16:
            raise TypeError(f"{_NAME}: {name} must have dtype torch.bfloat16, got {t.dtype}"
                            f" (convert with {name}.to(torch.bfloat16))")
        if t.dim() != 2:
            raise ValueError(f"{_NAME}: {name} must be 2-D {dims}, got shape {tuple(t.shape)}")
        # Meta tensors only reach the fake kernel (shape propagation).
        if t.device.type != "cuda" and not (fake and t.device.type == "meta"):
            raise ValueError(f"{_NAME}: {name} must be a CUDA tensor, got device {t.device}")
    if x.device != y.device:
        raise ValueError(f"{_NAME}: x and y must be on the same device, got x on {x.device}"
                         f" and y on {y.device}")
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"{_NAME}: K mismatch: x is [M, K] = {tuple(x.shape)} but y is"
                         f" [N, K] = {tuple(y.shape)}")


def _row_stride(t, name):
    """The leading dimension to pass for a row-major view, without copying.

    Rows must be contiguous (last-dim stride 1) and must not overlap (row
    stride >= K), e.g. x = big[:, :K] of a wider tensor. Strides of size-1
    dimensions do not matter. Anything else is refused rather than copied
    silently, so that a hidden copy never lands on an engine's hot path.
    """
    rows, cols = t.shape
    s0, s1 = t.stride()
    if (cols > 1 and s1 != 1) or (rows > 1 and s0 < cols):
        raise ValueError(
            f"{_NAME}: {name} with shape {tuple(t.shape)} and strides {tuple(t.stride())} is not"
            f" a row-major layout (needs last-dim stride 1 and row stride >= {cols}); a"
            f" transposed or strided view must be made contiguous first: {name}.contiguous()")
    return s0 if rows > 1 else cols


def _linear_impl(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    _check_args(x, y)
    M, K = x.shape
    N = y.shape[0]
    if M == 0 or N == 0:
        return torch.empty((M, N), dtype=torch.float32, device=x.device)
    if K == 0:
        return torch.zeros((M, N), dtype=torch.float32, device=x.device)
    lda = _row_stride(x, "x")
    ldb = _row_stride(y, "y")
    rt = get_runtime()
    # The runtime runs on the calling thread's current CUDA device: make it x's.
    with torch.cuda.device(x.device):
        out = torch.empty((M, N), dtype=torch.float32, device=x.device)
        stream = torch.cuda.current_stream(x.device).cuda_stream
        rt.linear(x.data_ptr(), lda, y.data_ptr(), ldb, out.data_ptr(), N, M, N, K, stream)
    return out


def _linear_fake(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    _check_args(x, y, fake=True)
    if x.shape[0] != 0 and y.shape[0] != 0 and x.shape[1] != 0:
        _row_stride(x, "x")
        _row_stride(y, "y")
    return x.new_empty((x.shape[0], y.shape[0]), dtype=torch.float32)


_LIB = None


def _register():
    """Registers gemmgen::linear_bf16_fp32 with a CUDA and a Meta kernel.

    torch.library.Library is used rather than torch.library.custom_op: the
    latter pulls in torch's compile stack on first use (seconds of imports,
    measured by scripts/bench/cold-start.py), which an engine would pay at its
    first call. A Meta kernel is what fake tensors (torch.compile) use to
    propagate shapes.
    """
    global _LIB
    ns = getattr(torch.ops, "gemmgen", None)
    if ns is not None and hasattr(ns, "linear_bf16_fp32"):
        # Already registered in this process (e.g. the module was reloaded).
        return ns.linear_bf16_fp32.default
    _LIB = torch.library.Library("gemmgen", "DEF")
    _LIB.define("linear_bf16_fp32(Tensor x, Tensor y) -> Tensor")
    _LIB.impl("linear_bf16_fp32", _linear_impl, "CUDA")
    # CPU tensors reach the argument checks and get their clear error.
    _LIB.impl("linear_bf16_fp32", _linear_impl, "CPU")
    _LIB.impl("linear_bf16_fp32", _linear_fake, "Meta")
    return torch.ops.gemmgen.linear_bf16_fp32.default


_op = _register() or _linear_impl


def linear_bf16_fp32(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """out[M, N] fp32 = x[M, K] bf16 @ y[N, K]^T bf16 with the default runtime.

    x and y: 2-D bfloat16 CUDA tensors on the same device with rows
    contiguous (last-dim stride 1, row stride >= K; e.g. a column slice of a
    wider tensor is fine, a transpose is not). Returns a new fp32 [M, N]
    tensor on x's device, computed on torch's current stream there.
    Raises TypeError/ValueError for bad arguments and gemmgen.GemmrtError
    (with the runtime's message) when the runtime refuses the call.
    """
    return _op(x, y)
