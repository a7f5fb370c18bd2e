from .models import Notification


def inbox(request):
    """Unread count for the top bar (one indexed COUNT per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
