// Module SwitchyardTransport: see docs/ARCHITECTURE.md.
