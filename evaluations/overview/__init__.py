"""The Communications Department's overview: the whole hospital for advisers, a leader's
own units and everything below them for a leader.

Built for a hundred thousand accounts and a million rows of key figures: every figure
comes from one of a fixed number of grouped queries on narrow, indexed columns (the
schedules' copy of the register, the goal results' copy of unit and platform, the monthly
governance figures), so the query count is the same however many rows there are.

The building blocks are in `parts`, the sections and `build` in `sections`.
"""

from .parts import Overview, Scope, Table, UnitTree, figure_formatter, scope_for
from .sections import build, follower_series

__all__ = ["Overview", "Scope", "Table", "UnitTree", "build", "figure_formatter", "follower_series", "scope_for"]
