// Module SwitchyardHTTP1: see docs/ARCHITECTURE.md.
