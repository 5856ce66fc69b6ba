"""The front page built by its editors: a layout of ordered blocks with hand-picked, timed slots
and backfill rules, edited as a draft, previewed, published with its history kept."""
