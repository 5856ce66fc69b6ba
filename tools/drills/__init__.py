"""Fault drills: a scratch PostgreSQL, then a scratch cluster, restarted under load."""
