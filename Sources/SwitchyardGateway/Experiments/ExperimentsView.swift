import SwitchyardCore
import SwitchyardKServe
import SwitchyardRouting
import Synchronization

/// What the event loops read for every routed request: one routing snapshot and the statistics
/// objects of its experiments, published together so that a request never sees the variants of
/// one revision with the recorder of another.
final class ExperimentsView: Sendable {
    let generation: Int
    /// For a loop's copy, the repository's `changeCount` when its variants were resolved
    /// (`ExperimentRoute.served`); -1 for the shared view, which resolves nothing.
    let modelChanges: Int
    let snapshot: RoutingSnapshot
    /// The configuration's signer, or the gateway's own (state-directory secret) when the
    /// configuration has no `tokens` section.
    let signer: AssignmentTokenSigner
    /// Everything a routed request needs about its experiment, found with one lookup.
    let routes: [String: ExperimentRoute]

    /// The statistics of an experiment of this view.
    func stats(_ experiment: String) -> ExperimentStats? { routes[experiment]?.stats }

    init(generation: Int, snapshot: RoutingSnapshot, stats: [String: ExperimentStats], signer: AssignmentTokenSigner,
         models: ModelRepository? = nil) {
        self.generation = generation
        self.snapshot = snapshot
        self.signer = signer
        // Read before resolving: a change during the resolution leaves this copy stale, never current.
        modelChanges = models?.changeCount ?? -1
        routes = snapshot.experiments.mapValues { ExperimentRoute($0, stats: stats[$0.name], models: models) }
    }

    /// A copy of this view for one event loop: the same snapshot, statistics and signer, with its
    /// own view and route objects, and each variant's model version resolved in `models`.
    ///
    /// Why: a routed request retains and releases its view and its route. With one set of objects
    /// for all loops, those reference counts lived in cache lines that every loop wrote, moving
    /// between cores on each request; a loop's own copies are written by that loop only. Made
    /// once per loop per configuration change and per model load or unload.
    func copyForLoop(models: ModelRepository) -> ExperimentsView {
        ExperimentsView(generation: generation, snapshot: snapshot, stats: routes.compactMapValues(\.stats), signer: signer,
                        models: models)
    }
}

/// One experiment prepared for the request path: per variant (by configuration index) its model
/// reference and its index in the statistics recorder.
final class ExperimentRoute: Sendable {
    let compiled: CompiledExperiment
    let stats: ExperimentStats?
    /// Per variant and per shadow (by its index in the `shadow` list), the model version it runs.
    let references: [ModelReference]
    let shadowReferences: [ModelReference]
    let statsIndex: [Int]
    /// Per variant, the response fields naming the experiment and the variant, packed once here
    /// and copied into each routed response with one `memcpy` (see `RoutedCall.decorate`).
    let variantFields: [HTTPHeaders]
    /// Whether routing reads request attributes at all (a sticky key or override rules).
    let readsAttributes: Bool
    /// Per variant, its model version as the repository served it when this route was made (nil:
    /// not loaded then, or the shared view). Valid while the repository's `changeCount` equals the
    /// view's `modelChanges`, which the publisher checks before handing the view to a request:
    /// a routed request then skips the repository's lock, name lookup and version parse
    /// (−625 instructions of routing's ~5,700 over a direct request, `instructions.sh routed`).
    /// A loop that routes nothing after a model is unloaded keeps that version's model alive
    /// until its next routed request (or outcome batch) replaces its copy.
    let served: [ModelRepository.Served?]
    /// The same for each shadow of the experiment (by its index in the `shadow` list).
    let shadowServed: [ModelRepository.Served?]

    init(_ compiled: CompiledExperiment, stats: ExperimentStats?, models: ModelRepository?) {
        self.compiled = compiled
        self.stats = stats
        references = compiled.variants.map { ModelReference(name: $0.model, version: String($0.version)) }
        shadowReferences = compiled.shadows.map { ModelReference(name: $0.model, version: String($0.version)) }
        func resolved(_ ref: ModelReference) -> ModelRepository.Served? { models.flatMap { try? $0.resolve(ref) } }
        served = references.map(resolved)
        shadowServed = shadowReferences.map(resolved)
        variantFields = compiled.variants.map { variant in
            var fields = HTTPHeaders()
            fields.addLowercased(name: RoutedCall.experimentHeader, value: compiled.name)
            fields.addLowercased(name: RoutedCall.variantHeader, value: variant.name)
            return fields
        }
        statsIndex = compiled.variants.map { stats?.variantIndex[$0.name] ?? $0.index }
        readsAttributes = compiled.config.sticky != nil || !compiled.overrides.isEmpty
    }
}

/// Publishes ``ExperimentsView``s to the event loops without a lock on the request path: each
/// loop keeps the view it last used and only compares an atomic generation number per request;
/// the mutex is taken once per loop after a change (a handful of times per configuration change,
/// never per request).
final class ExperimentsViewPublisher: Sendable {
    private let generation: Atomic<Int>
    private let current: Mutex<ExperimentsView>

    init(_ initial: ExperimentsView) {
        generation = Atomic(initial.generation)
        current = Mutex(initial)
    }

    /// The newest view (control side: admin API, canary driver, persistence).
    var view: ExperimentsView { current.withLock { $0 } }

    /// Publishes a view built from `snapshot`; generations increase with every publication.
    func publish(snapshot: RoutingSnapshot, stats: [String: ExperimentStats], signer: AssignmentTokenSigner) {
        current.withLock { stored in
            let next = ExperimentsView(generation: stored.generation + 1, snapshot: snapshot, stats: stats, signer: signer)
            stored = next
            generation.store(next.generation, ordering: .releasing)
        }
    }

    /// The view for one request on a loop: `cached` when still current, else a loop's own copy of
    /// the new one (stored back; see ``ExperimentsView/copyForLoop(models:)``).
    /// Also made anew when `models` changed since the cached copy resolved its variants.
    @inline(__always)
    func view(cached: inout ExperimentsView?, models: ModelRepository) -> ExperimentsView {
        if let view = cached, view.generation == generation.load(ordering: .acquiring),
           view.modelChanges == models.changeCount { return view }
        let fresh = current.withLock { $0 }.copyForLoop(models: models)
        cached = fresh
        return fresh
    }
}
