// Module SwitchyardKernels: see docs/ARCHITECTURE.md.
