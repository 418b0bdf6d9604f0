from django.conf import settings


def service(request):
    """The header's service name: the signed-in person's partnership, if any."""
    user = getattr(request, "user", None)
    partnership = getattr(user, "partnership", None) if user and user.is_authenticated else None
    return {"service_name": partnership.name if partnership else settings.SERVICE_NAME}
