"""The print edition's month calendar: weeks from Monday, days linked to issues."""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Min, Q

from .models import Issue


@dataclass
class Day:
    date: date
    in_month: bool
    issues: list[Issue] = field(default_factory=list)

    @property
    def url(self) -> str | None:
        """The issue when there is one, the day's list when there are more."""
        from django.urls import reverse

        if len(self.issues) == 1:
            return self.issues[0].get_absolute_url()
        if self.issues:
            return reverse(
                "editions:day",
                kwargs={
                    "year": self.date.year,
                    "month": self.date.month,
                    "day": self.date.day,
                },
            )
        return None


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date | None  # the nearest earlier month with an issue
    next: date | None  # the nearest later one


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_issues(first: date, *, with_cover: bool = False) -> list[Issue]:
    """The visible issues of ``first``'s month, newest first (one query, two
    with their front pages)."""
    issues = Issue.objects.for_listing() if with_cover else Issue.objects.visible()
    return list(
        issues.filter(date__gte=first, date__lt=next_month(first)).order_by(
            "-date", "-number"
        )
    )


def build_month(first: date, issues: list[Issue]) -> Month:
    """The calendar of ``first``'s month showing ``issues`` (those of the
    month), and the nearest months before and after that have issues (one
    query)."""
    by_day: dict[date, list[Issue]] = {}
    for issue in reversed(issues):
        by_day.setdefault(issue.date, []).append(issue)
    weeks = [
        [Day(day, day.month == first.month, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(
            first.year, first.month
        )
    ]
    after = next_month(first)
    around = Issue.objects.visible().aggregate(
        previous=Max("date", filter=Q(date__lt=first)),
        next=Min("date", filter=Q(date__gte=after)),
    )
    return Month(
        first=first,
        weeks=weeks,
        previous=around["previous"] and around["previous"].replace(day=1),
        next=around["next"] and around["next"].replace(day=1),
    )
