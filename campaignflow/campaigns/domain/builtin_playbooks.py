"""Built-in playbooks (流程模板) reproducing the seed documents' process tables.

They are data, kept in builtin_playbooks.json beside this module (Chinese text as the seeds write it);
`sync_playbooks` stores a new version of a built-in one when this data changes, and
tests/test_builtin_playbooks_data.py checks each against the playbook schema and the seeds' numbers.
"""

import json
from pathlib import Path

BUILTIN_PLAYBOOKS: list[dict] = json.loads(Path(__file__).with_suffix(".json").read_text(encoding="utf-8"))
