// Placeholder so the SimFUSETests target builds until the fuse branch adds its tests (added on branch sim).
