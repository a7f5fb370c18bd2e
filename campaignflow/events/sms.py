"""Text messages to registrants through a pluggable sender: EVENTS_SMS_SENDER names a class (dotted path)
with `send(phone, text)`; the default prints to the log, as Django's console e-mail backend does, so that a
deployment without an SMS contract still works and shows what would be sent. A real sender (Aliyun SMS,
Tencent Cloud SMS …) is a small class that calls its provider and raises on failure."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from .domain.registration import mask_phone

log = logging.getLogger("campaignflow.sms")


class ConsoleSender:
    """Writes each message to the log (logger `campaignflow.sms`) instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", mask_phone(phone), text)  # the log is no place for whole numbers


def sender():
    return import_string(getattr(settings, "EVENTS_SMS_SENDER", "campaignflow.events.sms.ConsoleSender"))()
