// Module SwitchyardStats: see docs/ARCHITECTURE.md.
