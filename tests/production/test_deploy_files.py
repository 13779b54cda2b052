"""Issue 14 §1: the deploy/ folder runs what exists: its units' commands, gunicorn's config, nginx's upstream."""

import re
from pathlib import Path

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
        "bonemets-restore-drill.service",
        "bonemets-web.service",
        "bonemets-worker.service",
    ]
    for job in ("backup", "clearsessions", "restore-drill"):
        assert "OnCalendar=" in (DEPLOY / "systemd" / f"bonemets-{job}.timer").read_text()


def test_every_command_a_unit_runs_exists():
    commands = [match.group(1) for unit in UNITS for match in re.finditer(r"manage\.py (\w+)", unit.read_text())]
    assert set(commands) == {"migrate", "db_worker", "clearsessions", "backup", "restore_drill"}
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
    assert "listen 443 ssl" in nginx and "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
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
