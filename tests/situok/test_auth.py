import datetime as dt
import time

import pytest
import time_machine
from django.urls import reverse

from situok.audit import AuditEvent
from situok.middleware import SESSION_STARTED_KEY
from staff.demo import DEMO_PASSWORD


def _login(client, username, password=DEMO_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_login_by_username_lands_on_home_and_is_audited(client, personas):
    response = _login(client, "pegawai")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert AuditEvent.objects.filter(action="auth.login", actor=personas["pegawai"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("spaced", [False, True])
def test_login_by_nip_with_or_without_spaces(client, personas, spaced):
    nip = personas["atasan"].employee.nip
    typed = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" if spaced else nip
    response = _login(client, typed)
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == personas["atasan"]


@pytest.mark.django_db
def test_failed_login_shows_an_indonesian_error_and_is_audited(client, personas):
    response = _login(client, "pegawai", "salah-sekali-123")
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed", data__username="pegawai").exists()


@pytest.mark.django_db
def test_logout_is_audited(client_as, personas):
    client = client_as("pegawai")
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="auth.logout", actor=personas["pegawai"]).exists()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_open_redirects_after_login_are_refused(client, personas):
    response = client.post(
        reverse("login"), {"username": "pegawai", "password": DEMO_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_lockout_is_per_username_and_ip_and_cools_off(client, personas, settings):
    start = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _login(client, "pegawai", "salah-sekali-123")
        locked = _login(client, "pegawai")  # even the right password is refused while locked
        assert locked.status_code == 429
        assert "coba lagi" in locked.content.decode()
        # A colleague behind the same office NAT address is not locked out.
        assert _login(client, "atasan").status_code == 302
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1), tick=False):
        assert _login(client, "pegawai").status_code == 302


@pytest.mark.django_db
def test_idle_session_expires_after_30_minutes(client, personas):
    start = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _login(client, "pegawai")
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("home")).status_code == 200  # activity slides the window
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_session_ends_after_12_hours_even_when_active(client, personas):
    _login(client, "pegawai")
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 12 * 3600 - 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_password_change_enforces_the_policy_in_indonesian(client_as):
    client = client_as("pegawai")
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": "pendek", "new_password2": "pendek"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "invalid-feedback" in html and "12" in html


@pytest.mark.django_db
def test_password_change_succeeds_and_is_audited(client_as, personas):
    client = client_as("pegawai")
    new = "Kopi-Bali-Kintamani-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    personas["pegawai"].refresh_from_db()
    assert personas["pegawai"].check_password(new)
    assert AuditEvent.objects.filter(action="auth.password_changed").exists()
