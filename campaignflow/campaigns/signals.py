"""What the campaigns app tells the apps above it, without importing them.

`plan_generated`: a campaign was created from a playbook and its tasks exist; receivers get
`campaign`, `specs` (the `domain.playbooks.TaskSpec`s, with each step's materials) and `actor`, inside
the creating transaction (materials makes the playbook's 物料清单 from it)."""

from django.dispatch import Signal

plan_generated = Signal()
