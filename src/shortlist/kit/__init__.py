"""Domain-agnostic helpers used by every package."""
