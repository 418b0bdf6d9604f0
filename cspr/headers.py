"""Response headers the settings cannot express."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class CacheControlMiddleware:
    """Keep what this service renders out of every cache, and turn off browser features.

    Every response except a static file gets `Cache-Control: no-store` and
    `Pragma: no-cache`: pages, redirects, errors, PDFs and downloads alike. That is more
    than "every response to a signed-in user and from every case-data view", on
    purpose: a view that forgets to say it shows case data cannot leak it through a
    browser's back button, a shared computer's disk cache or a proxy, and nothing
    dynamic here is worth caching. Static files never reach this middleware
    (WhiteNoise answers them first); the path test is for a server that hands them on.

    A Cache-Control header a view set itself is left as it is (`never_cache`, the PDF
    helper's `no-store`, or a deliberate choice); only Pragma is added beside a
    no-store or no-cache.

    It also sends Permissions-Policy from `settings.PERMISSIONS_POLICY`.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        features = getattr(settings, "PERMISSIONS_POLICY", ())
        self.permissions_policy = ", ".join(f"{feature}=()" for feature in features)

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if request.path.startswith(settings.STATIC_URL):
            return response
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True)
        directives = response["Cache-Control"].lower()
        if "no-store" in directives or "no-cache" in directives:
            response.headers.setdefault("Pragma", "no-cache")
        return response
