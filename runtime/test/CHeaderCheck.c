/*===- CHeaderCheck.c - gemmrt.h compiles as C and is usable from C -------===*\
|* Compiled as C11 into the unit tests; CApiTest calls gemmrtCHeaderCheck().  *|
\*===----------------------------------------------------------------------===*/

#include "gemmrt/gemmrt.h"

#include <string.h>

/* Returns 0 when the C API behaves as documented without a GPU. */
int gemmrtCHeaderCheck(void) {
  gemmrt_runtime *rt = NULL;
  gemmrt_policy policy = GEMMRT_POLICY_REFERENCE;
  char buf[256];
  gemmrt_stream stream = NULL;
  if (gemmrt_create(&rt, NULL, 0) != GEMMRT_OK || !rt)
    return 1;
  if (gemmrt_get_backend_policy(rt, &policy) != GEMMRT_OK)
    return 2;
  if (gemmrt_describe_choice(rt, 1, 256, 4096, buf, sizeof buf) != GEMMRT_OK)
    return 3;
  if (strstr(buf, "backend=") == NULL)
    return 4;
  /* A NULL x is rejected before any CUDA call. */
  if (gemmrt_linear_bf16_fp32(rt, NULL, 64, (const void *)0x1000, 64,
                              (float *)0x2000, 64, 1, 64, 64,
                              stream) != GEMMRT_ERROR_INVALID_ARGUMENT)
    return 5;
  if (strstr(gemmrt_last_error(), "x is NULL") == NULL)
    return 6;
  gemmrt_destroy(rt);
  if (strcmp(gemmrt_status_string(GEMMRT_ERROR_BUNDLE),
             "GEMMRT_ERROR_BUNDLE") != 0)
    return 7;
  return 0;
}
