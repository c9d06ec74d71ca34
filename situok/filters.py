import datetime as dt

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
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


class SharedFields(dict):
    """The fields of a :class:`LeanFilterSet`'s form: ``Form.__init__`` deep-copies its fields so that
    one instance may change them; these are shared instead (a filter form never changes its fields)."""

    def __deepcopy__(self, memo):
        return dict(self)


class LeanFilterSet(django_filters.FilterSet):
    """A ``FilterSet`` whose filters, form class and form fields are built once per process.

    django-filter deep-copies every filter, builds a new form class and deep-copies its fields on every
    request (about a millisecond for a list page's filter form). Here the declared filters are shared
    read-only between requests; a ``method=`` filter calls the method on this instance, as django-filter's
    ``FilterMethod`` would. Subclasses must not change filters or fields per request (lazy labels, cached
    choices and querysets are evaluated at use, so languages and data stay current).
    """

    _lean_forms: dict[type, type] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = self.base_filters  # shared: never mutated per request
        for filter_ in self.filters.values():
            if not hasattr(filter_, "model"):
                filter_.model = queryset.model

    def get_form_class(self):
        cls = type(self)
        form_class = self._lean_forms.get(cls)
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            for field in form_class.base_fields.values():
                if not isinstance(field, forms.ModelChoiceField):
                    # Labels and declared choices change with the language only (situok_ui keeps their
                    # markup per token); cached model choices have their own token.
                    field.options_token = get_language
            self._lean_forms[cls] = form_class
        return form_class

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            filter_ = self.filters[name]
            if filter_.method is None:
                queryset = filter_.filter(queryset, value)
            elif value not in django_filters.constants.EMPTY_VALUES:  # as FilterMethod
                method = filter_.method if callable(filter_.method) else getattr(self, filter_.method)
                queryset = method(queryset, filter_.field_name, value)
        return queryset


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class DateInput(django_filters.widgets.forms.DateInput):
    input_type = "date"


class AuditEventFilter(LeanFilterSet):
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
