import Foundation
import SwitchyardCore
import SwitchyardServer
import SwitchyardRouting
import SwitchyardStats
import SwitchyardTransport

extension Gateway {
    /// `POST /v2/experiments/{name}/outcomes` (see ``OutcomeBatch`` for the body).
    /// 200 `{"accepted": n, "duplicates": d}`; 400 with every rejected event, nothing recorded;
    /// 404 for an unknown experiment.
    func recordOutcomes(experiment name: String, _ request: HTTPRequest, context: RequestContext, writer: ResponseWriter) {
        guard let experiments else {
            return writer.complete(.error(.notFound, "unknown experiment '\(name)': the gateway runs without experiments"))
        }
        let view = experiments.publisher.view(cached: &loopState(context).experimentsView, models: repository)
        guard let route = view.routes[name], let stats = route.stats else {
            return writer.complete(.error(.notFound, "unknown experiment '\(name)'"))
        }
        let batch: OutcomeBatch
        do throws(OutcomeBatchError) { batch = try OutcomeBatch(json: request.body) } catch {
            return writer.complete(.error(.badRequest, error.message))
        }
        let (events, rejections) = batch.resolve(experiment: route.compiled, stats: stats, signer: view.signer)
        if !rejections.isEmpty {
            let body = OutcomeRejection(error: "\(rejections.count) of \(batch.events.count) events rejected; nothing was recorded",
                                        events: rejections)
            return writer.complete(.json(.badRequest, Self.encodeJSON(body)))
        }
        var accepted = 0, duplicates = 0
        for e in events {
            do {
                if try stats.recorder.recordOutcome(loop: context.loop.index, variant: e.variant, metric: e.metric, value: e.value,
                                                    eventID: e.eventID, covariate: e.covariate) {
                    accepted += 1
                } else {
                    duplicates += 1
                }
            } catch {
                // Every event passed the recorder's own checkOutcome above; reaching this is a bug, say so.
                return writer.complete(.error(.internalServerError, "outcome not recorded: \(error) (after \(accepted) accepted)"))
            }
        }
        writer.complete(.json(.ok, "{\"accepted\":\(accepted),\"duplicates\":\(duplicates)}"))
    }

    private struct OutcomeRejection: Encodable {
        var error: String
        var events: [OutcomeBatch.Rejection]
    }

    static func encodeJSON(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        guard let data = try? encoder.encode(value) else { return Array("{\"error\":\"response could not be encoded\"}".utf8) }
        return Array(data)
    }
}
