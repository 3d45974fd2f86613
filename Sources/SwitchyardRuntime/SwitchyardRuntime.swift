// Module SwitchyardRuntime: see docs/ARCHITECTURE.md.
