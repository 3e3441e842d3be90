"""The classroom settings in .streamlit/config.toml are valid and known to Streamlit.

Streamlit ignores the whole file when its TOML does not parse, and an
unknown key only logs a warning: either way the app would quietly run with
the defaults (200 MB uploads, tracebacks shown, a gc after every rerun).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit import config

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def settings() -> dict[str, object]:
    with CONFIG.open("rb") as handle:
        parsed = tomllib.load(handle)  # raises on invalid TOML
    return {
        f"{section}.{key}": value for section, keys in parsed.items() for key, value in keys.items()
    }


def test_every_key_is_a_streamlit_option(settings):
    known = config.get_config_options()
    assert [key for key in settings if key not in known] == []


def test_the_settings_the_app_relies_on(settings):
    from playground.images.loading import MAX_BYTES

    assert settings["server.maxUploadSize"] * 2**20 == MAX_BYTES
    assert settings["server.fileWatcherType"] == "none"
    assert settings["client.showErrorDetails"] == "none"
    assert settings["runner.postScriptGC"] is False
