"""The desk's intake: agency wires polled into the «الوكالات» queue and taken into drafts, and
the day's story budget of pitches planned into assignments."""
