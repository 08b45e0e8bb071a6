"""Labelled synthetic corpus, renderers and field metrics used by the tests and bench/ats_eval.py."""
