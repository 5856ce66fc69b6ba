"""Desk accounts: two-factor sign-in for the desk (django-otp), signed-in sessions, and the
publish record (who published what, from which session, with or without the second factor)."""
