from django.conf import settings


def service(request):
    """The header's service name: the signed-in person's partnership, if any."""
    user = getattr(request, "user", None)
    partnership = getattr(user, "partnership", None) if user and user.is_authenticated else None
    return {
        "service_name": partnership.name if partnership else settings.SERVICE_NAME,
        "unread_notifications": _Unread(user) if partnership else None,
    }


class _Unread:
    """The header's unread count, read from the database only when a page shows it."""

    def __init__(self, user):
        self.user = user
        self._count = None

    @property
    def count(self):
        if self._count is None:
            from cspr.selectors import unread_count

            self._count = unread_count(self.user)
        return self._count
