// Module SwitchyardHTTP2: see docs/ARCHITECTURE.md.
