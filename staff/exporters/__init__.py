"""Staff reports as exporters (design.md §3.8): staff list, DUK, composition recap, reminders, DRH.

All are downloaded through ``situok.views.export_download`` (``/ekspor/<identifier>/<fmt>/?<filters>``),
which checks ``available_for(user)`` and audit-logs the download with its filters. Every queryset starts
from :func:`staff.selectors.employee_list_for_user`; personal data is masked unless the user has FULL
access *and* asks for it (``pribadi=1``).

Query parameters:

- ``staff-list``: the staff list filters (``staff.filters.EmployeeFilter``: ``q``, ``unit``,
  ``employee_type``, ``golongan``, ``status``, ``position_kind``, ``sort``) and ``pribadi=1``;
- ``staff-duk``: ``unit`` (OrgUnit id, sub-units included; none = every unit) and ``on`` (ISO date the
  masa kerja and age are counted to; default today);
- ``staff-recap``: ``unit``;
- ``staff-reminders``: ``on``, ``kind`` (comma-separated ``staff.reminders.ReminderKind`` codes), ``unit``;
- ``staff-drh``: ``pegawai`` (Employee id; none = the user's own record).
"""

from ._common import CHUNK, TRUE_VALUES, golongan_label, name_with_titles, report_date, wants_personal
from .drh import DrhExporter, drh_data, drh_employee_for
from .duk import DukExporter, duk_rows, unit_signer
from .lists import RemindersExporter, StaffListExporter
from .recap import RecapExporter, staff_recap, unit_subtree_values, write_recap_xlsx

__all__ = [
    "CHUNK",
    "TRUE_VALUES",
    "DrhExporter",
    "DukExporter",
    "RecapExporter",
    "RemindersExporter",
    "StaffListExporter",
    "drh_data",
    "drh_employee_for",
    "duk_rows",
    "golongan_label",
    "name_with_titles",
    "report_date",
    "staff_recap",
    "unit_signer",
    "unit_subtree_values",
    "wants_personal",
    "write_recap_xlsx",
]
