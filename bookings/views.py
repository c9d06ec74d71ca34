"""Views of bookings/, mounted at /peminjaman/ (app_name "bookings"). Each views module owns its patterns:

- :mod:`bookings.views_requests` — request form (single and recurring), my bookings, booking and series
  pages, cancel/reschedule, and the Operator's bump, driver and no-show actions;
- :mod:`bookings.views_calendar` — calendars, the ICS feed, the daily schedule per building;
- :mod:`bookings.views_triplog` — vehicle handover and return;
- :mod:`bookings.views_search` — availability, resources, the history search, reports.
"""

from .views_calendar import urlpatterns as calendar_urls
from .views_requests import urlpatterns as request_urls
from .views_search import urlpatterns as search_urls
from .views_triplog import urlpatterns as triplog_urls

urlpatterns = request_urls + calendar_urls + triplog_urls + search_urls
