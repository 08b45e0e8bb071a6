"""GraphQL at /graphql: a second face over the same services and repositories as the REST API."""
