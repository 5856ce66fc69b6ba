"""Sign-in throttling (django-axes behind a small backend).

django-axes counts failed sign-ins per (username, address) and refuses a locked pair. Its
backend needs the HTTP request; calls without one (the test client's ``login()``, shell
scripts) cannot be brute-forced over the network, so they pass straight to the next backend.
"""

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
