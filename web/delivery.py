"""The delivery worker composed from settings: a gateway per channel (the log where none is
configured, as in the embedded default) and the catalogue's texts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from projections.outbox import EMAIL, SMS
from web.platform.outbox_texts import render
from workers.delivery import Burst, Deliverer, Gateway
from workers.gateways import HttpSmsGateway, LogGateway, SmtpGateway


def gateways_for(settings: Any) -> dict[str, Gateway]:
    sms: Gateway = (
        HttpSmsGateway(settings.sms_url, settings.sms_token)
        if settings.sms_url
        else LogGateway(SMS)
    )
    email: Gateway = (
        SmtpGateway(settings.smtp_url, settings.mail_from)
        if settings.smtp_url
        else LogGateway(EMAIL)
    )
    return {SMS: sms, EMAIL: email}


def deliverer_for(services: Any) -> Deliverer:
    settings = services.settings
    return Deliverer(
        services.db,
        services.sealer,
        gateways_for(settings),
        render,
        settings.quiet_hours,
        timedelta(seconds=settings.delivery_lease_seconds),
        concurrency=settings.delivery_concurrency,
        burst=Burst(
            lambda: services.runner.head(),
            timedelta(seconds=settings.delivery_give_way_seconds),
        ),
    )
