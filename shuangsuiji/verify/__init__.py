"""Verify: `ssj verify`, the one command an outside auditor needs.

Takes in: a manifest, a commitment, a ledger, or a whole workspace. Gives out: a list of
`core.audit.Report`. dispatch.py `verify_path` sends each file to the stage that recomputes it
(draw.verify, match.verify); the recomputation itself lives with what it verifies.
"""
