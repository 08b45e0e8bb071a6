"""Adapters to the outside world: cache, outbound HTTP."""
