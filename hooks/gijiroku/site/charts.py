"""Charts as SVG made at build time: no JavaScript, no third party, with text alternatives."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..record.loader import Record
from ..record.model import Person, Speech
from .render import UNDATED


@dataclass(frozen=True)
class Chart:
    svg: Markup
    rows: tuple[tuple[str, int], ...]  # (label, value): the same data as text
    caption: str


def remarks_per_year(person: Person, speeches: list[Speech], record: Record) -> Chart | None:
    """Bar chart of a commissioner's public remarks per calendar year; meetings of unknown date on a bar 日付不明."""
    if not speeches:
        return None
    counts: Counter[str] = Counter()
    for s in speeches:
        day = record.meetings[s.meeting].date
        counts[str(day.year) if day else UNDATED] += 1
    years = sorted(k for k in counts if k != UNDATED)
    if years:
        years = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    labels = years + ([UNDATED] if UNDATED in counts else [])
    rows = tuple((label, counts.get(label, 0)) for label in labels)
    # The person as the record names them (丹野委員長, not 丹野委員): their latest role.
    caption = f"{person.display_title}の年ごとの発言数（公開された発言のみ）"
    return Chart(bar_svg(rows, caption), rows, caption)


def bar_svg(rows: tuple[tuple[str, int], ...], title: str) -> Markup:
    bar, gap, height, top, bottom = 28, 12, 120, 18, 22
    width = max(len(rows) * (bar + gap) + gap, 160)
    peak = max((v for _, v in rows), default=0) or 1
    desc = "、".join(f"{label}年 {value}件" if label != UNDATED else f"{label} {value}件" for label, value in rows)
    parts = [
        f'<svg class="gk-chart__svg" role="img" viewBox="0 0 {width} {height + top + bottom}" '
        f'width="{width}" height="{height + top + bottom}" aria-labelledby="gk-chart-title gk-chart-desc">',
        f'<title id="gk-chart-title">{escape(title)}</title><desc id="gk-chart-desc">{escape(desc)}</desc>',
        f'<line x1="0" y1="{top + height}" x2="{width}" y2="{top + height}" class="gk-chart__axis"/>',
    ]
    for i, (label, value) in enumerate(rows):
        h = round(height * value / peak)
        x = gap + i * (bar + gap)
        y = top + height - h
        parts.append(f'<rect x="{x}" y="{y}" width="{bar}" height="{h}" class="gk-chart__bar"/>')
        parts.append(f'<text x="{x + bar / 2}" y="{y - 4}" text-anchor="middle" class="gk-chart__value">{value}</text>')
        parts.append(f'<text x="{x + bar / 2}" y="{top + height + 16}" text-anchor="middle" '
                     f'class="gk-chart__label">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
