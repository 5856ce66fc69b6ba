"""The project package: settings, root URLs, the page cache and fragments, security and
logging middleware, rate limits, health and backups, shared by every app."""
