"""Tests of the ctypes layer that need neither a GPU nor torch.

Uses the library gemmgen finds ($GEMMRT_LIBRARY, else build-rt/libgemmrt.so of
this tree) and the bundle fixtures of runtime/test/data/ (see its README).
Run from the repository root:
    python3 -m unittest discover -s python/tests -v
"""

import os
import re
import subprocess
import sys
import tempfile
import threading
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYDIR)
if PYDIR not in sys.path:
    sys.path.insert(0, PYDIR)

import gemmgen  # noqa: E402
from gemmgen import _capi, _default  # noqa: E402

GOOD_BUNDLE = os.path.join(REPO, "runtime", "test", "data", "bundle_good")
DSV4_BUNDLE = os.path.join(REPO, "out", "bundles", "dsv4")

try:
    gemmgen.load_library()
    NO_LIBRARY = None
except gemmgen.GemmrtLibraryNotFound as e:
    NO_LIBRARY = f"libgemmrt not found (build build-rt or set GEMMRT_LIBRARY): {e}"


def _child_env(**overrides):
    """The environment for a child Python that imports gemmgen from python/."""
    env = dict(os.environ)
    env["PYTHONPATH"] = PYDIR + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    for k, v in overrides.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def _run_child(code, **env):
    return subprocess.run([sys.executable, "-c", code], env=_child_env(**env),
                          capture_output=True, text=True, timeout=120)


class LibraryLookupTest(unittest.TestCase):
    def test_missing_gemmrt_library_lists_the_path(self):
        with tempfile.TemporaryDirectory() as tmp:
            missing = os.path.join(tmp, "nowhere", "libgemmrt.so")
            # A child process: this process has already loaded the library.
            r = _run_child("import gemmgen\nprint('imported')\ngemmgen.version()\n",
                           GEMMRT_LIBRARY=missing)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("imported", r.stdout, "import gemmgen must not need the library")
        self.assertIn("GemmrtLibraryNotFound", r.stderr)
        self.assertIn(missing, r.stderr)
        self.assertIn("GEMMRT_LIBRARY", r.stderr)

    def test_not_a_library(self):
        # A file that exists but is no shared object: the dlopen reason is kept.
        with tempfile.NamedTemporaryFile(suffix=".so") as f:
            f.write(b"not an ELF file")
            f.flush()
            with self.assertRaises(gemmgen.GemmrtLibraryNotFound) as cm:
                _capi._load_first([("GEMMRT_LIBRARY", f.name)])
        self.assertIn(f.name, str(cm.exception))

    def test_every_place_tried_is_listed(self):
        cands = [("GEMMRT_LIBRARY", "/nonexistent/a/libgemmrt.so"),
                 ("source tree", "/nonexistent/b/libgemmrt.so"),
                 ("find_library", None)]
        with self.assertRaises(gemmgen.GemmrtLibraryNotFound) as cm:
            _capi._load_first(cands)
        err = cm.exception
        self.assertIsInstance(err, OSError)
        self.assertEqual(len(err.tried), 3)
        msg = str(err)
        for where in ("/nonexistent/a/libgemmrt.so", "/nonexistent/b/libgemmrt.so",
                      "find_library('gemmrt')"):
            self.assertIn(where, msg)

    def test_default_lookup_order(self):
        with mock.patch.dict(os.environ, {"GEMMRT_LIBRARY": ""}):
            labels = [label for label, _ in _capi._candidates()]
        self.assertEqual(labels[-2:], ["source tree", "find_library"])
        self.assertTrue(all(label == "package" for label in labels[:-2]))
        with mock.patch.dict(os.environ, {"GEMMRT_LIBRARY": "/x/libgemmrt.so"}):
            self.assertEqual(_capi._candidates(), [("GEMMRT_LIBRARY", "/x/libgemmrt.so")])

    @unittest.skipUnless(os.path.exists(os.path.join(REPO, "build-rt", "libgemmrt.so")),
                         "build-rt/libgemmrt.so not built")
    def test_source_tree_library_is_found_without_env(self):
        r = _run_child("import gemmgen; print(gemmgen.library_path()); print(gemmgen.version())",
                       GEMMRT_LIBRARY=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        path = r.stdout.splitlines()[0]
        if not os.path.isdir(os.path.join(PYDIR, "gemmgen", "lib")):
            self.assertEqual(os.path.realpath(path),
                             os.path.realpath(os.path.join(REPO, "build-rt", "libgemmrt.so")))

    def test_import_does_not_import_torch(self):
        r = _run_child("import sys, gemmgen\nprint('torch' in sys.modules)")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "False")

    def test_op_is_loaded_on_first_access(self):
        # Without torch the access fails with torch's ImportError (and keeps
        # failing the same way); with torch it is the op's entry point.
        code = ("import gemmgen\n"
                "for _ in range(2):\n"
                "    try:\n"
                "        f = gemmgen.linear_bf16_fp32\n"
                "        print('loaded', callable(f), gemmgen.ops.linear_bf16_fp32 is f)\n"
                "    except ImportError as e:\n"
                "        print('ImportError', e.name)\n")
        r = _run_child(code)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(r.stdout.split(), (["ImportError", "torch"] * 2, ["loaded", "True", "True"] * 2))
        r = _run_child("import gemmgen\nprint(hasattr(gemmgen, 'no_such_name'))")
        self.assertEqual(r.stdout.strip(), "False", r.stderr)


