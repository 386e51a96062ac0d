"""The course's own tooling, around the bank it teaches: the notebooks'
helpers (self-checks, tables, drawings), the environment check, the
benchmark and the handouts. It imports `bank`; `bank` never imports it."""
