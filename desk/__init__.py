"""The desk together: edit locks and stale-save refusal, internal notes, assignments, the
editors' dashboard and its charts, and the breaking-news ticker."""
