"""The help-desk indicators: definitions, monthly values and the yearly table.

The indicators of seed 004 (plus ANS compliance), their monthly values and the
yearly table the entity pastes into its management report.

Indicator definitions (months are calendar months in America/Bogota):

* received in a month: tickets whose created_at falls in it;
* resolved in a month: tickets in status resuelto or cerrado whose resolved_at
  falls in it (a reopened ticket loses its resolved_at until it is solved
  again); cancelled (anulado) tickets count nowhere;
* Eficiencia de solicitudes = resolved in the month / received in the month.
  It passes 100 % when the month clears backlog, as in the seed (128 %);
* Soporte software / hardware = tickets of that nature resolved in the month
  (whatever month they came in) / tickets of that nature received in the
  month. This is the seed-compatible reading: its hardware row shows 102 %,
  which "solved among those received" could never give;
* Soporte remoto = tickets resolved in the month with solution_mode remoto /
  tickets resolved in the month;
* Nivel de satisfacción = surveys answered in the month scoring 4 or 5 / surveys
  answered in the month ("top-two-box": a count the entity can audit, with a
  numerator and denominator like every other indicator). Semestral: shown per
  month and per semester (the semester pools its surveys);
* Cumplimiento ANS de solución = tickets resolved in the month with ttr_met /
  tickets resolved in the month;
* Cumplimiento ANS de respuesta = tickets first answered in the month with
  tto_met / tickets first answered in the month (cancelled excluded).

A value whose denominator is zero is "sin casos", never a division error.

"Promedio" is computed the way seed 004 computes its PROMEDIO column: the mean
of the periods' percentages (months; semesters for the semestral indicator),
a period without cases counting as 0 %, rounded half up to a whole percent.
The seed's rows give 91 (= 1094 / 12 for Eficiencia, a 0 % month included),
23 (= 277 / 12 for Soporte remoto) and 40 (= (0 + 79) / 2 for Satisfacción).
A finished year averages all twelve months (both semesters); the current year
averages the months up to the current one, which is marked "en curso" so a
two-day month that pulls the figure down is seen as such. Beside it,
"acumulado del año" pools the counts of those months (a ratio of totals),
labelled as such. An indicator without a single case in the year is "sin
casos", not 0 %. "Cumple" compares the promedio with the target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from fractions import Fraction
from zoneinfo import ZoneInfo

from mesa_tui.domain.calendar import BOGOTA

MONTHS = 12
NO_CASES = "sin casos"
MONTH_NAMES = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic")
IN_PROGRESS = "en curso"


class Frequency(StrEnum):
    MENSUAL = "mensual"
    SEMESTRAL = "semestral"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Family(StrEnum):
    """Indicator families: one sheet each in the exported workbook."""

    SOLICITUDES = "Solicitudes"
    SOPORTE = "Soporte"
    SATISFACCION = "Satisfacción"
    ANS = "ANS"


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    name: str
    family: Family
    formula: str
    numerator: str  # what the numerator counts, in the report's words
    denominator: str
    target_key: str  # Setting key holding the target, in percent
    default_target: Fraction
    frequency: Frequency = Frequency.MENSUAL


INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        key="eficiencia",
        name="Eficiencia de solicitudes",
        family=Family.SOLICITUDES,
        formula="Cantidad solicitudes resueltas / Cantidad solicitudes recibidas × 100",
        numerator="Solicitudes resueltas en el mes",
        denominator="Solicitudes recibidas en el mes",
        target_key="meta.eficiencia",
        default_target=Fraction(95),
    ),
    IndicatorDef(
        key="software",
        name="Soporte software",
        family=Family.SOPORTE,
        formula="No. de casos de software solucionados / No. total de casos de software × 100",
        numerator="Casos de software solucionados en el mes",
        denominator="Casos de software recibidos en el mes",
        target_key="meta.software",
        default_target=Fraction(95),
    ),
    IndicatorDef(
        key="hardware",
        name="Soporte hardware",
        family=Family.SOPORTE,
        formula="No. de casos de hardware solucionados / No. total de casos de hardware × 100",
        numerator="Casos de hardware solucionados en el mes",
        denominator="Casos de hardware recibidos en el mes",
        target_key="meta.hardware",
        default_target=Fraction(60),
    ),
    IndicatorDef(
        key="remoto",
        name="Soporte remoto",
        family=Family.SOPORTE,
        formula="Cantidad soluciones remotas / Total de soluciones × 100",
        numerator="Soluciones remotas en el mes",
        denominator="Soluciones en el mes",
        target_key="meta.remoto",
        default_target=Fraction(40),
    ),
    IndicatorDef(
        key="satisfaccion",
        name="Nivel de satisfacción",
        family=Family.SATISFACCION,
        formula="Encuestas con calificación 4 o 5 / Encuestas respondidas × 100",
        numerator="Encuestas con calificación 4 o 5",
        denominator="Encuestas respondidas",
        target_key="meta.satisfaccion",
        default_target=Fraction(95),
        frequency=Frequency.SEMESTRAL,
    ),
    IndicatorDef(
        key="ans_resolucion",
        name="Cumplimiento ANS de solución",
        family=Family.ANS,
        formula="Casos resueltos dentro del ANS de solución / Casos resueltos × 100",
        numerator="Casos resueltos en el mes dentro del ANS",
        denominator="Casos resueltos en el mes",
        target_key="meta.ans_resolucion",
        default_target=Fraction(90),
    ),
    IndicatorDef(
        key="ans_respuesta",
        name="Cumplimiento ANS de respuesta",
        family=Family.ANS,
        formula="Casos con primera respuesta dentro del ANS / Casos con primera respuesta × 100",
        numerator="Casos con primera respuesta en el mes dentro del ANS",
        denominator="Casos con primera respuesta en el mes",
        target_key="meta.ans_respuesta",
        default_target=Fraction(90),
    ),
)
INDICATOR_KEYS = tuple(d.key for d in INDICATORS)
_BY_KEY = {d.key: d for d in INDICATORS}


def indicator(key: str) -> IndicatorDef:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown indicator {key!r}; expected one of {', '.join(INDICATOR_KEYS)}") from None


def format_percent(value: Fraction | float | None, decimals: int = 1) -> str:
    """es-CO: decimal comma, "128,0%"; None is "sin casos"."""
    if value is None:
        return NO_CASES
    return f"{float(value):.{decimals}f}".replace(".", ",") + "%"


def parse_target(text: str) -> Fraction:
    """A target as an admin types it ("95", "92,5", "92.5 %"), in percent from 0 to 100."""
    cleaned = (text or "").strip().rstrip("%").strip().replace(",", ".")
    try:
        value = Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"La meta «{text}» no es un número: escriba un porcentaje como 95 o 92,5.") from None
    if not 0 <= value <= 100:
        raise ValueError(f"La meta debe estar entre 0 y 100 % (recibido: {text}).")
    return value


def format_target(value: Fraction) -> str:
    """How a target is stored in settings: "95", "92.5"."""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


@dataclass(frozen=True)
class IndicatorValue:
    """One period's value: numerator / denominator × 100, or "sin casos"."""

    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        if self.numerator < 0 or self.denominator < 0:
            raise ValueError(f"counts must not be negative: {self.numerator}/{self.denominator}")

    @property
    def has_cases(self) -> bool:
        return self.denominator > 0

    @property
    def percent_exact(self) -> Fraction | None:
        return Fraction(self.numerator * 100, self.denominator) if self.denominator else None

    @property
    def percent(self) -> float | None:
        exact = self.percent_exact
        return None if exact is None else float(exact)

    @property
    def ratio(self) -> float | None:
        """The fraction (1.28 for 128 %): what a spreadsheet cell with % format holds."""
        return None if not self.denominator else self.numerator / self.denominator

    def meets(self, target: Fraction) -> bool | None:
        exact = self.percent_exact
        return None if exact is None else exact >= target

    def label(self) -> str:
        return format_percent(self.percent_exact)

    def __add__(self, other: IndicatorValue) -> IndicatorValue:
        return IndicatorValue(self.numerator + other.numerator, self.denominator + other.denominator)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator over a year, laid out as the entity reports it."""

    definition: IndicatorDef
    target: Fraction  # percent
    months: tuple[IndicatorValue, ...]  # Mes1..Mes12
    semesters: tuple[IndicatorValue, IndicatorValue]  # January-June, July-December, pooled
    average: Fraction | None  # percent, the seed's PROMEDIO (whole); None when the year has no case
    year_to_date: IndicatorValue = IndicatorValue(0, 0)  # the counted months pooled
    current_month: int | None = None  # 1-12 when the year is the current one: that month is "en curso"

    @property
    def met(self) -> bool | None:
        return None if self.average is None else self.average >= self.target

    @property
    def month_met(self) -> tuple[bool | None, ...]:
        return tuple(v.meets(self.target) for v in self.months)

    @property
    def semester_met(self) -> tuple[bool | None, ...]:
        return tuple(v.meets(self.target) for v in self.semesters)

    @property
    def average_label(self) -> str:
        return format_percent(self.average, decimals=0)

    @property
    def target_label(self) -> str:
        return format_percent(self.target, decimals=0 if self.target.denominator == 1 else 1)

    @property
    def met_label(self) -> str:
        return {True: "Sí", False: "No", None: NO_CASES}[self.met]

    @property
    def totals(self) -> IndicatorValue:
        """The year's pooled counts (for the numerator and denominator rows)."""
        return self.semesters[0] + self.semesters[1]


