/// Parses `set-weights` arguments: `control=90 candidate=10` (a trailing `%` is allowed).
public enum WeightArguments {
    public static func parse(_ arguments: [String]) throws(AdminClientError) -> [String: Double] {
        guard !arguments.isEmpty else { throw .invalidRequest("set-weights needs at least one VARIANT=WEIGHT, e.g. control=90 candidate=10") }
        var weights: [String: Double] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw .invalidRequest("\"\(argument)\" is not VARIANT=WEIGHT (e.g. candidate=10)")
            }
            let name = String(argument[..<equals]).trimmingWhitespace
            var number = String(argument[argument.index(after: equals)...]).trimmingWhitespace
            if number.hasSuffix("%") { number.removeLast() }
            guard !name.isEmpty else { throw .invalidRequest("\"\(argument)\" has no variant name before \"=\"") }
            guard let weight = Double(number), weight.isFinite else {
                throw .invalidRequest("the weight of \(name) must be a number, got \"\(number)\"")
            }
            guard weight >= 0 else { throw .invalidRequest("the weight of \(name) must be ≥ 0, got \(number)") }
            guard weights[name] == nil else { throw .invalidRequest("variant \(name) is given twice") }
            weights[name] = weight
        }
        return weights
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
