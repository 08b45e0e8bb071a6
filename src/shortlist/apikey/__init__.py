"""API keys: long-lived, scoped, revocable credentials for integrations."""
