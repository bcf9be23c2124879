// SimFS: the simulated machine that drives Core in tests and in bootsim (see DESIGN.md, "SimFS semantics").
@_exported import Core
