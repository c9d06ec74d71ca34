"""URLs of travel/, mounted at /perjalanan-dinas/. Each views module owns its patterns."""

from .views import urlpatterns as core_urls
from .views_documents import urlpatterns as document_urls
from .views_posttrip import urlpatterns as posttrip_urls
from .views_reports import urlpatterns as report_urls

app_name = "travel"

urlpatterns = core_urls + document_urls + posttrip_urls + report_urls
