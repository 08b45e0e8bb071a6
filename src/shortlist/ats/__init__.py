"""The ATS domain: the engine (``shortlist.ats.engine``, a library with no HTTP) and the layer that serves
it: endpoints, schemas, service, repository (stored uploads), exceptions (problem types) and tasks (the
worker's parse of an upload). See docs/ats.md."""
