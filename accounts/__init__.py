"""Members: sign-up, the public profile, and API tokens."""
