"""Where a Python process spends its time before gemmgen's first result.

Prints milliseconds for: import torch, CUDA init, import gemmgen (which
registers the op when torch is already imported), creating the default
runtime (GEMMGEN_BUNDLES), the first call (synchronized) and a second one.
Run on a GPU machine: GEMMGEN_BUNDLES=out/bundles/dsv4 PYTHONPATH=python
python3 scripts/bench/first-call.py
"""
import time

t0 = time.time()
import torch  # noqa: E402

t1 = time.time()
torch.zeros(1, device="cuda")
t2 = time.time()
import gemmgen  # noqa: E402

t3 = time.time()
x = torch.randn(16, 7168, device="cuda", dtype=torch.bfloat16)
y = torch.randn(384, 7168, device="cuda", dtype=torch.bfloat16)
gemmgen.get_runtime()
t4 = time.time()
out = gemmgen.linear_bf16_fp32(x, y)
torch.cuda.synchronize()
t5 = time.time()
out = gemmgen.linear_bf16_fp32(x, y)
torch.cuda.synchronize()
t6 = time.time()
ref = x.double() @ y.double().t()
err = ((out.double() - ref).norm() / ref.norm()).item()
print({k: round(v * 1000, 1) for k, v in dict(
    import_torch=t1 - t0, cuda_init=t2 - t1, import_gemmgen=t3 - t2,
    runtime=t4 - t3, first_call=t5 - t4, second_call=t6 - t5).items()},
      f"rel_err={err:.2e}")