@dataclass(frozen=True)
class IndicatorTable:
    year: int
    rows: tuple[IndicatorRow, ...]
    current_month: int | None = None  # the month "en curso" when the year is the current one

    def month_labels(self, long: bool = False) -> tuple[str, ...]:
        return tuple(month_label(m, self.current_month, long) for m in range(1, MONTHS + 1))

    def row(self, key: str) -> IndicatorRow:
        for r in self.rows:
            if r.definition.key == key:
                return r
        raise KeyError(key)

    def family(self, family: Family) -> tuple[IndicatorRow, ...]:
        return tuple(r for r in self.rows if r.definition.family is family)


def round_half_up(value: Fraction) -> int:
    """91.5 -> 92, 39.5 -> 40 (the spreadsheet's ROUND), not Python's round-half-even."""
    return int((value + Fraction(1, 2)) // 1)


def seed_average(values: Sequence[IndicatorValue]) -> Fraction | None:
    """The seed's PROMEDIO of `values`: their mean, a period without cases as 0 %,
    rounded half up; None when none of them has a case."""
    if not any(v.has_cases for v in values):
        return None
    total = sum((v.percent_exact or Fraction(0) for v in values), Fraction(0))
    return Fraction(round_half_up(total / len(values)))


def build_row(
    definition: IndicatorDef,
    counts: Sequence[tuple[int, int]],
    target: Fraction,
    through: int = MONTHS,
    current_month: int | None = None,
) -> IndicatorRow:
    """One indicator's year; `through` is how many months of it have begun (12 for a
    finished year), the ones the promedio and the year-to-date figure count."""
    if len(counts) != MONTHS:
        raise ValueError(f"{definition.key}: expected {MONTHS} monthly counts, got {len(counts)}")
    if not 0 <= through <= MONTHS:
        raise ValueError(f"through must be 0..{MONTHS}, got {through}")
    months = tuple(IndicatorValue(n, d) for n, d in counts)
    semesters = (
        sum(months[:6], IndicatorValue(0, 0)),
        sum(months[6:], IndicatorValue(0, 0)),
    )
    if definition.frequency is Frequency.SEMESTRAL:
        periods: Sequence[IndicatorValue] = semesters[: (through + 5) // 6]
    else:
        periods = months[:through]
    year_to_date = sum(months[:through], IndicatorValue(0, 0))
    return IndicatorRow(definition, target, months, semesters, seed_average(periods), year_to_date, current_month)


def build_table(
    year: int,
    counts: Mapping[str, Sequence[tuple[int, int]]],
    targets: Mapping[str, Fraction],
    today: date | None = None,
) -> IndicatorTable:
    """The year's table from monthly (numerator, denominator) counts per indicator
    key and targets per target setting key (missing ones take the default).
    `today` (Bogotá) tells a finished year from the current one, whose months
    after today's are not counted yet (None: a finished year)."""
    through, current = MONTHS, None
    if today is not None and today.year == year:
        through, current = today.month, today.month
    elif today is not None and today.year < year:
        through = 0
    rows = tuple(
        build_row(d, counts[d.key], targets.get(d.target_key, d.default_target), through, current) for d in INDICATORS
    )
    return IndicatorTable(year, rows, current)


def month_label(month: int, current_month: int | None, long: bool = False) -> str:
    """ "Ene" ... "Dic"; the current month marked "Dic*" (or "Dic (en curso)")."""
    name = MONTH_NAMES[month - 1]
    if month != current_month:
        return name
    return f"{name} ({IN_PROGRESS})" if long else f"{name}*"


def month_bounds(year: int, tz: ZoneInfo = BOGOTA) -> tuple[datetime, ...]:
    """The 13 UTC instants that bound the year's local months: month m (1-based)
    is [bounds[m - 1], bounds[m])."""
    return tuple(datetime(year + (m // 12), m % 12 + 1, 1, tzinfo=tz).astimezone(UTC) for m in range(13))
