"""HTTP plumbing shared by every router: middleware, errors, transactions, idempotency, rate limits."""
