"""Identity: operators, staff, customers and API clients; passwords, access tokens and route guards."""
