"""The view counter: counts each reader's view of an article once, and shows the totals and
the "most read" lists."""
