// C API over simdjson (C++), see SwitchyardKServe.
#ifndef CSIMDJSON_H
#define CSIMDJSON_H
#endif
