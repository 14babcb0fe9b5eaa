"""The coordination application: one intention-revealing method per command, by area."""

from __future__ import annotations

from coordination.commands.accounts import AccountCommands
from coordination.commands.attendance import AttendanceCommands
from coordination.commands.distribution import DistributionCommands
from coordination.commands.exchange import ExchangeCommands
from coordination.commands.kitchens import KitchenCommands
from coordination.commands.packing import PackingCommands
from coordination.commands.roster import RosterCommands
from coordination.commands.sign_ups import SignUpCommands, SignUpResult
from coordination.commands.sites import SiteCommands
from coordination.commands.tickets import TicketCommands
from coordination.commands.training import TrainingCommands

__all__ = ["Coordination", "SignUpResult"]


class Coordination(
    AccountCommands,
    SiteCommands,
    SignUpCommands,
    KitchenCommands,
    TicketCommands,
    PackingCommands,
    AttendanceCommands,
    DistributionCommands,
    TrainingCommands,
    ExchangeCommands,
    RosterCommands,
):
    name = "Coordination"
