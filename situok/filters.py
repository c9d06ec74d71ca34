import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .audit import AuditEvent


class DateInput(django_filters.widgets.forms.DateInput):
    input_type = "date"


class AuditEventFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="iexact", label=_("Pengguna (nama login)")
    )
    action = django_filters.CharFilter(field_name="action", lookup_expr="startswith", label=_("Aksi"))
    date_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Dari tanggal"), widget=DateInput
    )
    date_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Sampai tanggal"), widget=DateInput
    )
    target_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.order_by("app_label", "model"), label=_("Jenis objek")
    )
    target_id = django_filters.CharFilter(label=_("ID objek"))

    class Meta:
        model = AuditEvent
        fields = ["user", "action", "date_from", "date_to", "target_type", "target_id"]
