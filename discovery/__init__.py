"""Discovery: how readers and machines find articles (search, feeds, sitemaps, share links,
link metadata)."""
