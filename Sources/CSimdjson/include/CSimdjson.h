// C API over simdjson's DOM parser, for SwitchyardKServe.
//
// Why a C shim: Swift cannot import simdjson's C++ templates without C++ interop mode, and the hot
// path (numbers of a tensor's `data` array) must not cross the language boundary per element.
// So Swift walks the small structural part of a document (objects, short arrays, strings) through
// element handles, and hands each `data` array to one call that flattens it, converts every
// number by datatype with range checks and writes straight into the tensor's byte buffer.
#ifndef CSIMDJSON_H
#define CSIMDJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A reusable parser; owns the parsed document until the next parse or free. Not thread-safe.
typedef struct csj_parser csj_parser;

/// A handle to one value of the current document (a copy of simdjson's dom::element: a document
/// pointer and a tape index). Valid until the next csj_parse on the same parser.
typedef struct csj_element {
    const void *doc;
    size_t index;
} csj_element;

typedef enum csj_kind {
    CSJ_ARRAY = 1,
    CSJ_OBJECT = 2,
    CSJ_INT64 = 3,
    CSJ_UINT64 = 4,
    CSJ_DOUBLE = 5,
    CSJ_STRING = 6,
    CSJ_BOOL = 7,
    CSJ_NULL = 8,
} csj_kind;

/// An object member: key bytes (not NUL-terminated; valid as long as the document) and value.
typedef struct csj_field {
    const char *key;
    size_t key_len;
    csj_element value;
} csj_field;

/// A string's bytes, valid as long as the document.
typedef struct csj_slice {
    const char *ptr;
    size_t len;
} csj_slice;

/// Element kinds for csj_fill_numeric; each element is written little-endian in its native size.
typedef enum csj_dtype {
    CSJ_DT_BOOL = 1,
    CSJ_DT_UINT8 = 2,
    CSJ_DT_UINT16 = 3,
    CSJ_DT_UINT32 = 4,
    CSJ_DT_UINT64 = 5,
    CSJ_DT_INT8 = 6,
    CSJ_DT_INT16 = 7,
    CSJ_DT_INT32 = 8,
    CSJ_DT_INT64 = 9,
    CSJ_DT_FP32 = 10,
    CSJ_DT_FP64 = 11,
} csj_dtype;

typedef enum csj_fill_status {
    CSJ_FILL_OK = 0,
    /// The element at `index` has JSON type `found` where the datatype needs another kind.
    CSJ_FILL_WRONG_TYPE = 1,
    /// The element at `index` is a number outside the datatype's range.
    CSJ_FILL_OUT_OF_RANGE = 2,
    /// Arrays nested deeper than the limit.
    CSJ_FILL_TOO_DEEP = 3,
} csj_fill_status;

typedef struct csj_fill_result {
    /// Number of scalar elements found (all of them, even those beyond `capacity`).
    size_t count;
    /// Flat index of the offending element when status != OK.
    size_t index;
    /// csj_kind of the offending element when status == WRONG_TYPE.
    int found;
    int status;
} csj_fill_result;

csj_parser *csj_parser_new(void);
void csj_parser_free(csj_parser *parser);

/// Parses `len` bytes. On success stores the root and returns 0; otherwise returns simdjson's
/// error code and stores its message (a static string) in `*error_message`.
int csj_parse(csj_parser *parser, const uint8_t *bytes, size_t len, csj_element *root,
              const char **error_message);

int csj_type(csj_element e);
int64_t csj_get_int64(csj_element e);
uint64_t csj_get_uint64(csj_element e);
/// The value of any number element as a double.
double csj_get_double(csj_element e);
bool csj_get_bool(csj_element e);
csj_slice csj_get_string(csj_element e);

/// Number of elements of an array / members of an object.
size_t csj_array_count(csj_element array);
size_t csj_object_count(csj_element object);
/// Writes up to `capacity` elements / members to `out`; returns how many were written.
size_t csj_array_elements(csj_element array, csj_element *out, size_t capacity);
size_t csj_object_fields(csj_element object, csj_field *out, size_t capacity);

/// Reads an array whose elements are all JSON integers within int64 (tensor shapes) in one call:
/// writes up to `capacity` of them to `out` and returns the element count, or SIZE_MAX when
/// `array` is not an array or holds anything else (the caller then reports which element).
size_t csj_int64_array(csj_element array, int64_t *out, size_t capacity);

/// Flattens `data` (a scalar, a flat array or arrays nested to any depth up to 64, row-major) and
/// converts each scalar to `dtype`, writing at most `capacity` elements to `out`. Conversion
/// rules: BOOL takes only true/false; integer types take only JSON integers within range; FP32
/// and FP64 take any number (FP32 rejects finite values beyond its range). Counting continues
/// past `capacity` so the caller can report the real element count.
csj_fill_result csj_fill_numeric(csj_element data, int dtype, void *out, size_t capacity);

/// Like csj_fill_numeric for BYTES: every scalar must be a string; slices go to `out`.
csj_fill_result csj_fill_strings(csj_element data, csj_slice *out, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
