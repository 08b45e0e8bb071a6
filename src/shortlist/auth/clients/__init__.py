"""OAuth2 clients: integrations that sign in with the client-credentials grant."""
