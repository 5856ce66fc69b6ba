"""The cluster of real engines on loopback (``make cluster``, the drill, tests/cluster)."""
