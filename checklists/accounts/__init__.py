"""Signing in and staying signed in: throttling, session limits, the second factor and demo accounts (issue 8)."""
