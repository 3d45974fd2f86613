// liblz4 from Debian: the block and frame APIs.
#include <lz4.h>
#include <lz4frame.h>
