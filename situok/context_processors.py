from django.conf import settings


def shell(request):
    """Institution names for templates (base.html builds its navigation in situok_shell)."""
    return {"institution": settings.SITUOK_INSTITUTION}
