"""Webhooks: signing, verification and delivery."""
