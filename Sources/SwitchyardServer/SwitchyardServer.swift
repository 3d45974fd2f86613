// Module SwitchyardServer: see docs/ARCHITECTURE.md.
