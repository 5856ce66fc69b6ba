"""Articles: the newsroom's content and desk (sections, authors, articles, bylines, corrections,
images, workflow) and the reading pages."""
