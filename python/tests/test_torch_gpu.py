"""GPU tests of gemmgen.linear_bf16_fp32 (needs torch with CUDA and a GPU).

Every result is checked against an fp64 product of the same bf16 inputs
(relative Frobenius error <= 2e-5) on fresh random inputs. Calls run under
policy auto with the bundles of $GEMMGEN_BUNDLES (none: cuBLASLt only).
Run from the repository root:
    GEMMGEN_BUNDLES=out/bundles/dsv4 python3 -m unittest discover -s python/tests -v
"""

import os
import random
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
if PYDIR not in sys.path:
    sys.path.insert(0, PYDIR)

try:
    import torch
    if not torch.cuda.is_available():
        SKIP = f"torch {torch.__version__} sees no CUDA device"
    else:
        SKIP = None
except ImportError as e:
    torch = None
    SKIP = f"torch is not installed ({e})"

if SKIP is None:
    import gemmgen
    from gemmgen import _default

TOL = 2e-5
# The torch.compile test needs torch.compile (torch >= 2.0).
NO_CUSTOM_OP = None if SKIP is not None or hasattr(torch, "compile") else \
    f"torch {torch.__version__} has no torch.compile"


def _rand(shape, gen, device="cuda", dtype=None):
    # randn (never zeros): a kernel that writes nothing cannot pass.
    t = torch.randn(shape, generator=gen, device=device, dtype=torch.float32)
    return t.to(dtype or torch.bfloat16)


def _rel_err(out, x, y):
    ref = x.double() @ y.double().t()
    return ((out.double() - ref).norm() / ref.norm().clamp_min(1e-300)).item()


if SKIP is None:
    class RecordingRuntime(gemmgen.Runtime):
        """Remembers the raw arguments of each call (to see strides and streams)."""

        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self.calls = []

        def linear(self, *args):
            self.calls.append(args)
            super().linear(*args)


