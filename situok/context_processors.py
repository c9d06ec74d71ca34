from django.conf import settings

from .permissions import menu_for


def shell(request):
    """Navigation and institution names for base.html."""
    user = getattr(request, "user", None)
    return {
        "menu_items": menu_for(user) if user is not None else [],
        "institution": settings.SITUOK_INSTITUTION,
    }
