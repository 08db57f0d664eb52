"""Settings that were removed stop the hub at start-up instead of being silently ignored."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "name,words",
    [("TAYBAC_OTP_SENDER", "TAYBAC_SMS_SENDER"), ("TAYBAC_EPCIS_CAPTURE_KEYS", "taybac capture_key create")],
)
def test_a_removed_setting_stops_the_hub(name, words):
    env = {**os.environ, name: "something", "DJANGO_SETTINGS_MODULE": "taybac.settings"}
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert started.returncode != 0
    assert f"ImproperlyConfigured: {name} was removed" in started.stderr and words in started.stderr
    env[name] = "  "  # set but blank asks for nothing
    assert subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, check=False).returncode == 0
