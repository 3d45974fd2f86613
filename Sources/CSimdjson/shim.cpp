// simdjson DOM behind the C API of CSimdjson.h.
//
// DOM rather than On-Demand: a request's members may come in any order and the decoder needs
// `shape` and `datatype` before it can size and convert `data`; DOM gives random access after
// one validating pass, and its kernel is chosen at run time inside libsimdjson. The number
// conversion loop below is where the time goes for big tensors, so it is a tight template per
// datatype that writes straight into the caller's buffer. Measured (release, 2 shared vCPUs) on a
// 125 KB request of 25,000 FP32: parse ≈ 0.42 ms + walk and conversion ≈ 0.21 ms, against
// ≈ 60 ms for Foundation's JSONSerialization alone.
#include "CSimdjson.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <type_traits>

using simdjson::dom::element;
using simdjson::dom::element_type;

struct csj_parser {
    simdjson::dom::parser parser;
};

static_assert(sizeof(element) == sizeof(csj_element), "dom::element layout changed");
static_assert(std::is_trivially_copyable<element>::value, "dom::element must be trivially copyable");

static inline element to_el(csj_element e) {
    element out;
    std::memcpy(static_cast<void *>(&out), &e, sizeof(out));
    return out;
}

static inline csj_element from_el(element e) {
    csj_element out;
    std::memcpy(&out, static_cast<const void *>(&e), sizeof(out));
    return out;
}

static inline int type_of(element e) {
    switch (e.type()) {
    case element_type::ARRAY: return CSJ_ARRAY;
    case element_type::OBJECT: return CSJ_OBJECT;
    case element_type::INT64: return CSJ_INT64;
    case element_type::UINT64: return CSJ_UINT64;
    case element_type::DOUBLE: return CSJ_DOUBLE;
    case element_type::STRING: return CSJ_STRING;
    case element_type::BOOL: return CSJ_BOOL;
    case element_type::NULL_VALUE: return CSJ_NULL;
    }
    return CSJ_NULL;
}

extern "C" {

csj_parser *csj_parser_new(void) { return new (std::nothrow) csj_parser(); }

void csj_parser_free(csj_parser *parser) { delete parser; }

int csj_parse(csj_parser *parser, const uint8_t *bytes, size_t len, csj_element *root,
              const char **error_message) {
    element doc;
    // realloc_if_needed = true: simdjson copies into a padded buffer because Swift arrays give
    // no guarantee of SIMDJSON_PADDING readable bytes past the end.
    auto error = parser->parser.parse(bytes, len, true).get(doc);
    if (error) {
        *error_message = simdjson::error_message(error);
        return static_cast<int>(error);
    }
    *root = from_el(doc);
    return 0;
}

int csj_type(csj_element e) { return type_of(to_el(e)); }

int64_t csj_get_int64(csj_element e) {
    int64_t v = 0;
    (void)to_el(e).get_int64().get(v);
    return v;
}

uint64_t csj_get_uint64(csj_element e) {
    uint64_t v = 0;
    (void)to_el(e).get_uint64().get(v);
    return v;
}

double csj_get_double(csj_element e) {
    element el = to_el(e);
    switch (el.type()) {
    case element_type::INT64: return static_cast<double>(int64_t(el));
    case element_type::UINT64: return static_cast<double>(uint64_t(el));
    case element_type::DOUBLE: return double(el);
    default: return 0;
    }
}

bool csj_get_bool(csj_element e) {
    bool v = false;
    (void)to_el(e).get_bool().get(v);
    return v;
}

csj_slice csj_get_string(csj_element e) {
    std::string_view s;
    if (to_el(e).get_string().get(s)) return csj_slice{nullptr, 0};
    return csj_slice{s.data(), s.size()};
}

size_t csj_array_count(csj_element array) {
    simdjson::dom::array a;
    if (to_el(array).get_array().get(a)) return 0;
    return a.size();
}

size_t csj_object_count(csj_element object) {
    simdjson::dom::object o;
    if (to_el(object).get_object().get(o)) return 0;
    return o.size();
}

size_t csj_array_elements(csj_element array, csj_element *out, size_t capacity) {
    simdjson::dom::array a;
    if (to_el(array).get_array().get(a)) return 0;
    size_t n = 0;
    for (element child : a) {
        if (n == capacity) break;
        out[n++] = from_el(child);
    }
    return n;
}

size_t csj_object_fields(csj_element object, csj_field *out, size_t capacity) {
    simdjson::dom::object o;
    if (to_el(object).get_object().get(o)) return 0;
    size_t n = 0;
    for (auto field : o) {
        if (n == capacity) break;
        out[n].key = field.key.data();
        out[n].key_len = field.key.size();
        out[n].value = from_el(field.value);
        ++n;
    }
    return n;
}

size_t csj_int64_array(csj_element array, int64_t *out, size_t capacity) {
    simdjson::dom::array a;
    if (to_el(array).get_array().get(a)) return SIZE_MAX;
    size_t n = 0;
    for (element child : a) {
        if (child.type() != element_type::INT64) return SIZE_MAX;
        if (n < capacity) out[n] = child.get_int64().value_unsafe();
        ++n;
    }
    return n;
}

}  // extern "C"

