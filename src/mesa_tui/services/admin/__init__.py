"""Administration use cases: catalog, SLA policies, priority matrix, agents and groups,
calendar closures, work schedules, settings and the dependencies requesters work in.

Every change is refused to anyone but an active administrator, validated (a
ValidationError names the form field), audited (an event with entity/entity_key and
{field: [old, new]}), and runs in one transaction: nothing is written on error.

A change that moves due times (an SLA policy saved or deleted, a service moved to
another category or schedule, a closure added or removed, a schedule's hours edited)
recomputes the open tickets it affects in the same transaction: each gets its new due
times, one "recalcular ANS" event and a new version. A change counts from the moment it
is made: time already consumed and paused is kept. The priority matrix applies to
classifications made from then on; it never re-prioritises open tickets.
"""

from __future__ import annotations

from mesa_tui.services.admin.calendar import CalendarAdmin
from mesa_tui.services.admin.catalog import CatalogAdmin
from mesa_tui.services.admin.dependencies import DependencyAdmin
from mesa_tui.services.admin.matrix import MatrixAdmin
from mesa_tui.services.admin.policies import PolicyAdmin
from mesa_tui.services.admin.recompute import RECOMPUTE_ACTION
from mesa_tui.services.admin.schedules import ScheduleAdmin
from mesa_tui.services.admin.settings import SettingsAdmin
from mesa_tui.services.admin.staff import StaffAdmin

__all__ = ["RECOMPUTE_ACTION", "Admin"]


class Admin(
    CatalogAdmin,
    PolicyAdmin,
    MatrixAdmin,
    StaffAdmin,
    CalendarAdmin,
    ScheduleAdmin,
    SettingsAdmin,
    DependencyAdmin,
):
    """The administrator's use cases over one database: one mixin per concept, all on
    AdminBase (database, clock, the checked transaction and the audit event)."""
