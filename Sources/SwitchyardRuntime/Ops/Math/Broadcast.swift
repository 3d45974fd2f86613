/// NumPy-style multidirectional broadcasting for the element-wise binary ops.
enum Broadcast {
    static func shape(_ a: [Int], _ b: [Int]) throws(OpError) -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else {
                throw OpError("shapes \(a) and \(b) cannot be broadcast together")
            }
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// True when `small`, stripped of leading 1s, is a suffix of `out`: it then repeats every
    /// `small.count` elements (a bias vector over rows).
    static func isPeriodicSuffix(_ small: some ShapeCollection, of out: some ShapeCollection) -> Bool {
        let trimmed = small.drop(while: { $0 == 1 })
        return trimmed.count <= out.count && out.suffix(trimmed.count).elementsEqual(trimmed)
    }

    /// Applies `f` element-wise with broadcasting. Fast paths: equal shapes, a scalar side, a
    /// periodic suffix (row vector); otherwise an odometer over the output.
    @inline(__always)
    static func apply<A, B, R>(_ a: UnsafePointer<A>, _ aShape: some ShapeCollection, _ b: UnsafePointer<B>,
                               _ bShape: some ShapeCollection, _ out: UnsafeMutablePointer<R>,
                               _ outShape: some ShapeCollection, _ f: (A, B) -> R) {
        let n = outShape.reduce(1, *)
        let na = aShape.reduce(1, *), nb = bShape.reduce(1, *)
        if na == n && nb == n {
            for i in 0..<n { out[i] = f(a[i], b[i]) }
        } else if nb == 1 && na == n {
            let s = b[0]
            for i in 0..<n { out[i] = f(a[i], s) }
        } else if na == 1 && nb == n {
            let s = a[0]
            for i in 0..<n { out[i] = f(s, b[i]) }
        } else if na == n && nb > 0 && isPeriodicSuffix(bShape, of: outShape) {
            var i = 0
            while i < n {
                for j in 0..<nb { out[i + j] = f(a[i + j], b[j]) }
                i += nb
            }
        } else if nb == n && na > 0 && isPeriodicSuffix(aShape, of: outShape) {
            var i = 0
            while i < n {
                for j in 0..<na { out[i + j] = f(a[j], b[i + j]) }
                i += na
            }
        } else if n > 0 {
            let sa = strides(aShape, outShape), sb = strides(bShape, outShape)
            let rank = outShape.count
            var index = [Int](repeating: 0, count: rank)
            var ia = 0, ib = 0
            for i in 0..<n {
                out[i] = f(a[ia], b[ib])
                var d = rank - 1
                while d >= 0 {
                    index[d] += 1
                    ia += sa[d]; ib += sb[d]
                    if index[d] < outShape[d] { break }
                    ia -= sa[d] * outShape[d]; ib -= sb[d] * outShape[d]
                    index[d] = 0
                    d -= 1
                }
            }
        }
    }

    /// Element strides of `shape` aligned to `out`'s rank, 0 along broadcast dimensions.
    static func strides(_ shape: some ShapeCollection, _ out: some ShapeCollection) -> [Int] {
        var result = [Int](repeating: 0, count: out.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            let o = i + out.count - shape.count
            result[o] = shape[i] == 1 ? 0 : step
            step *= shape[i]
        }
        return result
    }
}
