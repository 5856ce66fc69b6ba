"""Old addresses keep answering: every public object's earlier slugs, the desk's own redirects
and the archive's imported paths, served by one middleware with one indexed lookup on a 404."""
