"""Reader comments: our layer over django-comments-xtd (the form, posting rules, spam defence,
moderation and mail)."""
