from django.urls import path

from . import views
from .views_import import urlpatterns as import_urls
from .views_reports import urlpatterns as report_urls

app_name = "staff"

urlpatterns = [
    path("", views.employee_list, name="employee_list"),
    path("tambah/", views.employee_create, name="employee_create"),
    path("profil-saya/", views.my_profile, name="my_profile"),
    path("profil-saya/perbaikan/", views.correction_create, name="correction_create"),
    path("pengingat/", views.reminders, name="reminders"),
    path("perbaikan/", views.correction_list, name="correction_list"),
    path("perbaikan/<int:pk>/", views.correction_decide, name="correction_decide"),
    path("perbaikan/<int:pk>/lampiran/", views.correction_attachment, name="correction_attachment"),
    path("<int:pk>/", views.employee_detail, name="employee_detail"),
    path("<int:pk>/ubah/", views.employee_edit, name="employee_edit"),
    path("<int:pk>/foto/", views.employee_photo, name="employee_photo"),
    path("<int:pk>/riwayat/<slug:kind>/tambah/", views.history_add, name="history_add"),
    path("<int:pk>/dokumen/tambah/", views.document_upload, name="document_upload"),
    path("<int:pk>/dokumen/<int:doc_pk>/", views.document_download, name="document_download"),
]

# Import (Excel) and reports live in their own modules and join this namespace.
urlpatterns += import_urls + report_urls
