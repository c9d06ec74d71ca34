from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import views
from .permissions import public
from .views_approvals import urlpatterns as approval_urls
from .views_calendar import urlpatterns as calendar_urls
from .views_notifications import urlpatterns as notification_urls
from .views_verification import urlpatterns as verification_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("akun/kata-sandi/", views.password_change, name="password_change"),
    path("audit/", views.audit_list, name="audit_list"),
    path("ekspor/<slug:identifier>/<slug:fmt>/", views.export_download, name="export_download"),
    path("i18n/bahasa/", public(set_language), name="set_language"),
    path("healthz/", views.healthz, name="healthz"),
    path("pegawai/", include("staff.urls")),
    path("perjalanan-dinas/", include("travel.urls")),
    path("peminjaman/", include("bookings.urls")),
    path("admin/", admin.site.urls),
]

# Shared workflow pages live in their own modules.
urlpatterns += notification_urls + calendar_urls + approval_urls + verification_urls

if settings.SITUOK_BENCH:  # performance harness only; never mounted otherwise
    from bench import views as bench_views

    urlpatterns += [
        path("bench/bare/", bench_views.bare, name="bench_bare"),
        path("bench/reference-list/", bench_views.reference_list, name="bench_reference_list"),
    ]
