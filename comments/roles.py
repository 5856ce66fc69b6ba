"""The comment moderators' permissions, as (app label, codename) pairs read from their row of
the one role table (articles/roles.py): migration 0002, which made the group, reads them here.
Nothing here may import models: the migration imports this module."""

from articles.roles import MODERATORS, ROLE_PERMISSIONS

GROUP = MODERATORS
PERMISSIONS = [tuple(code.split(".")) for code in ROLE_PERMISSIONS[MODERATORS]]
