// Module SwitchyardRouting: see docs/ARCHITECTURE.md.
