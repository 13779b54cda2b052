"""Issue 14 §1: the deploy/ folder runs what exists: its units' commands, gunicorn's config, nginx's upstream."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import get_commands
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from user_sessions.models import Session

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def test_there_is_a_unit_for_the_web_server_the_task_worker_and_each_scheduled_job_with_its_timer():
    assert [unit.name for unit in UNITS] == [
        "bonemets-backup.service",
        "bonemets-clearsessions.service",
        "bonemets-escalate.service",
        "bonemets-restore-drill.service",
        "bonemets-web.service",
        "bonemets-worker.service",
    ]
    for job in ("backup", "clearsessions", "escalate", "restore-drill"):
        assert "OnCalendar=" in (DEPLOY / "systemd" / f"bonemets-{job}.timer").read_text()


def test_every_command_a_unit_runs_exists():
    commands = [match.group(1) for unit in UNITS for match in re.finditer(r"manage\.py (\w+)", unit.read_text())]
    assert set(commands) == {"migrate", "db_worker", "clearsessions", "backup", "restore_drill", "escalate_overdue"}
    assert set(commands) <= get_commands().keys()
    web = (DEPLOY / "systemd" / "bonemets-web.service").read_text()
    assert "--config deploy/gunicorn.conf.py bonemets.wsgi" in web and (DEPLOY / "gunicorn.conf.py").exists()


def test_every_unit_reads_the_environment_file_and_runs_unprivileged():
    for unit in UNITS:
        text = unit.read_text()
        assert "EnvironmentFile=/etc/bonemets/bonemets.env" in text and "User=bonemets" in text, unit.name
        assert "UMask=0077" in text and "NoNewPrivileges=true" in text, unit.name


def test_nginx_speaks_tls_says_so_to_the_app_and_hides_its_version():
    nginx = (DEPLOY / "nginx" / "bonemets.conf").read_text()
    # Debian 12's nginx 1.22 knows no `http2 on;`: HTTP/2 goes in the listen line.
    assert "listen 443 ssl http2;" in nginx and "http2 on" not in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    # Logs name the path, never the query string ($request, $request_uri, $args); both servers use that format.
    log_format = re.search(r"^log_format bonemets (.*?);", nginx, re.MULTILINE | re.DOTALL).group(1)
    assert "$uri" in log_format and "$upstream_http_x_request_id" in log_format
    assert not re.search(r"\$(request|request_uri|args|query_string)\b", log_format)
    assert nginx.count("access_log /var/log/nginx/bonemets-access.log bonemets;") == 2
    assert "server_tokens off;" in nginx and "return 301 https://" in nginx
    assert "proxy_pass http://127.0.0.1:8000;" in nginx


def test_the_admin_has_no_page_for_sessions_authenticator_devices_or_queued_tasks():
    for model in (Session, TOTPDevice, StaticDevice, DBTaskResult):
        assert not admin.site.is_registered(model), model


def test_env_example_lists_every_variable_the_settings_and_gunicorn_read():
    repo = DEPLOY.parent
    read = set()
    for path in (repo / "bonemets" / "settings.py", DEPLOY / "gunicorn.conf.py", repo / "manage.py"):
        read |= set(re.findall(r'(?:os\.environ\.(?:get|setdefault)|env_bool|env_list)\("([A-Z_]+)"', path.read_text()))
    listed = set(re.findall(r"^([A-Z_]+)=", (repo / ".env.example").read_text(), re.MULTILINE))
    assert "SECRET_KEY" in read and "GUNICORN_WORKERS" in read
    assert read - {"DJANGO_SETTINGS_MODULE"} <= listed, read - listed


def test_nginx_accepts_the_config(tmp_path):
    """`nginx -t` on Debian 12's nginx (1.22), with a throw-away certificate in place of the hospital's."""
    import shutil
    import subprocess

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (CI installs it: apt-get install nginx-core)")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=bonemets.test"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "bonemets.conf").read_text()
    site = site.replace("/etc/ssl/certs/bonemets.hospital.example.pem", str(cert))
    site = site.replace("/etc/ssl/private/bonemets.hospital.example.key", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
