"""Who may run live coverage: the editors («المحررون»), whose live permissions are in the one
role table (articles/roles.py); the desk asks these two questions."""

POST = "live.add_liveentry"
MANAGE = "live.change_livecoverage"


def can_post(user) -> bool:
    return user.has_perm(POST)


def can_manage(user) -> bool:
    return user.has_perm(MANAGE)