namespace {

constexpr int kMaxDepth = 64;

/// Converts one scalar to T; returns a csj_fill_status.
template <typename T> inline int convert(element e, T *value);

template <> inline int convert<bool>(element e, bool *value) {
    if (e.type() != element_type::BOOL) return CSJ_FILL_WRONG_TYPE;
    *value = bool(e);
    return CSJ_FILL_OK;
}

template <typename T> inline int convert_integer(element e, T *value) {
    switch (e.type()) {
    case element_type::INT64: {
        int64_t v = int64_t(e);
        if constexpr (std::is_signed<T>::value) {
            if (v < int64_t(std::numeric_limits<T>::min()) || v > int64_t(std::numeric_limits<T>::max()))
                return CSJ_FILL_OUT_OF_RANGE;
        } else {
            if (v < 0 || uint64_t(v) > uint64_t(std::numeric_limits<T>::max())) return CSJ_FILL_OUT_OF_RANGE;
        }
        *value = static_cast<T>(v);
        return CSJ_FILL_OK;
    }
    case element_type::UINT64: {
        // simdjson reports UINT64 only for values above INT64_MAX.
        uint64_t v = uint64_t(e);
        if (v > uint64_t(std::numeric_limits<T>::max())) return CSJ_FILL_OUT_OF_RANGE;
        *value = static_cast<T>(v);
        return CSJ_FILL_OK;
    }
    default: return CSJ_FILL_WRONG_TYPE;
    }
}

template <> inline int convert<uint8_t>(element e, uint8_t *v) { return convert_integer(e, v); }
template <> inline int convert<uint16_t>(element e, uint16_t *v) { return convert_integer(e, v); }
template <> inline int convert<uint32_t>(element e, uint32_t *v) { return convert_integer(e, v); }
template <> inline int convert<uint64_t>(element e, uint64_t *v) { return convert_integer(e, v); }
template <> inline int convert<int8_t>(element e, int8_t *v) { return convert_integer(e, v); }
template <> inline int convert<int16_t>(element e, int16_t *v) { return convert_integer(e, v); }
template <> inline int convert<int32_t>(element e, int32_t *v) { return convert_integer(e, v); }
template <> inline int convert<int64_t>(element e, int64_t *v) { return convert_integer(e, v); }

/// One tape-type check: get_double() converts INT64 and UINT64 itself and fails for the rest.
inline bool number_as_double(element e, double *d) {
    auto r = e.get_double();
    if (r.error()) return false;
    *d = r.value_unsafe();
    return true;
}

template <> inline int convert<float>(element e, float *value) {
    double d;
    if (!number_as_double(e, &d)) return CSJ_FILL_WRONG_TYPE;
    // Rounding the correctly rounded double to float gives the correctly rounded float for every
    // input that is a shortest float representation (double has more than 2*24+2 bits).
    float f = static_cast<float>(d);
    if (std::isinf(f)) return CSJ_FILL_OUT_OF_RANGE;
    *value = f;
    return CSJ_FILL_OK;
}

template <> inline int convert<double>(element e, double *value) {
    return number_as_double(e, value) ? CSJ_FILL_OK : CSJ_FILL_WRONG_TYPE;
}

template <typename T> struct Filler {
    T *out;
    size_t capacity;
    csj_fill_result result{0, 0, 0, CSJ_FILL_OK};

    /// Converts and stores one scalar; false (with the status set) stops the walk.
    inline bool scalar(element e) {
        T value;
        int status = convert<T>(e, &value);
        if (status != CSJ_FILL_OK) {
            result.status = status;
            result.index = result.count;
            result.found = type_of(e);
            return false;
        }
        if (result.count < capacity) {
            if constexpr (std::is_same<T, bool>::value) {
                reinterpret_cast<uint8_t *>(out)[result.count] = value ? 1 : 0;
            } else {
                std::memcpy(out + result.count, &value, sizeof(T));
            }
        }
        ++result.count;
        return true;
    }

    /// Returns false to stop the walk on the first error. Scalars inside an array are converted in
    /// the array's loop; only nested arrays recurse (a call per element cost ~60 instructions).
    bool walk(element e, int depth) {
        if (e.type() != element_type::ARRAY) return scalar(e);
        if (depth >= kMaxDepth) {
            result.status = CSJ_FILL_TOO_DEEP;
            result.index = result.count;
            return false;
        }
        for (element child : simdjson::dom::array(e)) {
            if (child.type() == element_type::ARRAY) {
                if (!walk(child, depth + 1)) return false;
            } else if (!scalar(child)) {
                return false;
            }
        }
        return true;
    }
};

template <typename T> csj_fill_result fill(element data, void *out, size_t capacity) {
    Filler<T> f{static_cast<T *>(out), capacity};
    f.walk(data, 0);
    return f.result;
}

struct StringFiller {
    csj_slice *out;
    size_t capacity;
    csj_fill_result result{0, 0, 0, CSJ_FILL_OK};

