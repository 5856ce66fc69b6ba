"""Uploads: every image a person sends is judged, re-encoded, kept in its renditions and stored.

Judging and re-encoding images and making their renditions (``images.py``), the ``pre_save``
receiver that re-encodes every ``ImageField`` upload (``reencode.py``), images kept for a form
that came back with an error (``kept.py``, ``purge_kept_uploads``), object storage on S3
(``storage.py``) and the view that serves uploads in development (``views.py``).

Called ``uploads`` rather than ``media``: ``media/`` at the project's root is ``MEDIA_ROOT``
(the uploaded files themselves), which nginx serves as it is."""
