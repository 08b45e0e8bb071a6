"""Minimal server-rendered account pages that e-mailed links open (confirm an address, reset a password)."""
