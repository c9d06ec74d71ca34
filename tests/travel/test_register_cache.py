"""The SPT register's cached dropdowns (situok/derived.py groups "regions", "travel_budget", "staff") are
fresh on the next request after a write, and the filter form shared between requests keeps no values."""

from __future__ import annotations

import pytest
from django.urls import reverse
from matrix_travel import setup_travel

from situok import derived
from situok.regions import Region
from travel.models import BudgetLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel(personas):
    setup_travel()
    return personas


def test_a_new_or_renamed_budget_line_shows_in_the_register_filter_on_the_next_request(client_as, travel):
    client = client_as("perjalanan")
    url = reverse("travel:register")
    line = BudgetLine.objects.create(year=2026, kode_rekening="5.1.02.04.01.0001", name="Belanja perjadin")
    assert "Belanja perjadin" in client.get(url).content.decode()
    BudgetLine.objects.filter(pk=line.pk).update(name="Perjalanan dinas dalam daerah")
    html = client.get(url).content.decode()
    assert "Perjalanan dinas dalam daerah" in html and "Belanja perjadin" not in html
    response = client.get(url, {"budget_line": line.pk})
    assert response.context["filter"].form.cleaned_data["budget_line"].name == "Perjalanan dinas dalam daerah"


def test_region_writes_bump_the_regions_version_and_the_dropdown_follows(client_as, travel):
    client = client_as("perjalanan")
    url = reverse("travel:register")
    province = Region.objects.filter(level=Region.Level.PROVINCE).order_by("name").first()
    client.get(url)
    before = derived.versions()["regions"]
    Region.objects.filter(pk=province.pk).update(name="Provinsi Berganti Nama")
    assert derived.versions()["regions"] != before
    assert "Provinsi Berganti Nama" in client.get(url).content.decode()


def test_the_selected_filter_value_does_not_leak_into_the_next_request(client_as, travel):
    client = client_as("perjalanan")
    url = reverse("travel:register")
    province = Region.objects.filter(level=Region.Level.PROVINCE).order_by("name").first()
    chosen = client.get(url, {"province": province.pk}).content.decode()
    assert f'<option value="{province.pk}" selected>' in chosen
    assert f'<option value="{province.pk}" selected>' not in client.get(url).content.decode()
