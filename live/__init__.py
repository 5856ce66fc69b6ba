"""Live coverage: an article that gains short timed entries while an event unfolds, watched by
readers without reloading (desk panel, reader block, polling endpoint, feed, JSON-LD)."""
