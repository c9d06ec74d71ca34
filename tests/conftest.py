"""Personas shared by the whole suite (design.md §3.14).

``personas`` builds the small demo bureau — Biro Umum with its Bagian and Subbagian, plus Biro Hukum
for the outsider — and returns the login of each persona by name:

admin (Administrator) · pimpinan (leader, head of the Biro) · atasan (head of the Subbagian where
pegawai and honorer work) · kepegawaian · perjalanan · bendahara · ppk · pengurus · peminjaman ·
humas · pegawai (an ASN employee) · honorer (non-ASN) · luar (an employee of another unit).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from situok.services import roles_sync
from staff.demo import DEMO_PASSWORD, seed_people

PERSONA_NAMES = (
    "admin", "pimpinan", "atasan", "kepegawaian", "perjalanan", "bendahara", "ppk",
    "pengurus", "peminjaman", "humas", "pegawai", "honorer", "luar",
)  # fmt: skip


@pytest.fixture
def personas(db):
    roles_sync()
    seed_people(scale=0, password=DEMO_PASSWORD)
    users = (
        get_user_model()
        .objects.select_related("employee__unit")
        .in_bulk(PERSONA_NAMES, field_name="username")
    )
    return {name: users[name] for name in PERSONA_NAMES}


@pytest.fixture
def client_as(personas):
    """``client_as("pegawai")`` → a test client logged in as that persona (``"anon"``: logged out)."""

    def make(name: str) -> Client:
        client = Client()
        if name != "anon":
            client.force_login(personas[name])
        return client

    return make
