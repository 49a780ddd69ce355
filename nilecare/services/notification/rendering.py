"""Message templates: one file per kind, channel and language under ``templates/``.

``templates/<kind>/<channel>.<lang>.txt`` renders to the message text; for the channels with a
title (the e-mail subject, the push and in-app title) its first line is the title, followed by a
line ``---``. ``email.<lang>.html`` is the HTML part of the mail, extending ``_layout.html``.

Templates are rendered in Jinja's immutable sandbox with undefined values refused, so a template
(or a value put into one) cannot reach Python internals, and HTML is autoescaped. Times are
shown in Africa/Khartoum, amounts from minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from nilecare.contracts.notification.schemas import DEFAULT_TIMEZONE

TEMPLATES = Path(__file__).parent / "templates"
TITLED_CHANNELS = frozenset({"email", "push", "inapp"})
TITLE_SEPARATOR = "---"
_CURRENCY_NAMES = {("SDG", "ar"): "ج.س", ("SDG", "en"): "SDG"}


class TemplateMissing(LookupError):
    """No template for this kind, channel and language."""


@dataclass(frozen=True)
class Rendered:
    body: str
    title: str | None = None
    html: str | None = None


def local_time(value: datetime | str, zone: str = DEFAULT_TIMEZONE) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


@pass_context
def money(context: Context, amount_minor: int, currency: str = "SDG") -> str:
    """``1,234.50 SDG`` (``ج.س`` in Arabic) from integer minor units."""
    units, cents = divmod(abs(int(amount_minor)), 100)
    sign = "-" if amount_minor < 0 else ""
    name = _CURRENCY_NAMES.get((currency, context.get("lang", "en")), currency)
    return f"{sign}{units:,}.{cents:02d} {name}"


class Renderer:
    def __init__(self, directory: Path = TEMPLATES) -> None:
        self.environment = ImmutableSandboxedEnvironment(
            loader=FileSystemLoader(directory),
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters["local_time"] = local_time
        self.environment.filters["money"] = money

    def render(self, kind: str, channel: str, language: str, values: dict[str, Any]) -> Rendered:
        """Render ``kind`` for ``channel`` (``email``, ``sms``, ``push``, ``inapp``)."""
        variables = {**values, "lang": language}
        try:
            text = self.environment.get_template(f"{kind}/{channel}.{language}.txt")
        except TemplateNotFound as missing:
            raise TemplateMissing(f"no {channel} template for {kind} in {language}") from missing
        rendered = text.render(variables).strip()
        title = None
        if channel in TITLED_CHANNELS:
            title, separator, rendered = rendered.partition(f"\n{TITLE_SEPARATOR}\n")
            if not separator:
                raise TemplateMissing(f"the {channel} template of {kind} has no title line")
        html = None
        if channel == "email":
            html = self.environment.get_template(f"{kind}/email.{language}.html").render(variables)
        return Rendered(body=rendered.strip(), title=title, html=html)
