"""The public, read-only content API at /api/v1/ for apps and partners (docs/api.md)."""
