import Foundation
import SwitchyardRouting
import SwitchyardStats

/// `POST /v2/experiments/{name}/outcomes`: outcome events reported by the application.
///
/// Body: one event, or `{"events": [event, ...]}`. An event is
/// `{"token": "<assignment token>" | "unit": "<unit key>", "metric": "converted", "value": 1,
///   "event_id": "order-123", "covariate": 17.5}`:
/// - `token` (from the routed response) names the variant and is verified; `unit` is accepted
///   for sticky experiments and attributed to the unit's sticky variant under the current weights.
/// - `value` is a number (binary metrics: 0/1 or true/false); `event_id` makes retries idempotent;
///   `covariate` is the unit's pre-period value for CUPED (continuous metrics only).
/// The batch is validated whole before anything is recorded: one bad event rejects the batch
/// with every problem listed, so a client can fix and resend it without double counting.
struct OutcomeBatch {
    struct Event: Decodable {
        var token: String?
        var unit: String?
        var metric: String?
        var value: Value?
        var eventID: String?
        var covariate: Double?

        enum CodingKeys: String, CodingKey {
            case token, unit, metric, value, covariate
            case eventID = "event_id"
        }
    }

    /// A number, or a boolean for binary metrics.
    enum Value: Decodable {
        case number(Double)
        case bool(Bool)

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b); return }
            self = .number(try c.decode(Double.self))
        }

        var double: Double {
            switch self {
            case .number(let d): return d
            case .bool(let b): return b ? 1 : 0
            }
        }
    }

    private struct Envelope: Decodable { var events: [Event] }

    /// One event ready to record.
    struct Resolved: Sendable {
        var variant: Int
        var metric: Int
        var value: Double
        var eventID: String?
        var covariate: Double?
    }

    struct Rejection: Encodable, Sendable {
        var index: Int
        var error: String
    }

    let events: [Event]

    /// Parses the body; the message says what is wrong with it.
    init(json body: [UInt8]) throws(OutcomeBatchError) {
        guard !body.isEmpty else { throw OutcomeBatchError("empty body: expected an outcome event or {\"events\": [...]}") }
        let decoder = JSONDecoder()
        let data = Data(body)
        if let envelope = try? decoder.decode(Envelope.self, from: data) {
            events = envelope.events
        } else {
            do {
                events = [try decoder.decode(Event.self, from: data)]
            } catch {
                throw OutcomeBatchError("body is not an outcome event or {\"events\": [...]}: \(Self.describe(error))")
            }
        }
        guard !events.isEmpty else { throw OutcomeBatchError("\"events\" is empty") }
        guard events.count <= 10_000 else { throw OutcomeBatchError("\(events.count) events in one batch (at most 10000)") }
    }

    /// Checks every event against the experiment; returns the resolved events or every rejection.
    func resolve(experiment: CompiledExperiment, stats: ExperimentStats, signer: AssignmentTokenSigner)
        -> (resolved: [Resolved], rejections: [Rejection]) {
        var resolved: [Resolved] = []
        var rejections: [Rejection] = []
        let metrics = stats.recorder.config.metrics
        for (index, event) in events.enumerated() {
            func reject(_ message: String) { rejections.append(Rejection(index: index, error: message)) }
            guard let name = event.metric else { reject("\"metric\" is missing"); continue }
            guard let metric = metrics.firstIndex(where: { $0.name == name }) else {
                let known = metrics.map(\.name)
                reject("unknown metric '\(name)' (experiment '\(experiment.name)' has \(known.isEmpty ? "no metrics" : known.joined(separator: ", ")))")
                continue
            }
            guard let value = event.value?.double else { reject("\"value\" is missing"); continue }
            do throws(StatsError) {
                try stats.recorder.checkOutcome(metric: metric, value: value, covariate: event.covariate)
            } catch {
                reject(error.description)
                continue
            }
            let variantName: String
            switch (event.token, event.unit) {
            case (let token?, nil):
                do throws(TokenError) {
                    variantName = try signer.verify(token, experiment: experiment.name).variant
                } catch {
                    reject("assignment token rejected: \(error)")
                    continue
                }
            case (nil, let unit?):
                guard experiment.config.sticky != nil else {
                    reject("experiment '\(experiment.name)' is not sticky: send the assignment \"token\" instead of a \"unit\"")
                    continue
                }
                guard !unit.isEmpty, let index = Router.stickyIndex(experiment, unitKey: unit) else { reject("\"unit\" is empty"); continue }
                variantName = experiment.variants[index].name
            case (nil, nil): reject("either \"token\" or \"unit\" is required"); continue
            case (_?, _?): reject("give either \"token\" or \"unit\", not both"); continue
            }
            guard let variant = stats.variantIndex[variantName] else {
                reject("variant '\(variantName)' is no longer part of experiment '\(experiment.name)'")
                continue
            }
            resolved.append(Resolved(variant: variant, metric: metric, value: value, eventID: event.eventID,
                                     covariate: event.covariate))
        }
        return (resolved, rejections)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "body" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

struct OutcomeBatchError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
