"""Creating notifications: the stored row, one delivery per channel the recipient can be reached
on (after preferences and quiet hours), and ``notification.created`` for the notification centre,
all in the caller's transaction. Deliveries due now are claimed at once; the caller enqueues them
after its commit (the dispatcher would find them anyway)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nilecare.contracts.notification.events import NotificationCreated
from nilecare.contracts.notification.schemas import Channel, Language
from nilecare.kernel.crypto import Keyring
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.notification import repository
from nilecare.services.notification.domain import IN_APP, KINDS, QuietWindow, mask_address
from nilecare.services.notification.models import Delivery, Notification, Preference
from nilecare.services.notification.rendering import Renderer
from nilecare.services.notification.service.common import seal, seal_json, unseal
from nilecare.services.notification.service.preferences import preferences_read
from nilecare.services.notification.settings import NotificationSettings


@dataclass(frozen=True)
class Draft:
    """One notification to be made: for whom, of which kind, with which template values (JSON
    values: times as ISO strings), and the e-mail address and phone the recipient has (push
    subscriptions are looked up here)."""

    kind: str
    recipient: str
    language: Language
    values: dict[str, Any]
    user_id: uuid.UUID | None = None
    patient_id: uuid.UUID | None = None
    facility_id: uuid.UUID | None = None
    email: str | None = None
    phone: str | None = None
    reference: str | None = None
    # When each channel's delivery is due (reminders); absent channels are due at once.
    due_at: dict[Channel, datetime] = field(default_factory=dict)
    # Only these channels, of the kind's.
    only: tuple[Channel, ...] | None = None
    # The first of these that can be delivered (a receipt goes by e-mail if the patient has an
    # address and e-mail is configured, else by SMS).
    first_of: tuple[Channel, ...] | None = None


@dataclass(frozen=True)
class Target:
    channel: Channel
    address: str
    hint: str


async def create_notifications(
    uow: UnitOfWork,
    *,
    keyring: Keyring,
    renderer: Renderer,
    settings: NotificationSettings,
    available: frozenset[Channel],
    source_event_id: uuid.UUID,
    drafts: Sequence[Draft],
    now: datetime,
) -> list[uuid.UUID]:
    """Write the drafts not made before for this event; returns the deliveries due now."""
    existing = await repository.existing_notifications(uow.session, source_event_id)
    drafts = [d for d in drafts if (d.recipient, d.kind) not in existing]
    users = [d.user_id for d in drafts if d.user_id is not None]
    subscriptions: dict[uuid.UUID, list[Target]] = {}
    for sub in await repository.push_subscriptions_of(uow.session, users):
        address = unseal(keyring, sub.id, "subscription", sub.subscription_enc)
        subscriptions.setdefault(sub.user_id, []).append(
            Target("push", address, mask_address("push", sub.endpoint))
        )
    writer = _Writer(
        uow,
        keyring,
        renderer,
        settings,
        available,
        source_event_id,
        now,
        await repository.preferences_of(uow.session, users),
        subscriptions,
    )
    due_now: list[uuid.UUID] = []
    for draft in drafts:
        due_now += await writer.write(draft)
    return due_now


def _targets(
    draft: Draft, available: frozenset[Channel], enabled: dict[Channel, bool], push: list[Target]
) -> list[Target]:
    kind = KINDS[draft.kind]
    channels = [
        channel
        for channel in (draft.first_of or draft.only or kind.channels)
        if channel in kind.channels and channel in available and (kind.critical or enabled[channel])
    ]
    targets: list[Target] = []
    for channel in channels:
        if channel == "email" and draft.email:
            targets.append(Target("email", draft.email, mask_address("email", draft.email)))
        elif channel == "sms" and draft.phone:
            targets.append(Target("sms", draft.phone, mask_address("sms", draft.phone)))
        elif channel == "push":
            targets.extend(push)
    return targets[:1] if draft.first_of else targets


@dataclass
class _Writer:
    uow: UnitOfWork
    keyring: Keyring
    renderer: Renderer
    settings: NotificationSettings
    available: frozenset[Channel]
    source_event_id: uuid.UUID
    now: datetime
    preferences: dict[uuid.UUID, Preference]
    subscriptions: dict[uuid.UUID, list[Target]]

    async def write(self, draft: Draft) -> list[uuid.UUID]:
        kind = KINDS[draft.kind]
        pref = self.preferences.get(draft.user_id) if draft.user_id else None
        preferences = preferences_read(pref, self.settings)
        # A user's chosen language wins over the one their account or chart records.
        language = preferences.language if pref is not None else draft.language
        quiet = (
            QuietWindow.parse(
                preferences.quiet_hours.start, preferences.quiet_hours.end, preferences.timezone
            )
            if preferences.quiet_hours and not kind.critical
            else None
        )
        enabled: dict[Channel, bool] = {
            "email": preferences.channels.email,
            "sms": preferences.channels.sms,
            "push": preferences.channels.push,
        }
        push = self.subscriptions.get(draft.user_id, []) if draft.user_id else []
        in_app = kind.in_app and draft.user_id is not None
        targets = _targets(draft, self.available, enabled, push)
        if not in_app and not targets:
            return []
        shown = self.renderer.render(draft.kind, IN_APP, language, draft.values)
        row = Notification(
            id=uuid.uuid4(),
            source_event_id=self.source_event_id,
            recipient=draft.recipient,
            user_id=draft.user_id,
            patient_id=draft.patient_id,
            facility_id=draft.facility_id,
            kind=draft.kind,
            severity=kind.severity,
            language=language,
            reference=draft.reference,
            in_app=in_app,
            title=(shown.title or draft.kind)[:200],
            created_at=self.now,
        )
        row.body_enc = seal(self.keyring, row.id, "body", shown.body)
        row.context_enc = seal_json(self.keyring, row.id, "context", draft.values)
        self.uow.session.add(row)
        # Deliveries refer to the row, and no relationship tells the session to insert it first.
        await self.uow.session.flush()
        due_now = [self._delivery(row, target, draft, quiet) for target in targets]
        if in_app and draft.user_id is not None:
            self.uow.publish(
                NotificationCreated(
                    notification_id=row.id,
                    user_id=draft.user_id,
                    facility_id=draft.facility_id,
                    patient_id=draft.patient_id,
                    kind=draft.kind,
                    severity=kind.severity,
                    title=row.title,
                    created_at=self.now,
                ),
                facility_id=draft.facility_id,
            )
        return [delivery_id for delivery_id in due_now if delivery_id is not None]

    def _delivery(
        self, row: Notification, target: Target, draft: Draft, quiet: QuietWindow | None
    ) -> uuid.UUID | None:
        """Add the delivery; its id when it is due now (claimed for sending at once)."""
        due = draft.due_at.get(target.channel, self.now)
        if quiet is not None:
            due = quiet.release_time(due)
        now_due = due <= self.now
        delivery = Delivery(
            id=uuid.uuid4(),
            notification_id=row.id,
            channel=target.channel,
            address_hint=target.hint,
            status="sending" if now_due else "queued",
            attempts=0,
            due_at=due,
            claimed_at=self.now if now_due else None,
            created_at=self.now,
        )
        delivery.address_enc = seal(self.keyring, delivery.id, "address", target.address)
        self.uow.session.add(delivery)
        return delivery.id if now_due else None
