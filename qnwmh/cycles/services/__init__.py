"""State changes of cycles, quotas, registrations and the bodies' lists. One function per
transition: permission → guard → lock → save → one audit entry → notices (e-mail on commit).

One module per seam; callers use this package (``from qnwmh.cycles import services``)."""

from qnwmh.cycles.services.common import DATE_FIELDS
from qnwmh.cycles.services.cycle import PhaseChange, cycle_create, cycle_move, cycle_update
from qnwmh.cycles.services.quotas import (
    _compute_quotas,
    _lock_quota,
    quota_override,
    quota_set_headcount,
    quotas_compute,
    quotas_publish,
)
from qnwmh.cycles.services.registrations import (
    REGISTRATION_FIELDS,
    REGISTRATION_TEXT_FIELDS,
    SPECIAL_STATUSES,
    Filed,
    frozen_rules,
    registration_accept,
    registration_eligibility,
    registration_file,
    registration_reject,
    registration_resubmit,
    registration_return,
    registration_set_special,
    registration_withdraw,
    registrations_rank,
)
from qnwmh.cycles.services.reminders import send_review_reminders
from qnwmh.cycles.services.submissions import (
    submission_accept,
    submission_return,
    submission_submit,
)

__all__ = [
    "DATE_FIELDS",
    "REGISTRATION_FIELDS",
    "REGISTRATION_TEXT_FIELDS",
    "SPECIAL_STATUSES",
    "Filed",
    "PhaseChange",
    "_compute_quotas",
    "_lock_quota",
    "cycle_create",
    "cycle_move",
    "cycle_update",
    "frozen_rules",
    "quota_override",
    "quota_set_headcount",
    "quotas_compute",
    "quotas_publish",
    "registration_accept",
    "registration_eligibility",
    "registration_file",
    "registration_reject",
    "registration_resubmit",
    "registration_return",
    "registration_set_special",
    "registration_withdraw",
    "registrations_rank",
    "send_review_reminders",
    "submission_accept",
    "submission_return",
    "submission_submit",
]
