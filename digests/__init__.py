"""Email digests: double opt-in subscriptions, daily and breaking-news emails, unsubscribing."""
