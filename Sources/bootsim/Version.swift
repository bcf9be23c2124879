/// bootsim's version, recorded in every report: `merge` refuses reports of different versions, whose seeds
/// may not do the same. Raise it with any change to what a seed does (the harness, a scenario step, podrt).
let bootsimVersion = "0.1.0"
