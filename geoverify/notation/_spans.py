"""A set of character spans with a fast "does this overlap anything?" query."""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class SpanSet:
    """The union of half-open spans ``[start, end)``, kept as sorted disjoint intervals.

    ``overlaps`` and ``add`` cost O(log n) plus a list insertion.
    """

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans=()):
        starts: list[int] = []
        ends: list[int] = []
        # in start order a span can only touch the last interval: ``add`` in one linear pass
        for s, e in sorted(spans):
            if e <= s:
                continue
            if ends and s <= ends[-1]:
                if e > ends[-1]:
                    ends[-1] = e
            else:
                starts.append(s)
                ends.append(e)
        self._starts = starts
        self._ends = ends

    def __len__(self) -> int:
        return len(self._starts)

    def overlaps(self, start: int, end: int) -> bool:
        """True if ``[start, end)`` shares at least one character with the set
        (an empty span overlaps nothing)."""
        if end <= start:
            return False
        i = bisect_right(self._starts, start) - 1
        if i >= 0 and self._ends[i] > start:
            return True
        j = i + 1
        return j < len(self._starts) and self._starts[j] < end

    def add(self, start: int, end: int) -> None:
        """Add ``[start, end)``, merging it with the intervals it touches."""
        if end <= start:
            return
        starts, ends = self._starts, self._ends
        i = bisect_left(ends, start)  # first interval that ends at or after start
        j = bisect_right(starts, end)  # intervals [i, j) touch the new span
        if i < j:
            start = min(start, starts[i])
            end = max(end, ends[j - 1])
        starts[i:j] = [start]
        ends[i:j] = [end]
