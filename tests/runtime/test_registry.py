from __future__ import annotations

import dataclasses

import pytest

from nilecare.runtime.registry import PrefixClashError, check_prefixes, load_specs


def test_every_service_owns_distinct_prefixes() -> None:
    owners = check_prefixes(load_specs())
    assert owners["auth"] == "auth"
    assert owners["users"] == "auth"


def test_two_services_claiming_one_prefix_are_refused() -> None:
    auth = load_specs()[0]
    impostor = dataclasses.replace(auth, name="impostor", prefixes=("users",))
    with pytest.raises(PrefixClashError, match="users"):
        check_prefixes([auth, impostor])
