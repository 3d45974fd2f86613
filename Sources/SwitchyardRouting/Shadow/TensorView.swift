/// A model output as shadow comparison sees it: a name, a shape and typed flat values.
/// The gateway bridges its runtime/KServe tensors into this; nothing here depends on them.
public struct TensorView: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case float32([Float])
        case float64([Double])
        case int64([Int64])
        case bool([Bool])
        case string([String])

        public var count: Int {
            switch self {
            case .float32(let v): return v.count
            case .float64(let v): return v.count
            case .int64(let v): return v.count
            case .bool(let v): return v.count
            case .string(let v): return v.count
            }
        }

        /// "float", "int", "bool" or "string": tensors compare only within one family
        /// (a float32 primary against a float64 shadow is still a float comparison).
        public var family: String {
            switch self {
            case .float32, .float64: return "float"
            case .int64: return "int"
            case .bool: return "bool"
            case .string: return "string"
            }
        }

        /// Values as Double for float tensors, nil otherwise.
        var doubles: [Double]? {
            switch self {
            case .float32(let v): return v.map(Double.init)
            case .float64(let v): return v
            default: return nil
            }
        }
    }

    public var name: String
    public var shape: [Int]
    public var values: Values

    public init(name: String, shape: [Int], values: Values) {
        self.name = name
        self.shape = shape
        self.values = values
    }

    /// Rows for arg-max agreement: the last dimension is the class axis. A rank-0 or rank-1 tensor
    /// is one row; a last dimension of 1 (a single score) has no arg-max.
    var classRows: (rows: Int, classes: Int)? {
        let classes = shape.last ?? values.count
        guard classes > 1, values.count % classes == 0 else { return nil }
        return (values.count / classes, classes)
    }
}