@unittest.skipIf(NO_LIBRARY, NO_LIBRARY)
class NamesTest(unittest.TestCase):
    def test_version(self):
        v = gemmgen.version()
        self.assertRegex(v, r"^\d+\.\d+\.\d+$")
        self.assertTrue(v.startswith("0.1."), v)

    def test_status_strings(self):
        for code, name in _capi.STATUS_NAMES.items():
            self.assertEqual(gemmgen.status_string(code), name)
        self.assertEqual(gemmgen.status_string(99), "unknown gemmrt_status")

    def test_policy_strings(self):
        for name, value in gemmgen.POLICIES.items():
            self.assertEqual(gemmgen.policy_string(value), name)
        self.assertIsNone(gemmgen.policy_string(7))

    def test_error_str_and_subclasses(self):
        e = _capi._error_from_status(3, "no variant")
        self.assertIsInstance(e, gemmgen.UnsupportedShapeError)
        self.assertIsInstance(e, gemmgen.GemmrtError)
        self.assertIsInstance(e, RuntimeError)
        self.assertEqual((e.status, e.status_name, e.message),
                         (3, "GEMMRT_ERROR_UNSUPPORTED_SHAPE", "no variant"))
        self.assertEqual(str(e), "GEMMRT_ERROR_UNSUPPORTED_SHAPE: no variant")
        # Codes without a subclass are the base class, still named.
        e = _capi._error_from_status(7, "launch failed")
        self.assertIs(type(e), gemmgen.GemmrtError)
        self.assertEqual(str(e), "GEMMRT_ERROR_CUDA: launch failed")

    def test_error_pickles(self):
        import pickle
        e = pickle.loads(pickle.dumps(_capi._error_from_status(6, "bad bundle")))
        self.assertIsInstance(e, gemmgen.BundleError)
        self.assertEqual((e.status, e.message), (6, "bad bundle"))


