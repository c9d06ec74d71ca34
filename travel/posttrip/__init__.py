"""After the trip (issue 5 items 4-back, 6, 7): visum stops, expenses and the cost sheet, advance and
payment, the trip report with its acknowledgement, overdue reminders and settlement.

Services (every write) and the selectors the post-trip views, the panel and the PDFs read.

Cost rules (domain.md §2.5), all Decimal and whole rupiah through :func:`travel.costs.money`:

* lump sum — *uang harian* and *representasi* × days, from the rates **frozen on the SPPD** at approval
  (``daily_rate``, ``representation_rate``); days are the SPT's, fewer when the traveller came back
  early (``actual_return_date``); *penginapan 30 %* for the nights without a hotel bill when the traveller
  declared they used no hotel (``Sppd.no_hotel``) and ``settings.TRAVEL_NO_HOTEL_RULE`` (default on);
* at cost — every :class:`~travel.models.TripExpense`; ``amount`` is the line total (``quantity`` is
  informative, e.g. nights), a hotel line is capped at ``quantity × lodging_ceiling`` (the frozen
  ceiling); an expense without a receipt goes on the *daftar pengeluaran riil* (DPR).

Editing the rate tables therefore never changes an SPPD: :func:`sppd_recompute` reads only the SPPD's
own snapshot (the one exception — a ceiling that was never frozen because no lodging was expected at
approval — is looked up once, for the departure date, and frozen then).
"""

from ._common import (
    COST_STATUSES,
    EXPENSE_DAYS_BEFORE,
    EXPENSE_FIELDS,
    EXPENSE_LINE_KIND,
    MAX_REPORT_ATTACHMENTS,
    MAX_REPORT_PHOTOS,
    NOT_RETURNED_YET,
    NOTIFICATION_CATEGORY,
    OVERDUE_KIND,
    POSTTRIP_STATUSES,
    REPORT_FIELDS,
    REQUIRED_REPORT_FIELDS,
    STARTED_STATUSES,
    VISUM_DAYS_AFTER,
    VISUM_DAYS_BEFORE,
    PostTripError,
    Status,
    no_hotel_rule_enabled,
    report_due_working_days,
    stop_blocks,
)
from .access import (
    expense_get_for_user,
    report_can_acknowledge,
    report_can_file,
    report_file_get_for_user,
    report_supervisor,
    sppd_can_record,
    sppd_costs_open,
    sppd_get_for_user,
    sppd_is_traveller,
    trip_has_returned,
    trip_has_started,
    trip_lead,
)
from .costsheet import (
    TOTAL_FIELDS,
    CostSummary,
    sppd_cost_summary,
    sppd_days,
    sppd_dpr_expenses,
    sppd_has_lodging,
    sppd_recompute,
)
from .expenses import (
    expense_delete,
    expense_save,
    sppd_advance_set,
    sppd_mark_paid,
    sppd_no_hotel_set,
    sppd_payment_undo,
    trip_settle,
)
from .reports import (
    ReportState,
    report_reminders_daily,
    report_reminders_send,
    reports_due_count,
    reports_due_for,
    reports_overdue,
    reports_to_acknowledge_count,
    reports_to_acknowledge_for,
    trip_report_acknowledge,
    trip_report_due,
    trip_report_file_delete,
    trip_report_save,
    trip_report_state,
    trip_sppds,
)
from .visum import sppd_stops_initial, sppd_stops_save

__all__ = [
    "COST_STATUSES",
    "EXPENSE_DAYS_BEFORE",
    "EXPENSE_FIELDS",
    "EXPENSE_LINE_KIND",
    "MAX_REPORT_ATTACHMENTS",
    "MAX_REPORT_PHOTOS",
    "NOTIFICATION_CATEGORY",
    "NOT_RETURNED_YET",
    "OVERDUE_KIND",
    "POSTTRIP_STATUSES",
    "REPORT_FIELDS",
    "REQUIRED_REPORT_FIELDS",
    "STARTED_STATUSES",
    "TOTAL_FIELDS",
    "VISUM_DAYS_AFTER",
    "VISUM_DAYS_BEFORE",
    "CostSummary",
    "PostTripError",
    "ReportState",
    "Status",
    "expense_delete",
    "expense_get_for_user",
    "expense_save",
    "no_hotel_rule_enabled",
    "report_can_acknowledge",
    "report_can_file",
    "report_due_working_days",
    "report_file_get_for_user",
    "report_reminders_daily",
    "report_reminders_send",
    "report_supervisor",
    "reports_due_count",
    "reports_due_for",
    "reports_overdue",
    "reports_to_acknowledge_count",
    "reports_to_acknowledge_for",
    "sppd_advance_set",
    "sppd_can_record",
    "sppd_cost_summary",
    "sppd_costs_open",
    "sppd_days",
    "sppd_dpr_expenses",
    "sppd_get_for_user",
    "sppd_has_lodging",
    "sppd_is_traveller",
    "sppd_mark_paid",
    "sppd_no_hotel_set",
    "sppd_payment_undo",
    "sppd_recompute",
    "sppd_stops_initial",
    "sppd_stops_save",
    "stop_blocks",
    "trip_has_returned",
    "trip_has_started",
    "trip_lead",
    "trip_report_acknowledge",
    "trip_report_due",
    "trip_report_file_delete",
    "trip_report_save",
    "trip_report_state",
    "trip_settle",
    "trip_sppds",
]
