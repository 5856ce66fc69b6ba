"""The archive: imports an outlet's old site (WordPress exports, saved pages) and answers its
old addresses with redirects."""
