// Module SwitchyardGateway: see docs/ARCHITECTURE.md.
