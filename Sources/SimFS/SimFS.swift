// SimFS: the simulated machine that drives Core in tests and in bootsim (see DESIGN.md, "SimFS semantics").
// Start at `SimWorld`. Nothing here reads the real clock, real randomness or the real file system.
@_exported import Core
