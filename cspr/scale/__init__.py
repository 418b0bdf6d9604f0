"""A fictional national-scale dataset for benchmarks (`manage.py seed_scale`), and how a
load-test script signs its people in.

Every seeded person signs in with `BENCH_PASSWORD` and, as the second factor, the code
of their authenticator app: a TOTP device (django-otp, 30-second steps, 6 digits) whose
key is derived from the username, so `sign_in_code(username)` gives the code the app
would show now. It needs nothing but the standard library (no Django set-up), so a
locust script can import it as it is.

Signing in, as the browser does:

1. GET  /sign-in/                   read the `csrftoken` cookie (or the form's
                                    `csrfmiddlewaretoken`)
2. POST /sign-in/                   csrfmiddlewaretoken, username, password
                                    -> 302 to /account/second-factor/?next=/
3. GET  /account/second-factor/     the CSRF token changes at sign-in: read it again
4. POST /account/second-factor/     csrfmiddlewaretoken, code=sign_in_code(username)
                                    -> 302 to the home page: signed in

django-otp accepts each code once: a person signs in at most once per 30-second step
(use `ahead=1` for a second sign-in within the same step; after a refused code wait a
second before the next attempt, django-otp throttles). Give each simulated user its own
seeded person and keep the session: it lasts 30 minutes idle, 12 hours in all.
"""

import hashlib
import hmac
import struct
import time

# The password of every seeded (fictional) person. Never a real account's.
BENCH_PASSWORD = "bench-only-fictional-2026"  # noqa: S105  # nosec B105

# The name of the seeded people's authenticator-app devices.
BENCH_DEVICE = "Benchmark app (fictional)"
STEP = 30
DIGITS = 6
_KEY_SALT = b"cspr.scale bench device key"


def device_key(username: str) -> str:
    """The hex key (20 bytes) of the person's seeded TOTP device."""
    return hmac.new(_KEY_SALT, username.encode(), hashlib.sha1).hexdigest()


def sign_in_code(username: str, *, at: float | None = None, ahead: int = 0) -> str:
    """The 6-digit code the seeded person's authenticator app shows at `at` (now by
    default), or `ahead` steps later (django-otp accepts one step either side)."""
    moment = time.time() if at is None else at
    counter = int(moment) // STEP + ahead
    digest = hmac.new(bytes.fromhex(device_key(username)), struct.pack(">Q", counter), "sha1")
    raw = digest.digest()
    offset = raw[-1] & 0x0F
    value = struct.unpack(">I", raw[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"
