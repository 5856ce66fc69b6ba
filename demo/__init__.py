"""The demo newsroom: sample sections, authors and articles (``load_demo``) and generated
newsrooms for benchmarks (``generate_newsroom``)."""