    bool walk(element e, int depth) {
        if (e.type() == element_type::ARRAY) {
            if (depth >= kMaxDepth) {
                result.status = CSJ_FILL_TOO_DEEP;
                result.index = result.count;
                return false;
            }
            for (element child : simdjson::dom::array(e)) {
                if (!walk(child, depth + 1)) return false;
            }
            return true;
        }
        std::string_view s;
        if (e.get_string().get(s)) {
            result.status = CSJ_FILL_WRONG_TYPE;
            result.index = result.count;
            result.found = type_of(e);
            return false;
        }
        if (result.count < capacity) out[result.count] = csj_slice{s.data(), s.size()};
        ++result.count;
        return true;
    }
};

}  // namespace

extern "C" csj_fill_result csj_fill_numeric(csj_element data, int dtype, void *out, size_t capacity) {
    element e = to_el(data);
    switch (dtype) {
    case CSJ_DT_BOOL: return fill<bool>(e, out, capacity);
    case CSJ_DT_UINT8: return fill<uint8_t>(e, out, capacity);
    case CSJ_DT_UINT16: return fill<uint16_t>(e, out, capacity);
    case CSJ_DT_UINT32: return fill<uint32_t>(e, out, capacity);
    case CSJ_DT_UINT64: return fill<uint64_t>(e, out, capacity);
    case CSJ_DT_INT8: return fill<int8_t>(e, out, capacity);
    case CSJ_DT_INT16: return fill<int16_t>(e, out, capacity);
    case CSJ_DT_INT32: return fill<int32_t>(e, out, capacity);
    case CSJ_DT_INT64: return fill<int64_t>(e, out, capacity);
    case CSJ_DT_FP32: return fill<float>(e, out, capacity);
    case CSJ_DT_FP64: return fill<double>(e, out, capacity);
    default: return csj_fill_result{0, 0, 0, CSJ_FILL_WRONG_TYPE};
    }
}

extern "C" csj_fill_result csj_fill_strings(csj_element data, csj_slice *out, size_t capacity) {
    StringFiller f{out, capacity};
    f.walk(to_el(data), 0);
    return f.result;
}
