// libnghttp2 from Debian (1.52: the ssize_t API; no *2 variants).
#include <nghttp2/nghttp2.h>
#include "block_pool.h"
