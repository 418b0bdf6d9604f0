"""Security headers: Content Security Policy with nonces and the rest.

Imported at the end of `base.py`, so every environment sends the same headers. What
each one is for, and how to check them: docs/security.md ("Headers").

Set in `base.py` already: X-Frame-Options DENY, X-Content-Type-Options nosniff and
Referrer-Policy same-origin. HSTS is production's (`production.py`): a browser
remembers it, so a development server on plain HTTP must never send it.
"""

from csp.constants import NONCE, NONE, SELF

# Only the settings leave this module (`base.py` imports it with `*`).
__all__ = ["CONTENT_SECURITY_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY", "PERMISSIONS_POLICY"]

# Content Security Policy (django-csp 4). Everything comes from this origin; a script
# runs only from a file here or, if inline, carrying the request's nonce
# (`nonce="{{ request.csp_nonce }}"`); no inline style at all (styles live in
# static/src/main.scss). GOV.UK Frontend's CSS asks for no images or fonts (see
# main.scss) and the Django admin's are files here, so no `data:` either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Opened from another site's tab, a page here shares no window with it.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Browser features no page here uses: off for this origin and anything it embeds.
# Sent by cspr.headers.CacheControlMiddleware (Django has no setting for it).
PERMISSIONS_POLICY = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
