"""The assistant's pure parts: prompt templates, the tolerant JSON reader, retry timing, token budgets and
the plan diff. No Django, no network."""