@unittest.skipIf(NO_LIBRARY, NO_LIBRARY)
class RuntimeTest(unittest.TestCase):
    def test_missing_bundle(self):
        with tempfile.TemporaryDirectory() as tmp:
            missing = os.path.join(tmp, "no_such_bundle")
            with self.assertRaises(gemmgen.GemmrtError) as cm:
                gemmgen.Runtime([missing])
        e = cm.exception
        self.assertIsInstance(e, gemmgen.BundleError)
        self.assertEqual(e.status, 6)
        self.assertEqual(e.status_name, "GEMMRT_ERROR_BUNDLE")
        self.assertIn(missing, e.message)
        self.assertEqual(str(e), f"GEMMRT_ERROR_BUNDLE: {e.message}")

    def test_malformed_bundle(self):
        bad = os.path.join(REPO, "runtime", "test", "data", "bundle_bad_schema")
        if not os.path.isdir(bad):
            self.skipTest(f"fixture {bad} not present")
        with self.assertRaises(gemmgen.BundleError) as cm:
            gemmgen.Runtime(bad)
        self.assertIn("schema_version", cm.exception.message)

    def test_no_bundles(self):
        with gemmgen.Runtime() as rt:
            self.assertEqual(rt.bundles, [])
            self.assertEqual(rt.policy, "auto")
            self.assertIn("backend=cublaslt", rt.describe(8, 256, 4096))

    def _good_bundle(self):
        if os.path.isfile(os.path.join(GOOD_BUNDLE, "manifest.json")):
            return GOOD_BUNDLE
        self.skipTest(f"bundle fixture {GOOD_BUNDLE} not present")

    def test_valid_bundle_describe(self):
        with gemmgen.Runtime([self._good_bundle()]) as rt:
            self.assertEqual(rt.policy, "auto")
            covered = rt.describe(8, 256, 4096)
            self.assertIn("backend=generated", covered)
            self.assertIn("variant=n256_k4096_m1_64", covered)
            self.assertIn("backend=cublaslt", rt.describe(8, 512, 4096))   # no variant for N=512
            self.assertIn("backend=cublaslt", rt.describe(7, 200, 4104))

    @unittest.skipUnless(os.path.isfile(os.path.join(DSV4_BUNDLE, "manifest.json")),
                         "out/bundles/dsv4 not compiled (scripts/compile-bundles.sh)")
    def test_dsv4_bundle_describe(self):
        with gemmgen.Runtime(DSV4_BUNDLE, policy="generated") as rt:
            for n, k in ((256, 4096), (384, 7168), (2048, 7168)):
                d = rt.describe(16, n, k)
                self.assertIn("backend=generated", d)
                self.assertIn(f"variant=n{n}_k{k}_m9_16", d)   # default bucket 9-16
            rt.policy = "auto"
            self.assertIn("backend=cublaslt", rt.describe(16, 200, 4104))

    def test_generated_policy_uncovered_shape(self):
        with gemmgen.Runtime([self._good_bundle()], policy="generated") as rt:
            self.assertEqual(rt.policy, "generated")
            self.assertIn("backend=generated", rt.describe(8, 256, 4096))
            with self.assertRaises(gemmgen.UnsupportedShapeError) as cm:
                rt.describe(300, 256, 4096)
            e = cm.exception
            self.assertEqual(e.status, 3)
            self.assertEqual(e.status_name, "GEMMRT_ERROR_UNSUPPORTED_SHAPE")
            self.assertIn("M=300 N=256 K=4096", e.message)
            with self.assertRaises(gemmgen.UnsupportedShapeError) as cm:
                rt.describe(8, 256, 4100)
            self.assertIn("K=4100", cm.exception.message)

    def test_policy_values(self):
        with gemmgen.Runtime() as rt:
            for name, value in gemmgen.POLICIES.items():
                rt.policy = name.upper()        # case-insensitive, like GEMMRT_BACKEND
                self.assertEqual(rt.policy, name)
                rt.policy = value
                self.assertEqual(rt.policy, name)
            with self.assertRaises(ValueError) as cm:
                rt.policy = "deepgemm"
            self.assertIn("deepgemm", str(cm.exception))
            with self.assertRaises(TypeError):
                rt.policy = 1.0
            with self.assertRaises(gemmgen.InvalidArgumentError) as cm:
                rt.policy = 7       # outside the enum: the library's own message
            self.assertIn("7", cm.exception.message)
            self.assertEqual(rt.policy, list(gemmgen.POLICIES)[-1])  # a rejected value changes nothing
        with self.assertRaises(ValueError):
            gemmgen.Runtime(policy="fastest")

    def test_argument_errors_need_no_device(self):
        # Argument checks (and the generated policy's alignment checks) run
        # before any CUDA call, so these fail the same way with or without a GPU.
        with gemmgen.Runtime() as rt:
            with self.assertRaises(gemmgen.InvalidArgumentError) as cm:
                rt.linear(0, 64, 0x10000, 64, 0x20000, 32, 4, 32, 64, 0)
            self.assertIn("x is NULL", cm.exception.message)
            with self.assertRaises(gemmgen.InvalidArgumentError) as cm:
                rt.linear(0x10000, 32, 0x10000, 64, 0x20000, 32, 4, 32, 64, 0)
            self.assertIn("lda=32", cm.exception.message)
        with gemmgen.Runtime([self._good_bundle()], policy="generated") as rt:
            with self.assertRaises(gemmgen.MisalignedError) as cm:
                rt.linear(0x10008, 4096, 0x20000, 4096, 0x40000, 256, 8, 256, 4096, 0)
            self.assertEqual(cm.exception.status, 2)
            self.assertIn("16-byte", cm.exception.message)

    def test_errors_are_per_thread(self):
        # Each thread must see the message of its own failing call.
        failures = []
        with gemmgen.Runtime([self._good_bundle()], policy="generated") as rt:
            def work(m):
                for _ in range(200):
                    try:
                        rt.describe(m, 256, 4096)
                        failures.append(f"M={m}: no error")
                    except gemmgen.UnsupportedShapeError as e:
                        if f"M={m} " not in e.message:
                            failures.append(f"M={m}: got {e.message!r}")
            threads = [threading.Thread(target=work, args=(300 + i,)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.assertEqual(failures, [])

    def test_close(self):
        rt = gemmgen.Runtime()
        self.assertIn("policy='auto'", repr(rt))
        rt.close()
        rt.close()      # idempotent
        self.assertIn("closed", repr(rt))
        with self.assertRaises(ValueError):
            rt.describe(1, 256, 4096)

    def test_wait_background(self):
        with gemmgen.Runtime([self._good_bundle()]) as rt:
            pending = rt.wait_background(0)
            self.assertIsInstance(pending, int)
            self.assertGreaterEqual(pending, 0)
            if not rt.has_background:
                self.assertEqual(pending, 0)
                self.assertEqual(rt.wait_background(), 0)
            with self.assertRaises(ValueError):
                rt.wait_background(-1)
            # Nothing was called, so nothing can be queued.
            self.assertEqual(rt.wait_background(), 0)

    def test_wait_background_without_the_symbol(self):
        # A libgemmrt built before gemmrt_wait_background existed.
        class OlderLibrary:
            def __init__(self, lib):
                self._lib = lib

            def __getattr__(self, name):
                if name == "gemmrt_wait_background":
                    raise AttributeError(name)
                return getattr(self._lib, name)

        with gemmgen.Runtime() as rt:
            rt._lib = OlderLibrary(rt._lib)
            self.assertFalse(rt.has_background)
            self.assertEqual(rt.wait_background(0), 0)
            self.assertEqual(rt.wait_background(), 0)
            self.assertEqual(rt.policy, "auto")

    def test_device_count_without_gpu(self):
        try:
            n = gemmgen.device_count()
        except gemmgen.NoDeviceError as e:
            self.assertEqual(e.status, 4)
            self.assertEqual(e.status_name, "GEMMRT_ERROR_NO_DEVICE")
            self.assertTrue(e.message.strip(), "the reason must be given")
            self.assertTrue(str(e).startswith("GEMMRT_ERROR_NO_DEVICE: "))
            return
        self.assertGreater(n, 0)
        self.skipTest(f"{n} CUDA device(s) present: the no-device path cannot be checked here")


@unittest.skipIf(NO_LIBRARY, NO_LIBRARY)
class DefaultRuntimeTest(unittest.TestCase):
    def setUp(self):
        self._saved = _default.set_runtime(None)

    def tearDown(self):
        _default.set_runtime(self._saved)

    def test_from_environment(self):
        if not os.path.isfile(os.path.join(GOOD_BUNDLE, "manifest.json")):
            self.skipTest(f"bundle fixture {GOOD_BUNDLE} not present")
        # Empty entries are ignored; the same bundle twice is allowed.
        value = os.pathsep.join(["", GOOD_BUNDLE, "", GOOD_BUNDLE])
        with mock.patch.dict(os.environ, {"GEMMGEN_BUNDLES": value, "GEMMGEN_POLICY": "generated"}):
            rt = gemmgen.get_runtime()
            self.assertIs(gemmgen.get_runtime(), rt)
            self.assertEqual(rt.bundles, [GOOD_BUNDLE, GOOD_BUNDLE])
            self.assertEqual(rt.policy, "generated")
            self.assertIn("variant=n256_k4096_m1_64", gemmgen.describe(8, 256, 4096))
            with self.assertRaises(gemmgen.UnsupportedShapeError):
                gemmgen.describe(300, 256, 4096)

    def test_empty_environment(self):
        with mock.patch.dict(os.environ, {"GEMMGEN_BUNDLES": "", "GEMMGEN_POLICY": ""}):
            rt = gemmgen.get_runtime()
            self.assertEqual((rt.bundles, rt.policy), ([], "auto"))

    def test_bad_environment_is_retried(self):
        with tempfile.TemporaryDirectory() as tmp:
            missing = os.path.join(tmp, "gone")
            with mock.patch.dict(os.environ, {"GEMMGEN_BUNDLES": missing}):
                for _ in range(2):      # not cached: each use reports it
                    with self.assertRaises(gemmgen.BundleError) as cm:
                        gemmgen.get_runtime()
                    self.assertIn(missing, cm.exception.message)
            with mock.patch.dict(os.environ, {"GEMMGEN_BUNDLES": "", "GEMMGEN_POLICY": "fast"}):
                with self.assertRaises(ValueError):
                    gemmgen.get_runtime()

    def test_set_runtime(self):
        mine = gemmgen.Runtime(policy="reference")
        self.assertIsNone(gemmgen.set_runtime(mine))
        self.assertIs(gemmgen.get_runtime(), mine)
        self.assertIn("backend=reference", gemmgen.describe(4, 256, 4096))
        self.assertIs(gemmgen.set_runtime(None), mine)
        with self.assertRaises(TypeError):
            gemmgen.set_runtime("out/bundles/dsv4")

    def test_created_once_across_threads(self):
        with mock.patch.dict(os.environ, {"GEMMGEN_BUNDLES": "", "GEMMGEN_POLICY": ""}):
            seen = []
            barrier = threading.Barrier(8)

            def work():
                barrier.wait()
                seen.append(gemmgen.get_runtime())
            threads = [threading.Thread(target=work) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.assertEqual(len({id(r) for r in seen}), 1)


if __name__ == "__main__":
    unittest.main()
