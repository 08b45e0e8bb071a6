"""The candidate-data access log: who read, downloaded, exported or erased candidate data, as ids only."""
