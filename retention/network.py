"""The network's quarterly statistics, for the operator (issue 19): the sum over the centres,
and each centre's figures without its name, code or anything else that says which it is.

- The centres are "Centre 1" to "Centre n" in an order drawn from a keyed hash of the centre
  and the quarter: the same on every load of a quarter (the page and its CSV agree), unrelated
  to names, codes, ids or the order centres were made, and different each quarter, so that a
  centre cannot be followed from one quarter to the next by its number.
- Any count from 1 to 4 is shown as "fewer than 5" (SMALL), in the sum as in a centre's row,
  so that no small centre's family can be singled out.
- A single small count in a column could be worked out from the sum less the other centres'
  counts; then the next smallest count of that column is withheld too (WITHHELD), so that only
  the two together can be (the usual secondary suppression).
- No totals over the referral types: a centre's total less its other types would give its
  small one away.

Only counts leave retention/quarterly.py: the operator never reads a family's record.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.crypto import salted_hmac

from cccc.models import Centre
from retention.models import QuarterlyStatistic
from retention.quarterly import QuarterFigures, quarter_figures

SMALL = "fewer than 5"
WITHHELD = "withheld"
# Counts the operator can make or read from outside (they manage every centre's accounts:
# they know how many coordinators and volunteer accounts each has, and could invite five more
# to one centre to pick it out). Shown in the network's sum only, never per centre, so that
# no "anonymous" row can be matched to its centre (the review of issue 19).
ONLY_IN_TOTAL = {"Volunteers", "Staff"}
Cell = int | str


def _shown(count: int) -> Cell:
    return SMALL if 1 <= count <= 4 else count


def suppressed(total: int, cells: list[int]) -> tuple[Cell, list[Cell]]:
    """A column as shown: its sum and its centres' counts, small ones hidden, and the next
    smallest hidden too where a single small one could be worked out from the sum."""
    shown = [_shown(count) for count in cells]
    small = [i for i, count in enumerate(cells) if 1 <= count <= 4]
    if small and total > 4:
        # The sum less the counts shown gives the hidden ones' sum: 16 - 11 = 5 is 3 + 2 or
        # 4 + 1, but 13 - 11 = 2 is 1 + 1. Withholding the next smallest count as well leaves
        # the hidden sum open (with a sum over 4, another count is over 4).
        larger = [i for i, count in enumerate(cells) if count > 4]
        shown[min(larger, key=lambda i: (cells[i], i))] = WITHHELD
    return _shown(total), shown


def anonymous_order(centre_ids: list[int], quarter: datetime.date) -> list[int]:
    def key(centre_id: int) -> str:
        message = f"{quarter.isoformat()}:{centre_id}"
        return salted_hmac("cccc.network-statistics", message).hexdigest()

    return sorted(centre_ids, key=key)


@dataclass
class NetworkStatistics:
    quarter: datetime.date
    measures: list[tuple[str, str]]  # (measure, referral type)
    total: list[Cell]  # one per measure
    centres: list[tuple[str, list[Cell]]]  # ("Centre 1", one cell per measure)

    def rows(self) -> list[tuple[str, str, str, Cell]]:
        """(centre, measure, referral type, count), the sum first: the CSV's rows."""
        found: list[tuple[str, str, str, Cell]] = []
        for label, cells in [("All centres", self.total), *self.centres]:
            found += [(label, m, t, n) for (m, t), n in zip(self.measures, cells, strict=True)]
        return found


def network_statistics(quarter: datetime.date, today: datetime.date) -> NetworkStatistics:
    """Every active centre, and any other centre with figures for the quarter."""
    stored = QuarterlyStatistic.objects.filter(quarter=quarter).values("centre_id")
    ids = list(
        Centre.objects.filter(Q(is_active=True) | Q(pk__in=stored)).values_list("pk", flat=True)
    )
    figures = quarter_figures(ids, quarter, today)
    ordered = anonymous_order(ids, quarter)
    counts = [[n for _m, _t, n in figures[c].rows(totals=False)] for c in ordered]
    measures = [(m, t) for m, t, _n in QuarterFigures().rows(totals=False)]
    columns = [suppressed(sum(column), list(column)) for column in zip(*counts, strict=True)] or [
        (0, []) for _ in measures
    ]
    hidden = [measure in ONLY_IN_TOTAL for measure, _kind in measures]
    return NetworkStatistics(
        quarter=quarter,
        measures=measures,
        total=[total for total, _cells in columns],
        centres=[
            (
                f"Centre {n}",
                [
                    WITHHELD if hide else cells[n - 1]
                    for hide, (_total, cells) in zip(hidden, columns, strict=True)
                ],
            )
            for n in range(1, len(ordered) + 1)
        ],
    )
