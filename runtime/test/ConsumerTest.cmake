# ConsumerTest.cmake - install libgemmrt into a temporary prefix, then
# configure, build and run examples/consumer against the installed package
# (find_package(gemmrt) and pkg-config). Needs no GPU: the example exits 0
# and says so when no device is present.
#
# cmake -DGEMMRT_BUILD_DIR=... -DEXAMPLE_DIR=... -DWORK_DIR=... -DGENERATOR=...
#       -DCXX_COMPILER=... -DBUILD_TYPE=... [-DSANITIZE=address,undefined]
#       -P ConsumerTest.cmake
# SANITIZE (a -DGEMMRT_SANITIZE build): the consumer is built with the same
# -fsanitize= so that the sanitizer runtime comes first, as it must.

foreach(var GEMMRT_BUILD_DIR EXAMPLE_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "ConsumerTest.cmake: ${var} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}\n${err}")
  endif()
  set(RUN_OUTPUT "${out}${err}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

# 1. Install.
run("${CMAKE_COMMAND}" --install "${GEMMRT_BUILD_DIR}" --prefix "${prefix}")
foreach(f include/gemmrt/gemmrt.h include/gemmrt/gemmrt.hpp)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
file(GLOB_RECURSE configs "${prefix}/*/gemmrtConfig.cmake")
file(GLOB_RECURSE pcs "${prefix}/*/gemmrt.pc")
if(NOT configs OR NOT pcs)
  message(FATAL_ERROR "gemmrtConfig.cmake or gemmrt.pc not installed under ${prefix}")
endif()

# 2. find_package(gemmrt) from a separate project.
set(configureArgs -S "${EXAMPLE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${prefix}")
if(CXX_COMPILER)
  list(APPEND configureArgs "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(BUILD_TYPE)
  list(APPEND configureArgs "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
set(sanitizeFlags "")
if(SANITIZE)
  set(sanitizeFlags "-fsanitize=${SANITIZE}")
  list(APPEND configureArgs "-DCMAKE_CXX_FLAGS=${sanitizeFlags}"
       "-DCMAKE_EXE_LINKER_FLAGS=${sanitizeFlags}")
endif()
run("${CMAKE_COMMAND}" ${configureArgs})
run("${CMAKE_COMMAND}" --build "${WORK_DIR}/build")

# 3. Run it: exit 0 with or without a device.
file(GLOB exe "${WORK_DIR}/build/gemmrt-consumer")
if(NOT exe)
  message(FATAL_ERROR "gemmrt-consumer was not built")
endif()
run("${exe}")
message(STATUS "gemmrt-consumer said:\n${RUN_OUTPUT}")
if(NOT RUN_OUTPUT MATCHES "gemmrt-consumer: libgemmrt 0\\.1\\.0")
  message(FATAL_ERROR "unexpected output from gemmrt-consumer")
endif()

# 4. pkg-config sees the installed package (relocatable paths).
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  list(GET pcs 0 pc)
  get_filename_component(pcdir "${pc}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pcdir}")
  run("${PKG_CONFIG}" --cflags --libs gemmrt)
  string(STRIP "${RUN_OUTPUT}" flags)
  message(STATUS "pkg-config --cflags --libs gemmrt: ${flags}")
  if(NOT flags MATCHES "-lgemmrt")
    message(FATAL_ERROR "pkg-config output lacks -lgemmrt")
  endif()
  # Build the same example by hand with those flags.
  separate_arguments(flagList UNIX_COMMAND "${flags}")
  set(cxx "${CXX_COMPILER}")
  if(NOT cxx)
    set(cxx c++)
  endif()
  run("${cxx}" -std=c++17 ${sanitizeFlags} "${EXAMPLE_DIR}/main.cpp" ${flagList}
      -o "${WORK_DIR}/gemmrt-consumer-pc")
  run("${CMAKE_COMMAND}" -E env "LD_LIBRARY_PATH=${prefix}/lib:$ENV{LD_LIBRARY_PATH}"
      "${WORK_DIR}/gemmrt-consumer-pc")
endif()
