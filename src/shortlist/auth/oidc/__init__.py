"""Sign in with OpenID Connect: any number of providers from settings, PKCE, state and nonce, ID tokens
verified against the provider's published keys, accounts linked only on a verified e-mail."""
