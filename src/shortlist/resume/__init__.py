"""Resumes: JSON Resume documents with versions, soft delete and concurrency control."""
