"""Public, read-only share links to a resume: created and revoked by the owner, opened without an account."""
