"""Calls libgemmgen_compiler.so's C API; prints what lit's FileCheck checks."""
import ctypes
import json
import os
import sys

lib = ctypes.CDLL(sys.argv[1])
out = sys.argv[2]
lib.gemmgen_compiler_version.restype = ctypes.c_char_p
lib.gemmgen_compile_bundle.argtypes = [
    ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int64, ctypes.c_int64,
    ctypes.c_int64, ctypes.c_int64, ctypes.c_char_p, ctypes.c_char_p,
    ctypes.c_size_t]
print("abi", lib.gemmgen_compiler_abi_version(),
      "version", lib.gemmgen_compiler_version().decode())


def compile(name, n, k, lo, hi, chip=b"sm_90a", dest=None):
    err = ctypes.create_string_buffer(1024)
    path = None if dest is False else os.path.join(out, name).encode()
    # ptxas "": PTX only, so the test needs no CUDA toolkit.
    rc = lib.gemmgen_compile_bundle(path, chip, n, k, lo, hi, b"", err, 1024)
    print(name, f"rc={rc}", f"err={err.value.decode()!r}")


compile("ok", 384, 7168, 1, 64)
m = json.load(open(os.path.join(out, "ok", "manifest.json")))
print("variants", [v["name"] for v in m["variants"]],
      "m", [m["variants"][0]["m_min"], m["variants"][0]["m_max"]],
      "files", sorted(os.listdir(os.path.join(out, "ok"))))
compile("k", 384, 7170, 1, 64)
print("k left", sorted(os.listdir(out)))
compile("m", 384, 7168, 64, 1)
compile("chip", 384, 7168, 1, 64, chip=b"sm_80")
compile("null", 384, 7168, 1, 64, dest=False)
