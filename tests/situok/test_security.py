import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_pages_send_a_csp_without_inline_scripts(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in csp


def test_templates_have_no_inline_scripts_and_no_cdn():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"inline script in {path}"
        assert not re.search(r"\bon(click|load|change|submit)=", text), f"inline handler in {path}"
        assert not re.search(r"https?://(cdn|unpkg|cdnjs|code\.jquery)", text), f"CDN link in {path}"


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "situok.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-test-key-" + "y" * 30,
        "ALLOWED_HOSTS": "situok.baliprov.go.id",
        "DATABASE_URL": "postgres://situok@127.0.0.1:5432/situok",
        "STATIC_ROOT": str(tmp_path),
    }
    static = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert static.returncode == 0, static.stderr  # manifest storage resolves every referenced file
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "situok.settings", "DEBUG": "0", "SECRET_KEY": ""}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr + result.stdout


@pytest.mark.django_db
def test_media_has_no_public_url(client_as):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("rahasia/sk.pdf", ContentFile(b"%PDF-1.4 %%EOF"))
    client = client_as("admin")
    for url in (f"/media/{name}", f"/{name}", f"{settings.MEDIA_URL}{name}"):
        assert client.get(url).status_code == 404, url


def test_templates_have_no_inline_styles_blocked_by_the_csp():
    for path in (ROOT / "templates").rglob("*.html"):
        if "emails" in path.parts:  # e-mail clients need inline styles; no CSP applies there
            continue
        text = path.read_text()
        assert not re.search(r"\sstyle=", text), f"inline style attribute in {path}"
        assert "<style" not in text, f"style element in {path}"
