/// Name, element type and shape of a model input or output. Dynamic dimensions are -1, with the
/// symbolic name (e.g. `N`) in `dimensionNames` when the model gives one.
public struct TensorInfo: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let elementType: ElementType
    public let shape: [Int]
    public let dimensionNames: [String?]

    public init(name: String, elementType: ElementType, shape: [Int], dimensionNames: [String?]? = nil) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
        self.dimensionNames = dimensionNames ?? Array(repeating: nil, count: shape.count)
    }

    /// `[N, 1, 28, 28]`-style rendering used in error messages.
    public var shapeDescription: String {
        let dims = zip(shape, dimensionNames).map { dim, name in dim >= 0 ? String(dim) : (name ?? "-1") }
        return "[" + dims.joined(separator: ", ") + "]"
    }

    public var description: String { "\(name): \(elementType) \(shapeDescription)" }
}
