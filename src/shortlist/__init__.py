"""Shortlist: a resume platform."""
