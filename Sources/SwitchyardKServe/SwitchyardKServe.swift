// Module SwitchyardKServe: see docs/ARCHITECTURE.md.
