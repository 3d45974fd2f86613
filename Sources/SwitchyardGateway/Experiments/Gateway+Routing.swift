#if canImport(Glibc)
import Glibc
#endif
import SwitchyardCore
import SwitchyardKServe
import SwitchyardRouting
import SwitchyardServer
import SwitchyardTransport

/// Deciding which variant answers a request to an experiment's endpoint.
extension Gateway {
    /// The routing decision when `name` is an experiment (and the request named no version:
    /// addressing a version directly bypasses experiments); nil otherwise.
    func route(experiment name: String, headers: HTTPHeaders, target: String?, context: RequestContext) -> RoutedCall? {
        guard let experiments else { return nil }
        let state = loopState(context)
        let view = experiments.publisher.view(cached: &state.experimentsView, models: repository)
        guard let route = view.routes[name] else { return nil }
        let requestID = headers["x-request-id"] ?? state.nextRequestID()
        // Most experiments read no request attribute (no sticky key, no override): skip building
        // the closures over the headers for them.
        let attributes = route.readsAttributes ? RequestAttributes(headers: headers, target: target, requestID: requestID)
                                               : RequestAttributes(requestID: requestID)
        guard let assignment = Router.assign(route.compiled, request: attributes, revision: view.snapshot.revision,
                                             random: state.nextRandom()) else { return nil }
        return RoutedCall(assignment: assignment, route: route, signingKey: view.signer.signingKey, unit: assignment.unit ?? requestID,
                          issuedAt: Int64(time(nil)), loop: context.loop.index)
    }
}

extension Gateway {
    /// The model version a routed request runs on. A variant whose model is not loaded is the
    /// gateway's fault (503), not the client's: the request named a valid experiment.
    func resolveVariant(_ call: RoutedCall) throws(KServeError) -> ModelRepository.Served {
        // Resolved when the loop's view was made, and still current (see `ExperimentRoute.served`).
        if let served = call.route.served[call.variant.index] { return served }
        do {
            return try repository.resolve(call.reference)
        } catch {
            throw KServeError.unavailable("variant '\(call.variant.name)' of experiment '\(call.assignment.experiment)' "
                                          + "routes to model '\(call.variant.model)' version \(call.variant.version): \(error.message)")
        }
    }
}
