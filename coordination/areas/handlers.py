"""Every area's handlers, registered with the dispatcher by importing them."""

from coordination.areas.accounts import handlers as accounts
from coordination.areas.administration import handlers as administration
from coordination.areas.attendance import handlers as attendance
from coordination.areas.distribution import handlers as distribution
from coordination.areas.exchange import handlers as exchange
from coordination.areas.kitchens import handlers as kitchens
from coordination.areas.packing import handlers as packing
from coordination.areas.roster import handlers as roster
from coordination.areas.shifts import handlers as shifts
from coordination.areas.sign_ups import handlers as sign_ups
from coordination.areas.sites import handlers as sites
from coordination.areas.tickets import handlers as tickets
from coordination.areas.training import handlers as training

__all__ = [
    "accounts",
    "administration",
    "sites",
    "sign_ups",
    "shifts",
    "training",
    "exchange",
    "roster",
    "tickets",
    "distribution",
    "kitchens",
    "packing",
    "attendance",
]
