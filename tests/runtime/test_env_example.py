"""``.env.example`` documents every setting, and a copy of it is a working configuration."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from nilecare.kernel.config import PlatformSettings
from nilecare.runtime.registry import load_specs
from nilecare.services.gateway.settings import GatewaySettings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def settings_classes() -> list[tuple[str, type[BaseSettings]]]:
    classes: list[tuple[str, type[BaseSettings]]] = [
        ("NILECARE_", PlatformSettings),
        ("NILECARE_GATEWAY__", GatewaySettings),
    ]
    classes += [(f"NILECARE_{s.name.upper()}__", s.settings_class) for s in load_specs()]
    return classes


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"^(NILECARE_[A-Z0-9_]+)=", EXAMPLE.read_text(), re.MULTILINE))
    expected = {
        prefix + name.upper() for prefix, cls in settings_classes() for name in cls.model_fields
    }
    assert expected - documented == set()
    assert documented - expected == set()


def test_a_copy_of_the_example_is_a_valid_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(EXAMPLE, tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    for _, cls in settings_classes():
        cls()
    assert PlatformSettings().access_token_minutes == 15
