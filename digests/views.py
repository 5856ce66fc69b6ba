"""The newsletter pages: subscribe, confirm (double opt-in), unsubscribe (one click).

None of them is cached (they carry a CSRF token or act on a secret link). Confirming and
unsubscribing from a link take a POST: mail scanners that open links change nothing.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from digests import services
from digests.forms import SubscribeForm
from newsroom.links import site_origin
from newsroom.ratelimit import check_rate_limit, too_many_requests


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """The form; on POST the Arabic confirmation email (nothing stored before it is confirmed)."""
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        scope = "digest-subscribe"
        wait = check_rate_limit(request, scope, settings.NEWSROOM_RATE_LIMITS[scope])
        if wait is not None:
            return too_many_requests(request, wait, scope)
        if form.is_valid():
            data = form.cleaned_data
            # The same answer whether the address is new, subscribed or over its daily
            # number of confirmations: the page never tells who subscribes.
            if not services.too_many_confirmations(data["email"]):
                try:
                    services.send_confirmation(
                        email=data["email"],
                        daily=data["daily"],
                        breaking=data["breaking"],
                        origin=site_origin(request),
                        language=get_language(),
                    )
                except services.SendFailed:
                    form.add_error(
                        None,
                        _(
                            "We could not send the confirmation email just now. Please try "
                            "again in a few minutes."
                        ),
                    )
            if not form.errors:
                return redirect("digests:sent")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "digests/subscribe.html", {"form": form}, status=status)


def sent(request):
    return render(request, "digests/sent.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    data = services.read_confirmation(token)
    if data is None:
        return render(request, "digests/link_invalid.html", status=400)
    if request.method == "POST":
        services.confirm(data)
        return render(request, "digests/confirmed.html", {"data": data})
    return render(request, "digests/confirm.html", {"data": data})


@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click", with no token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (the button, or the mail program's one click) unsubscribes.
    An unknown token gets the same answer: the link has done its job already. A token that
    cannot be one of ours (a link cut short or mistyped) is said to be so, instead of a
    button that would pretend to unsubscribe."""
    if not services.is_token(token):
        return render(request, "digests/link_invalid.html", {"unsubscribing": True}, status=400)
    if request.method == "POST":
        services.unsubscribe(token)
        return render(request, "digests/unsubscribed.html")
    return render(request, "digests/unsubscribe.html", {"token": token})
