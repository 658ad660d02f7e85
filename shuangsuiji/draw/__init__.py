"""Draw: the first 随机 — fix the pool before the seed exists, then draw recomputably.

Takes in: the plan and intake's rosters. Gives out, in out/<task>/freeze/ and draw/: the
commitment, pool files, draw manifest, 抽取结果.xlsx and 公示名单.csv, each recorded in the ledger.
- readiness.py  `run_check` (`ssj check`: rosters plus a preview of each task with the freeze's rules)
- allocation.py strata and takes; pool.py who is drawable and the pool files, written in chunks
                while hashed; poolread.py reads them back by column and by position
                (`read_pool_ids`, `pool_positions`, `read_details`, `read_pool_names`); poolcols.py the
                same pool from a TargetTable's columns (`PoolView`: row indices, files from columns);
                officers.py eligible officers; freeze.py the commitment (`freeze_from_plan`,
                `load_commitment`)
- poolscan.py   `draw_pool_file`: the draw in one pass over pool.csv's bytes (coarse keys, the
                candidates under a running bound, their rows); no whole-pool id column
- sampler.py    consistent sampling, identical to consistent-sampler 1.0.10
- partition.py  the same draw split over partitions (`smallest_k`, `merge`; docs/scale.md), and
                `sample_in_chunks`: draw_strata's (verify's recomputation) draw of a large stratum
                one million ids at a time
- seeds.py      `check_seed`, `seed_weaknesses`, `enforce_seed`, `workspace_seeds`, `seed_key`,
                `seed_sha256`, `derive_seed`
- run.py        `draw_from_plan` (official draw, trial, redo); drawfiles.py the draw's 抽取结果.xlsx
                sheets and 公示名单.csv; substitute.py `substitute`
- history.py    the public list format, 抽取记录.csv, list versions after substitutions,
                `SUBSTITUTION_REASONS`, `findings` and `verify_list_versions` for ssj verify
- verify.py     `verify_draw`, `verify_commitment`
Later stages use the names listed here. Uses core, sheets, plan and intake.
"""
