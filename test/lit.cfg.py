# -*- Python -*-
import os
import sys

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "gemmgen"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.gemmgen_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shapes", os.path.join(config.test_source_root, "Inputs", "shapes")))
config.substitutions.append(("%gemmgen_compiler_lib",
                             os.path.join(config.gemmgen_obj_root, "lib", "libgemmgen_compiler.so")))
config.substitutions.append(("%python", sys.executable))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.gemmgen_tools_dir, config.llvm_tools_dir]
tools = ["gemm-opt", "not", "count", ToolSubst("gemm-compile", unresolved="ignore")]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Every PTX the suite emits is assembled for sm_90a; ptxas ships with CUDA
# and needs no GPU.
if config.ptxas and os.path.exists(config.ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.ptxas))
else:
    lit_config.warning("ptxas not found: PTX assembly checks are UNSUPPORTED")
# The GPU probes under scripts/bench are built (not run) with the nvcc
# beside ptxas.
nvcc = os.path.join(os.path.dirname(config.ptxas or ""), "nvcc")
if config.ptxas and os.path.exists(nvcc):
    config.available_features.add("nvcc")
    config.substitutions.append(("%nvcc", nvcc))
else:
    lit_config.warning("nvcc not found: GPU probe builds are UNSUPPORTED")
