"""URLs of bookings/, mounted at /peminjaman/."""

from .views import urlpatterns as core_urls

app_name = "bookings"

urlpatterns = core_urls
