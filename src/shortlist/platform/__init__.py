"""Adapters to the outside world, each with an embedded default and a real backend."""
