"""Security headers: Content Security Policy with nonces and the rest."""
