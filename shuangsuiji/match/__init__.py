"""Match: the second 随机 — draw officers and pair them with the drawn targets into teams.

Takes in: the draw's manifest and the freeze's officer pool (never a fresh roster read). Gives
out, in out/<task>/match/: the match manifest, 派发单 workbooks and the results-entry templates,
recorded in the ledger.
- keys.py       HMAC-SHA256 keys of the seed and stable ids (every choice derives from them)
- flow.py       one department's balanced assignment with augmenting paths and rebalancing.
                It is over 400 lines on purpose: its `_Stage` is one algorithm whose steps
                (greedy fill, augmenting search, capacity raise, rebalancing) share one state and
                are specified together in docs/match-spec.md; cutting it would split one idea.
- model.py      rules, inputs and teams; teams.py `match()` (departments, fallbacks, leaders,
                specialists); diagnosis.py Chinese infeasibility diagnoses
- prepare.py    the checked inputs of a task; outputs.py manifest and files; run.py
                `match_from_plan`; dispatch.py the workbooks (grouped by team leader, the results
                template with locked pre-filled columns); fairness.py `fairness_from_plan`
- dispatched.py `load_dispatched`: the match in force read back (teams, entity details, officer
                names) for the documents stage
- verify.py     `verify_match_manifest` (recompute a match)
Uses core, sheets, plan, intake and draw's public names (manifest reader, seeds, officers).
"""
