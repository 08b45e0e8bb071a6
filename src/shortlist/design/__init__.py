"""The look of a resume through the API: saved designs, rendering with a cache, and the templates catalogue."""
