import importlib
import importlib.util

from django.urls import path

from . import views

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

# Import (Excel) and reports live in their own modules; they join this namespace when present.
for _module in ("staff.views_import", "staff.views_reports"):
    if importlib.util.find_spec(_module) is not None:
        urlpatterns += importlib.import_module(_module).urlpatterns
