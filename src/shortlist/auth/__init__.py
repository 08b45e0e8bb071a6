"""Accounts, tokens and the auth subject shared by every interface."""
