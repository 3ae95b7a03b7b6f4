"""What the tests share: fixtures (browser, OIDC provider, Stripe server) and helpers per domain."""