@unittest.skipIf(SKIP is not None, SKIP)
class TorchGpuTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bundles = _default.bundles_from_env()
        cls.rt = RecordingRuntime(cls.bundles, policy="auto")
        cls._saved = gemmgen.set_runtime(cls.rt)
        cls.seed = int(os.environ.get("GEMMGEN_TEST_SEED", random.randrange(1 << 30)))
        cls.gen = torch.Generator(device="cuda").manual_seed(cls.seed)

    @classmethod
    def tearDownClass(cls):
        gemmgen.set_runtime(cls._saved)

    def setUp(self):
        self.rt.calls.clear()

    def check(self, out, x, y, what=""):
        torch.cuda.synchronize()
        self.assertEqual(out.dtype, torch.float32)
        self.assertEqual(tuple(out.shape), (x.shape[0], y.shape[0]))
        self.assertEqual(out.device, x.device)
        self.assertFalse(torch.isnan(out).any().item(), f"NaN in the output {what}")
        err = _rel_err(out, x, y)
        M, K = x.shape
        self.assertLessEqual(
            err, TOL, f"M={M} N={y.shape[0]} K={K} {what}: relative error {err:.3g} "
            f"(seed {self.seed}; {self.rt.describe(M, y.shape[0], K)})")

    def poison(self, M, N, device="cuda"):
        # A freed NaN block of the output's size is what the caching allocator
        # hands out next, so elements a kernel fails to write stay NaN.
        t = torch.full((M, N), float("nan"), device=device)
        del t

    def test_correctness_auto(self):
        for K in (4096, 4104):
            for N in (256, 200):
                y = _rand((N, K), self.gen)
                for M in (1, 7, 64, 129, 1000):
                    with self.subTest(M=M, N=N, K=K):
                        x = _rand((M, K), self.gen)
                        self.poison(M, N)
                        self.check(gemmgen.linear_bf16_fp32(x, y), x, y,
                                   f"({self.rt.describe(M, N, K)})")

    def test_every_policy(self):
        M, N, K = 33, 256, 4096
        x, y = _rand((M, K), self.gen), _rand((N, K), self.gen)
        policies = ["cublaslt", "reference"]
        if self.bundles and "backend=generated" in self.rt.describe(M, N, K):
            policies.append("generated")
        try:
            for p in policies:
                with self.subTest(policy=p):
                    self.rt.policy = p
                    self.assertIn(f"backend={p}", self.rt.describe(M, N, K))
                    self.check(gemmgen.linear_bf16_fp32(x, y), x, y, f"policy {p}")
        finally:
            self.rt.policy = "auto"

    def test_padded_rows_are_not_copied(self):
        M, N, K = 129, 256, 4096
        big = _rand((M, K + 64), self.gen)
        wide = _rand((N, K + 128), self.gen)
        x, y = big[:, :K], wide[:, :K]
        self.assertFalse(x.is_contiguous())
        out = gemmgen.linear_bf16_fp32(x, y)
        self.check(out, x, y, "padded")
        (x_ptr, lda, y_ptr, ldb, _, ldc, *_rest), = self.rt.calls
        self.assertEqual((x_ptr, lda, y_ptr, ldb, ldc),
                         (big.data_ptr(), K + 64, wide.data_ptr(), K + 128, N))

    def test_single_row_with_any_row_stride(self):
        # A [1, K] view's row stride is meaningless; it must not be refused.
        K = 4096
        col = _rand((K, 1), self.gen)
        x = col.t()                       # shape [1, K], strides (1, 1)
        y = _rand((256, K), self.gen)
        self.check(gemmgen.linear_bf16_fp32(x, y), x, y, "1-row view")

    def test_transposed_input_is_refused(self):
        x = _rand((4096, 64), self.gen).t()          # [64, 4096], column-major
        y = _rand((256, 4096), self.gen)
        with self.assertRaises(ValueError) as cm:
            gemmgen.linear_bf16_fp32(x, y)
        self.assertIn("contiguous", str(cm.exception))
        self.assertIn("x", str(cm.exception))
        with self.assertRaises(ValueError) as cm:
            gemmgen.linear_bf16_fp32(y[:64], _rand((4096, 256), self.gen).t())
        self.assertIn("y.contiguous()", str(cm.exception))
        self.assertEqual(self.rt.calls, [])

    def test_wrong_dtype(self):
        x = _rand((8, 4096), self.gen, dtype=torch.float16)
        y = _rand((256, 4096), self.gen)
        with self.assertRaises(TypeError) as cm:
            gemmgen.linear_bf16_fp32(x, y)
        self.assertIn("bfloat16", str(cm.exception))
        with self.assertRaises(TypeError) as cm:
            gemmgen.linear_bf16_fp32(y[:8], y.float())
        self.assertIn("y", str(cm.exception))

    def test_cpu_tensor(self):
        x = torch.randn(8, 4096).to(torch.bfloat16)
        y = _rand((256, 4096), self.gen)
        with self.assertRaises(ValueError) as cm:
            gemmgen.linear_bf16_fp32(x, y)
        self.assertIn("CUDA", str(cm.exception))

    def test_bad_rank_and_k_mismatch(self):
        y = _rand((256, 4096), self.gen)
        with self.assertRaises(ValueError) as cm:
            gemmgen.linear_bf16_fp32(_rand((2, 8, 4096), self.gen), y)
        self.assertIn("2-D", str(cm.exception))
        with self.assertRaises(ValueError) as cm:
            gemmgen.linear_bf16_fp32(_rand((8, 4104), self.gen), y)
        self.assertIn("K mismatch", str(cm.exception))

    def test_empty_dims(self):
        y = _rand((256, 4096), self.gen)
        out = gemmgen.linear_bf16_fp32(_rand((0, 4096), self.gen), y)
        self.assertEqual((tuple(out.shape), out.dtype), ((0, 256), torch.float32))
        out = gemmgen.linear_bf16_fp32(_rand((5, 4096), self.gen), y[:0])
        self.assertEqual(tuple(out.shape), (5, 0))
        out = gemmgen.linear_bf16_fp32(_rand((5, 0), self.gen), _rand((7, 0), self.gen))
        self.assertEqual(tuple(out.shape), (5, 7))
        self.assertTrue(bool((out == 0).all()))
        self.assertEqual(self.rt.calls, [])

    def test_non_default_stream(self):
        M, N, K = 64, 256, 4096
        x, y = _rand((M, K), self.gen), _rand((N, K), self.gen)
        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            # A long enough queue on s: a result read on the wrong stream would race.
            for _ in range(20):
                out = gemmgen.linear_bf16_fp32(x, y)
            ref_in_stream = out.clone()
        self.assertEqual(self.rt.calls[-1][-1], s.cuda_stream)
        torch.cuda.current_stream().wait_stream(s)
        self.check(ref_in_stream, x, y, "on a side stream")

    def test_cuda_graph_replay(self):
        M, N, K = 16, 256, 4096
        x, y = _rand((M, K), self.gen), _rand((N, K), self.gen)
        # Warm-up on a side stream, as torch recommends before capture.
        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            gemmgen.linear_bf16_fp32(x, y)
        torch.cuda.current_stream().wait_stream(s)
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            out = gemmgen.linear_bf16_fp32(x, y)
        for i in range(3):
            # Pointers are baked into the graph: new values, same buffers.
            x.copy_(_rand((M, K), self.gen))
            y.copy_(_rand((N, K), self.gen))
            g.replay()
            self.check(out, x, y, f"graph replay {i}")

    def test_first_call_inside_capture(self):
        # Shapes no other test uses, so their loading (a bundle module, or a
        # cuBLASLt plan) happens during the capture.
        for M, N, K in ((3, 512, 4096), (3, 256, 4096 + 8 * 17)):
            with self.subTest(M=M, N=N, K=K):
                x, y = _rand((M, K), self.gen), _rand((N, K), self.gen)
                g = torch.cuda.CUDAGraph()
                with torch.cuda.graph(g):
                    out = gemmgen.linear_bf16_fp32(x, y)
                g.replay()
                self.check(out, x, y, f"first call captured ({self.rt.describe(M, N, K)})")

    @unittest.skipIf(NO_CUSTOM_OP, NO_CUSTOM_OP)
    def test_torch_compile(self):
        @torch.compile(fullgraph=True)
        def f(x, y, bias):
            return gemmgen.linear_bf16_fp32(x, y) * 0.5 + bias

        M, N, K = 24, 256, 4096
        x, y = _rand((M, K), self.gen), _rand((N, K), self.gen)
        bias = torch.randn(N, device="cuda", generator=self.gen)
        out = f(x, y, bias)
        torch.cuda.synchronize()
        ref = (x.double() @ y.double().t()) * 0.5 + bias.double()
        err = ((out.double() - ref).norm() / ref.norm()).item()
        self.assertLessEqual(err, TOL, f"torch.compile: relative error {err:.3g}")
        self.assertTrue(self.rt.calls, "the compiled graph must call the runtime")

    @unittest.skipIf(NO_CUSTOM_OP, NO_CUSTOM_OP)
    def test_fake_kernel(self):
        # Shape propagation without running: what torch.compile sees.
        from torch._subclasses.fake_tensor import FakeTensorMode
        with FakeTensorMode():
            x = torch.empty(10, 4096, dtype=torch.bfloat16, device="cuda")
            y = torch.empty(300, 4096, dtype=torch.bfloat16, device="cuda")
            out = torch.ops.gemmgen.linear_bf16_fp32(x, y)
            self.assertEqual((tuple(out.shape), out.dtype, out.device.type),
                             ((10, 300), torch.float32, "cuda"))
        self.assertEqual(self.rt.calls, [])

    def test_runtime_error_carries_the_message(self):
        strict = gemmgen.Runtime([], policy="generated")
        previous = gemmgen.set_runtime(strict)
        try:
            x, y = _rand((8, 4096), self.gen), _rand((256, 4096), self.gen)
            with self.assertRaises(gemmgen.UnsupportedShapeError) as cm:
                gemmgen.linear_bf16_fp32(x, y)
            e = cm.exception
            self.assertEqual((e.status, e.status_name), (3, "GEMMRT_ERROR_UNSUPPORTED_SHAPE"))
            self.assertTrue(e.message)
            self.assertIn(e.message, str(e))
            self.assertIsInstance(e, gemmgen.GemmrtError)
        finally:
            gemmgen.set_runtime(previous)
            strict.close()

    def test_threads(self):
        # Several threads, each on its own stream, share the runtime.
        errors = []

        def work(i):
            try:
                g = torch.Generator(device="cuda").manual_seed(self.seed + i)
                s = torch.cuda.Stream()
                with torch.cuda.stream(s):
                    for M in (1, 7, 64, 129):
                        x, y = _rand((M, 4096), g), _rand((256, 4096), g)
                        out = gemmgen.linear_bf16_fp32(x, y)
                        s.synchronize()
                        err = _rel_err(out, x, y)
                        if not err <= TOL:
                            errors.append(f"thread {i} M={M}: {err:.3g}")
            except Exception as e:  # noqa: BLE001 - reported by the main thread
                errors.append(f"thread {i}: {e!r}")
        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])

    @unittest.skipUnless(SKIP is None and torch.cuda.device_count() >= 2, "needs 2 CUDA devices")
    def test_second_device(self):
        dev = torch.device("cuda:1")
        gen = torch.Generator(device=dev).manual_seed(self.seed)
        before = torch.cuda.current_device()
        for M, N, K in ((1, 256, 4096), (129, 200, 4104), (64, 256, 4096)):
            with self.subTest(M=M, N=N, K=K):
                x, y = _rand((M, K), gen, device=dev), _rand((N, K), gen, device=dev)
                self.poison(M, N, device=dev)
                out = gemmgen.linear_bf16_fp32(x, y)
                self.assertEqual(out.device, dev)
                torch.cuda.synchronize(dev)
                self.check(out, x, y, "on cuda:1")
        self.assertEqual(torch.cuda.current_device(), before)
        with self.assertRaises(ValueError) as cm:
            gemmgen.linear_bf16_fp32(_rand((4, 4096), self.gen), _rand((8, 4096), gen, device=dev))
        self.assertIn("same device", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
