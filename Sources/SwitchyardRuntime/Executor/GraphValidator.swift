/// Load-time checks that need the op registry: every node's op exists at the model's opset, and
/// the nodes can be ordered so every value is defined before use.
enum GraphValidator {
    /// Kahn's algorithm, stable with respect to file order (files are usually sorted already).
    static func topologicallySorted(_ graph: Graph) throws(ModelError) -> [Node] {
        var producer: [String: Int] = [:]
        for (i, node) in graph.nodes.enumerated() {
            for name in node.outputs where !name.isEmpty {
                if producer[name] != nil || graph.initializers[name] != nil || graph.inputs.contains(where: { $0.name == name }) {
                    throw ModelError.node(node, .invalidGraph, "value '\(name)' is defined more than once")
                }
                producer[name] = i
            }
        }
        var pendingInputs = [Int](repeating: 0, count: graph.nodes.count)
        var consumers = [[Int]](repeating: [], count: graph.nodes.count)
        for (i, node) in graph.nodes.enumerated() {
            for name in Set(node.inputs) where !name.isEmpty {
                if let p = producer[name] {
                    pendingInputs[i] += 1
                    consumers[p].append(i)
                } else if graph.initializers[name] == nil && !graph.inputs.contains(where: { $0.name == name }) {
                    throw ModelError.node(node, .invalidGraph, "input '\(name)' is not produced by any node, initializer or graph input")
                }
            }
        }
        var ready = (0..<graph.nodes.count).filter { pendingInputs[$0] == 0 }.reversed() as [Int]
        var order: [Node] = []
        while let i = ready.popLast() {
            order.append(graph.nodes[i])
            for c in consumers[i].reversed() {
                pendingInputs[c] -= 1
                if pendingInputs[c] == 0 { ready.append(c) }
            }
        }
        guard order.count == graph.nodes.count else {
            let stuck = graph.nodes.indices.first { pendingInputs[$0] > 0 }.map { graph.nodes[$0].name } ?? "?"
            throw ModelError(.invalidGraph, "the graph has a cycle (at node '\(stuck)')")
        }
        return order
    }

    /// Looks up and builds the operator of every node.
    static func buildOperators(_ graph: Graph) throws(ModelError) -> [any Operator] {
        for (domain, version) in graph.opsets {
            guard let range = OpRegistry.supportedOpsets[domain] else {
                if graph.nodes.contains(where: { $0.domain == domain }) {
                    throw ModelError(.unsupportedVersion, "opset domain '\(domain)' is not supported (supported: ai.onnx, ai.onnx.ml)")
                }
                continue
            }
            guard range.contains(version) else {
                throw ModelError(.unsupportedVersion, "opset \(domain.isEmpty ? "ai.onnx" : domain) version \(version) is not supported (supported: \(range.lowerBound)–\(range.upperBound))")
            }
        }
        var operators: [any Operator] = []
        operators.reserveCapacity(graph.nodes.count)
        for node in graph.nodes {
            guard let opset = graph.opsets[node.domain] else {
                throw ModelError.node(node, .unsupportedVersion, "the model does not import an opset for domain '\(node.domain.isEmpty ? "ai.onnx" : node.domain)'")
            }
            let spec = try OpRegistry.spec(for: node, opset: opset)
            operators.append(try spec.make(node, OpBuildContext(initializers: graph.initializers, opset: opset)))
        }
        return operators
    }
}
