#if canImport(Glibc)
import Glibc
#endif
import SwitchyardHTTP1

/// The `date` header value, formatted at most once per second per loop.
final class DateCache {
    private var second = -1
    private var value = ""

    var current: String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &ts)
        let s = Int(ts.tv_sec)
        if s != second {
            second = s
            value = HTTPDate.format(unixSeconds: s)
        }
        return value
    }
}
