import datetime as dt

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import derived
from .audit import AuditEvent
from .forms import CachedModelChoiceField


class CachedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` whose options are cached per version of ``depends_on`` (a tuple of
    situok/derived.py group names covering every table the option queryset reads)."""

    field_class = CachedModelChoiceField
    _keys: dict[int, str] = {}  # declaration (creation_counter survives the per-request copies) → key

    @property
    def field(self):
        if not hasattr(self, "_field") and not callable(self.queryset):
            # A declared queryset never changes: describe its SQL once per process, not per request.
            key = self._keys.get(self.creation_counter)
            if key is None:
                key = self._keys[self.creation_counter] = derived.queryset_key(self.queryset)
            self.extra["cache_key"] = key
        return super().field


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class DateInput(django_filters.widgets.forms.DateInput):
    input_type = "date"


class AuditEventFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(method="by_user", label=_("Pengguna (nama login)"))
    action = django_filters.CharFilter(field_name="action", lookup_expr="startswith", label=_("Aksi"))
    date_from = django_filters.DateFilter(method="from_date", label=_("Dari tanggal"), widget=DateInput)
    date_to = django_filters.DateFilter(method="to_date", label=_("Sampai tanggal"), widget=DateInput)
    target_type = CachedModelChoiceFilter(
        queryset=ContentType.objects.order_by("app_label", "model"),
        depends_on=("contenttypes",),
        label=_("Jenis objek"),
    )
    target_id = django_filters.CharFilter(label=_("ID objek"))

    class Meta:
        model = AuditEvent
        fields = ["user", "action", "date_from", "date_to", "target_type", "target_id"]

    def by_user(self, queryset, name, value):
        # Through the indexed actor id (audit_actor_idx), not a text scan of a million rows.
        user = get_user_model().objects.filter(username__iexact=value.strip()).first()
        return queryset.filter(actor=user) if user else queryset.none()

    # Events are appended in time order, so a date bound is the id of the first event at or after
    # the bound's midnight (WITA) — one index lookup — and the list keeps paging by id.
    def from_date(self, queryset, name, value):
        first = (
            AuditEvent.objects.filter(created_at__gte=_day_start(value))
            .order_by("created_at")
            .values("id")[:1]
        )
        return queryset.filter(id__gte=first) if first.exists() else queryset.none()

    def to_date(self, queryset, name, value):
        after = _day_start(value + dt.timedelta(days=1))
        first_after = AuditEvent.objects.filter(created_at__gte=after).order_by("created_at").values("id")[:1]
        return queryset.filter(id__lt=first_after) if first_after.exists() else queryset
