"""Events the payment service publishes (the type is the topic)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from nilecare.kernel.events.envelope import Event


class PaymentCompleted(Event):
    """A payment was confirmed; the payer gets a receipt."""

    event_type: ClassVar[str] = "payment.completed"

    payment_id: uuid.UUID
    invoice_id: uuid.UUID | None = None
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    amount_minor: int  # SDG minor units (piastres)
    currency: str = "SDG"
    method: str  # cash, zain_cash, mtn_mobile_money, sudani_cash, bankak, bank_transfer, card
    receipt_number: str
    completed_at: datetime

    def partition_key(self) -> str:
        return str(self.patient_id)
