from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField as FilterModelChoiceField

from . import derived


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Nama pengguna atau NIP"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Nama pengguna/NIP atau kata sandi salah. Perhatikan huruf besar dan kecil pada kata sandi."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi Administrator."),
    }


class CachedModelChoiceIterator(ModelChoiceIterator):
    """Choices from the field's cached objects instead of a query per rendering."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.field.cached_objects():
            yield self.choice(obj)

    def __len__(self):
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(self.field.cached_objects()) + extra

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.cached_objects())


class CachedModelChoiceField(FilterModelChoiceField):
    """A model choice (filter) field whose options are read once per version of ``depends_on``
    (situok/derived.py) — a units dropdown on every list page costs no query. Validation looks the
    value up in the same cached objects, so the cleaned value is a model instance as usual (read-only:
    it is shared between requests)."""

    iterator = CachedModelChoiceIterator

    def __init__(self, *args, depends_on: tuple[str, ...], cache_key: str | None = None, **kwargs):
        self.depends_on = depends_on
        self.cache_key = cache_key  # describes the queryset; computed from its SQL when not given
        super().__init__(*args, **kwargs)

    def cached_objects(self) -> list:
        queryset = self.queryset
        key = self.cache_key or derived.queryset_key(queryset)
        # .all(): the field may be shared between requests (LeanFilterSet); evaluating its own queryset
        # would fill that queryset's result cache once and for all.
        return derived.cached(
            "choices|" + key, depends_on=self.depends_on, compute=lambda: list(queryset.all())
        )

    def options_token(self):
        """When the rendered options change (situok_ui keeps them on the field): the language and the
        version of the cached objects; ``None`` (do not keep) when the data is not versioned."""
        key = derived.versioned_key(
            "choices|" + (self.cache_key or derived.queryset_key(self.queryset)), self.depends_on
        )
        return None if key is None else (get_language(), key)

    def to_python(self, value):
        if self.null_label is not None and value == self.null_value:
            return value
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        wanted = str(value)
        for obj in self.cached_objects():
            if str(getattr(obj, key)) == wanted:
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )
