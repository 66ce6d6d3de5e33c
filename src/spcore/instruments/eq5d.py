"""EQ-5D scoring: health-state profiles, value sets, index values and the EQ VAS.

The EQ-5D describes health on five dimensions -- mobility, self-care, usual
activities, pain/discomfort and anxiety/depression -- each answered on five
levels (EQ-5D-5L) or three (EQ-5D-3L). The five answers form a profile, written
as five digits in dimension order (``"11223"``). A *value set* turns a profile
into an index value (1 = full health, 0 = dead, below 0 = worse than dead). The
EQ VAS is the respondent's own rating of their health today, 0 to 100.

Licensing
---------
The EQ-5D is the property of the EuroQol Research Foundation. Using it -- on
paper, electronically or in a system -- needs registration and, for most uses, a
licence from the Foundation: https://euroqol.org (EQ-5D, "Register to use"). This
module therefore ships scoring facts only: dimension names, level counts and
published value-set coefficients. It contains no questionnaire wording, level
labels or VAS instructions; obtain those from EuroQol with your licence.

Value sets shipped
------------------
Each value set is a JSON data file in :mod:`spcore.instruments.value_sets`
holding its coefficients, citation and the independent sources every number was
checked against. Ids are ``<area>-<year>-<first author>``:

``uk-2026-rowen`` (EQ-5D-5L, default)
    Rowen D, Mukuria C, Bray N, et al. A United Kingdom value set for the
    EQ-5D-5L. Value in Health 2026;29(5):858-869. doi:10.1016/j.jval.2026.03.008.
    Additive, no constant; 55555 = -0.567.
``england-2018-devlin`` (EQ-5D-5L)
    Devlin NJ, Shah KK, Feng Y, Mulhern B, van Hout B. Valuing health-related
    quality of life: An EQ-5D-5L value set for England. Health Economics
    2018;27(1):7-22. doi:10.1002/hec.3564. Additive, no constant; 55555 = -0.285.
``uk-1997-dolan`` (EQ-5D-3L, default)
    Dolan P. Modeling valuations for EuroQol health states. Medical Care
    1997;35(11):1095-1108. doi:10.1097/00005650-199711000-00002. TTO "N3" model:
    constant 0.081 for any problem, dimension decrements, and 0.269 when any
    dimension is at level 3; 33333 = -0.594.

Which value set NICE recommends, and so the defaults
----------------------------------------------------
* October 2019, NICE position statement on use of the EQ-5D-5L value set for
  England (https://www.nice.org.uk/corporate/ecd16): NICE did not recommend
  Devlin et al. (2018); 5L data were to be mapped to the 3L value set
  (Dolan 1997) with the van Hout et al. (2012) crosswalk, pending a new
  valuation study.
* January 2022, NICE health technology evaluations manual (PMG36): the 3L
  value set stayed the reference case; 5L data were mapped to it with the
  Decision Support Unit mapping (Hernandez Alava et al.), replacing van Hout.
* 2026: Rowen et al. published the new UK EQ-5D-5L value set (Value in Health,
  May 2026). NICE consulted on a modular update of PMG36/PMG20
  (https://www.nice.org.uk/consultations/3296, Appendix A) whose proposed text
  reads: use "the EQ-5D-5L descriptive system and value set (Rowen et al.
  2026) for reference-case analyses", and map 3L data onto the 5L value set
  with the DSU mapping. NICE's interim methods statement "implementing the
  EQ-5D-5L value set" (PMG51, https://www.nice.org.uk/process/pmg51),
  published 27 August 2026, makes that the reference case for evaluations
  started after that date; older topics keep the 3L reference.

:data:`DEFAULT_5L_VALUE_SET` is therefore ``"uk-2026-rowen"``. The PMG51 page
itself could not be read when this was written: the wording adopted is NICE's
own consultation text, and the publication of PMG51 on 27 August 2026 is as
cited by two independent maintained tools (the R package eq5dsuite, and an R
QALY-shortfall application that sets PMG51 as its current NICE regime).

:data:`DEFAULT_3L_VALUE_SET` is ``"uk-1997-dolan"``, the only UK 3L value set.
NICE's current reference case for 3L data is the age- and sex-specific DSU
mapping onto the 5L value set, which this module does not provide.

Not included, deliberately:

* the van Hout et al. (2012) 5L-to-3L crosswalk (Value in Health
  15(5):708-715), which NICE pointed to from its 2017 position statement until
  the 2022 manual replaced it. NICE no longer uses it, and it is a per-country
  lookup table of all 3125 states rather than a coefficient model, so it was
  not transcribed; EuroQol publishes it as the "crosswalk index value
  calculator".
* the Hernandez Alava et al. DSU mappings (PharmacoEconomics 2023;41:199-207,
  "EEPRU dataset"), NICE's choice for 5L data from 2022 and, in the 2026
  update, for mapping 3L data onto the 5L value set. They depend on age band
  and sex as well as the profile, so they are not a value set in the sense of
  this module and would need their own API and the DSU's published tables.

Rounding
--------
All three value sets publish coefficients to 3 decimal places and state values
to 3 decimal places. Coefficients are held as integer thousandths and summed
exactly, so an index is the exact 3-decimal published value (stored as the
nearest float) with no floating-point drift; :meth:`ValueSet.index` and
:meth:`ValueSet.index_batch` share one code path and agree bit for bit.

Public API
----------
``DIMENSIONS``
    The five :class:`Dimension` (id, name, abbreviation), in profile order.
``LEVELS``
    ``{"5L": 5, "3L": 3}``.
``ValueSet``
    Frozen: ``id``, ``version``, ``country``, ``title``, ``citation``, ``doi``,
    ``url``, ``source``, ``decimals``, ``constant``, ``n3``, ``decrements``,
    ``verified_against``, ``notes``; ``coefficients`` (dict), ``levels``,
    ``min_index``; ``index(profile) -> float``;
    ``index_batch(levels: int array (n, 5)) -> float array (n,)``.
``VALUE_SETS``
    Read-only mapping id -> :class:`ValueSet`.
``DEFAULT_5L_VALUE_SET``, ``DEFAULT_3L_VALUE_SET``
    Value-set ids; ``default_value_set(version)`` returns the object.
``parse_profile(value, version, *, path="")``
    ``-> (tuple[int, ...] | None, list[Finding])``. Accepts ``"12345"``, the int
    ``12345``, a sequence of five answers, or a mapping keyed by dimension id or
    abbreviation. Never raises on bad input.
``parse_vas(value, *, path="")``
    ``-> (int | None, list[Finding])``.
``score_eq5d(profile_or_answers, version, value_set=None, vas=None, *, path="")``
    ``-> EQ5DResult`` (``version``, ``value_set_id``, ``profile``, ``index``,
    ``vas``, ``findings``; ``ok``; ``profile_string``; ``to_dict()``).
``score_eq5d_batch(levels, version, value_set=None)``
    ``-> (float array with NaN for unusable rows, list[Finding])``.
``FINDING_CODES``
    Code -> meaning for every finding raised here (``SPC-I101`` ...).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from spcore.findings import Finding, error, has_errors, pointer
from spcore.instruments.value_sets import load_value_set_data, value_set_files

__all__ = [
    "DEFAULT_3L_VALUE_SET",
    "DEFAULT_5L_VALUE_SET",
    "DIMENSIONS",
    "FINDING_CODES",
    "LEVELS",
    "VALUE_SETS",
    "VAS_MAX",
    "VAS_MIN",
    "Dimension",
    "EQ5DResult",
    "ValueSet",
    "default_value_set",
    "parse_profile",
    "parse_vas",
    "profile_string",
    "score_eq5d",
    "score_eq5d_batch",
]

# --------------------------------------------------------------------------
# Finding codes
# --------------------------------------------------------------------------

MISSING_PROFILE: Final = "SPC-I101"
PROFILE_TYPE: Final = "SPC-I102"
PROFILE_LENGTH: Final = "SPC-I103"
LEVEL_NOT_WHOLE: Final = "SPC-I104"
LEVEL_OUT_OF_RANGE: Final = "SPC-I105"
UNKNOWN_VERSION: Final = "SPC-I106"
UNKNOWN_VALUE_SET: Final = "SPC-I107"
VALUE_SET_VERSION: Final = "SPC-I108"
VAS_NOT_WHOLE: Final = "SPC-I109"
VAS_OUT_OF_RANGE: Final = "SPC-I110"

#: Every finding code raised by this module -> what it means.
FINDING_CODES: dict[str, str] = {
    MISSING_PROFILE: "The EQ-5D profile, or the answer for one dimension, is missing.",
    PROFILE_TYPE: "The EQ-5D profile is not a 5-digit string, a list of five answers "
    "or a mapping of dimension to answer.",
    PROFILE_LENGTH: "The EQ-5D profile does not have exactly one answer for each of the "
    "five dimensions.",
    LEVEL_NOT_WHOLE: "An EQ-5D answer is not a whole number (for example a letter, a "
    "symbol or a fraction).",
    LEVEL_OUT_OF_RANGE: "An EQ-5D answer is outside 1-5 (EQ-5D-5L) or 1-3 (EQ-5D-3L).",
    UNKNOWN_VERSION: "The EQ-5D version is not '5L' or '3L'.",
    UNKNOWN_VALUE_SET: "The requested EQ-5D value set id is not one spcore holds.",
    VALUE_SET_VERSION: "The requested value set is for the other EQ-5D version "
    "(a 5L value set for 3L answers, or the reverse).",
    VAS_NOT_WHOLE: "The EQ VAS score is not a whole number.",
    VAS_OUT_OF_RANGE: "The EQ VAS score is outside 0-100.",
}

# --------------------------------------------------------------------------
# Dimensions and levels
# --------------------------------------------------------------------------


@attrs.frozen
class Dimension:
    """One EQ-5D dimension: a stable id, its name and the usual abbreviation."""

    id: str
    name: str
    abbreviation: str


#: The five dimensions in profile order (names only; no item wording).
DIMENSIONS: Final[tuple[Dimension, ...]] = (
    Dimension("mobility", "Mobility", "MO"),
    Dimension("self_care", "Self-care", "SC"),
    Dimension("usual_activities", "Usual activities", "UA"),
    Dimension("pain_discomfort", "Pain/discomfort", "PD"),
    Dimension("anxiety_depression", "Anxiety/depression", "AD"),
)

#: Number of answer levels per version.
LEVELS: Final[Mapping[str, int]] = MappingProxyType({"5L": 5, "3L": 3})

VAS_MIN: Final = 0
VAS_MAX: Final = 100

_N_DIM: Final = len(DIMENSIONS)
# Mapping keys may name a dimension by id or by abbreviation, in any case.
_DIMENSION_KEYS: Final[dict[str, int]] = {
    **{d.id: i for i, d in enumerate(DIMENSIONS)},
    **{d.abbreviation.lower(): i for i, d in enumerate(DIMENSIONS)},
}

# --------------------------------------------------------------------------
# Value sets
# --------------------------------------------------------------------------

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _to_units(value: float, scale: int, what: str) -> int:
    """Convert a published coefficient to integer units of ``1/scale``.

    Published coefficients have a fixed number of decimals; holding them as
    integers makes sums exact, so scalar and batch scoring cannot drift apart.
    """
    units = round(value * scale)
    if abs(value * scale - units) > 1e-6:
        raise ValueError(f"{what} = {value} has more decimals than the value set declares")
    return units


@attrs.frozen
class ValueSet:
    """An EQ-5D value set: coefficients that turn a profile into an index value.

    ``decrements[d][k]`` is subtracted from 1 when dimension ``d`` (in
    :data:`DIMENSIONS` order) is at level ``k + 1``; ``constant`` is subtracted
    when any dimension is above level 1; ``n3`` when any dimension is at level 3
    (EQ-5D-3L only). Construct value sets from data with
    :meth:`from_data`; the bundled ones are in :data:`VALUE_SETS`.
    """

    id: str
    version: str
    country: str
    title: str
    citation: str
    doi: str
    url: str
    source: str
    decimals: int
    constant: float
    n3: float
    decrements: tuple[tuple[float, ...], ...]
    verified_against: tuple[str, ...] = ()
    notes: str = ""
    _scale: int = attrs.field(init=False, repr=False, eq=False, hash=False)
    _table: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _constant_units: int = attrs.field(init=False, repr=False, eq=False, hash=False)
    _n3_units: int = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Check the coefficients and build the integer lookup table."""
        if self.version not in LEVELS:
            raise ValueError(f"value set {self.id}: version must be '5L' or '3L'")
        n_levels = LEVELS[self.version]
        if len(self.decrements) != _N_DIM:
            raise ValueError(f"value set {self.id}: needs decrements for {_N_DIM} dimensions")
        if self.n3 and self.version != "3L":
            raise ValueError(f"value set {self.id}: an N3 term only exists for EQ-5D-3L")
        scale = 10**self.decimals
        # Column 0 is unused so that a level indexes its own column.
        table = np.zeros((_N_DIM, n_levels + 1), dtype=np.int64)
        for d, (dim, row) in enumerate(zip(DIMENSIONS, self.decrements, strict=True)):
            if len(row) != n_levels:
                raise ValueError(f"value set {self.id}: {dim.id} needs {n_levels} levels")
            if row[0] != 0:
                raise ValueError(f"value set {self.id}: {dim.id} level 1 must be 0")
            for k, value in enumerate(row):
                table[d, k + 1] = _to_units(value, scale, f"{self.id} {dim.id} level {k + 1}")
        table.setflags(write=False)
        object.__setattr__(self, "_scale", scale)
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_constant_units", _to_units(self.constant, scale, "constant"))
        object.__setattr__(self, "_n3_units", _to_units(self.n3, scale, "n3"))

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ValueSet:
        """Build a value set from its JSON object (see the bundled files)."""
        decrements = data["decrements"]
        missing = [d.id for d in DIMENSIONS if d.id not in decrements]
        if missing:
            raise ValueError(f"value set {data.get('id')}: no decrements for {missing}")
        return cls(
            id=str(data["id"]),
            version=str(data["version"]),
            country=str(data["country"]),
            title=str(data["title"]),
            citation=str(data["citation"]),
            doi=str(data.get("doi", "")),
            url=str(data.get("url", "")),
            source=str(data.get("source", "")),
            decimals=int(data["decimals"]),
            constant=float(data.get("constant", 0.0)),
            n3=float(data.get("n3", 0.0)),
            decrements=tuple(tuple(float(x) for x in decrements[d.id]) for d in DIMENSIONS),
            verified_against=tuple(str(s) for s in data.get("verified_against", ())),
            notes=str(data.get("notes", "")),
        )

    @property
    def levels(self) -> int:
        """Number of answer levels (5 or 3)."""
        return LEVELS[self.version]

    @property
    def coefficients(self) -> dict[str, Any]:
        """The coefficients as a plain dictionary (dimension id -> decrements)."""
        return {
            "constant": self.constant,
            "n3": self.n3,
            "decrements": {
                d.id: list(row) for d, row in zip(DIMENSIONS, self.decrements, strict=True)
            },
        }

    @property
    def min_index(self) -> float:
        """The lowest index this value set gives: the worst state (all level max).

        Every decrement grows with level, so the all-worst profile is the minimum.
        """
        return self.index((self.levels,) * _N_DIM)

    def index(self, profile: Sequence[int] | str) -> float:
        """Index value for one valid profile (five levels, or a 5-digit string).

        This is the trusted core: it raises :class:`ValueError` on a bad profile.
        Use :func:`score_eq5d` for untrusted input, which reports findings.
        """
        if isinstance(profile, str):
            if len(profile) != _N_DIM or not all(c in "0123456789" for c in profile):
                raise ValueError(f"not a 5-digit profile: {profile!r}")
            row = [int(c) for c in profile]
        else:
            row = [int(x) for x in profile]
        return float(self.index_batch(np.asarray([row], dtype=np.int64))[0])

    def index_batch(self, levels: npt.ArrayLike) -> FloatArray:
        """Index values for an integer array of shape ``(n, 5)``, one row a profile.

        Vectorised and exactly equal, element by element, to :meth:`index`
        (which calls this). Raises :class:`ValueError` for a wrong shape, a
        non-integer array or a level out of range; :func:`score_eq5d_batch`
        reports those as findings instead.
        """
        arr = np.asarray(levels)
        if arr.ndim != 2 or arr.shape[1] != _N_DIM:
            raise ValueError(f"levels must have shape (n, {_N_DIM}), not {arr.shape}")
        if arr.size == 0:
            return np.zeros(arr.shape[0], dtype=np.float64)
        if not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"levels must be an integer array, not {arr.dtype}")
        if arr.min() < 1 or arr.max() > self.levels:
            raise ValueError(f"levels must be between 1 and {self.levels}")
        arr = arr.astype(np.int64, copy=False)
        # table[d, level] for every row and dimension at once.
        units = self._table[np.arange(_N_DIM), arr].sum(axis=1)
        if self._constant_units:
            units = units + self._constant_units * (arr > 1).any(axis=1)
        if self._n3_units:
            units = units + self._n3_units * (arr == 3).any(axis=1)
        # Integer numerator over the integer scale: one correctly rounded division.
        result: FloatArray = (self._scale - units) / self._scale
        return result


def _load_value_sets() -> Mapping[str, ValueSet]:
    sets: dict[str, ValueSet] = {}
    for name in value_set_files():
        vs = ValueSet.from_data(load_value_set_data(name))
        if name != f"{vs.id}.json":
            raise ValueError(f"value-set file {name} holds id {vs.id}")
        sets[vs.id] = vs
    return MappingProxyType(sets)


#: Every bundled value set, by id.
VALUE_SETS: Final[Mapping[str, ValueSet]] = _load_value_sets()

#: NICE reference case for EQ-5D-5L since 27 August 2026 (PMG51): Rowen et al. 2026.
DEFAULT_5L_VALUE_SET: Final = "uk-2026-rowen"
#: The UK EQ-5D-3L TTO value set (Dolan 1997).
DEFAULT_3L_VALUE_SET: Final = "uk-1997-dolan"

_DEFAULTS: Final[Mapping[str, str]] = MappingProxyType(
    {"5L": DEFAULT_5L_VALUE_SET, "3L": DEFAULT_3L_VALUE_SET}
)


def default_value_set(version: str) -> ValueSet:
    """The default value set for ``"5L"`` or ``"3L"`` (raises ``KeyError`` otherwise)."""
    return VALUE_SETS[_DEFAULTS[version]]


# --------------------------------------------------------------------------
# Parsing untrusted input
# --------------------------------------------------------------------------


def _version_finding(version: object, path: str) -> Finding | None:
    if isinstance(version, str) and version in LEVELS:
        return None
    return error(
        UNKNOWN_VERSION,
        path,
        f"EQ-5D version {version!r} is not recognised; use '5L' or '3L'.",
    )


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float | np.floating) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _whole_number(value: object) -> int | None:
    """The value as an int if it is a whole number (not a bool), else None."""
    if isinstance(value, bool | np.bool_):
        # True == 1 in Python; a yes/no must never pass as a level or a score.
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float | np.floating):
        return int(value) if math.isfinite(value) and float(value).is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.isascii() and text.isdigit() else None
    return None


def _check_level(
    value: object, n_levels: int, dim: Dimension, path: str
) -> tuple[int | None, Finding | None]:
    if _is_missing(value):
        return None, error(MISSING_PROFILE, path, f"The {dim.name} answer is missing.")
    level = _whole_number(value)
    if level is None:
        return None, error(
            LEVEL_NOT_WHOLE,
            path,
            f"The {dim.name} answer {value!r} is not a whole number from 1 to {n_levels}.",
        )
    if not 1 <= level <= n_levels:
        return None, error(
            LEVEL_OUT_OF_RANGE,
            path,
            f"The {dim.name} answer {level} is outside 1-{n_levels} for EQ-5D-{n_levels}L.",
        )
    return level, None


def _parse_string(
    text: str, n_levels: int, path: str
) -> tuple[tuple[int, ...] | None, list[Finding]]:
    findings: list[Finding] = []
    bad = sorted({c for c in text if c not in "0123456789"})
    if bad:
        findings.append(
            error(
                LEVEL_NOT_WHOLE,
                path,
                f"The profile {text!r} contains {', '.join(repr(c) for c in bad)}; "
                f"it must be {_N_DIM} digits, one per dimension.",
            )
        )
    if len(text) != _N_DIM:
        findings.append(
            error(
                PROFILE_LENGTH,
                path,
                f"The profile {text!r} has {len(text)} characters; it must have "
                f"{_N_DIM} digits, one per dimension.",
            )
        )
    if findings:
        return None, findings
    for dim, char in zip(DIMENSIONS, text, strict=True):
        level = int(char)
        if not 1 <= level <= n_levels:
            findings.append(
                error(
                    LEVEL_OUT_OF_RANGE,
                    path,
                    f"In profile {text!r} the {dim.name} digit {level} is outside "
                    f"1-{n_levels} for EQ-5D-{n_levels}L.",
                )
            )
    if findings:
        return None, findings
    return tuple(int(c) for c in text), []


def _parse_mapping(
    answers: Mapping[Any, Any], n_levels: int, path: str
) -> tuple[tuple[int, ...] | None, list[Finding]]:
    findings: list[Finding] = []
    slots: list[object] = [None] * _N_DIM
    seen = [False] * _N_DIM
    for key, value in answers.items():
        index = _DIMENSION_KEYS.get(str(key).strip().lower())
        if index is None or seen[index]:
            what = "is not an EQ-5D dimension" if index is None else "repeats a dimension"
            findings.append(
                error(
                    PROFILE_LENGTH,
                    path + pointer(str(key)),
                    f"The answer key {key!r} {what}; use "
                    + ", ".join(d.id for d in DIMENSIONS)
                    + ".",
                )
            )
            continue
        seen[index] = True
        slots[index] = value
    profile, level_findings = _check_levels(
        [(slots[i], dim, path + pointer(dim.id)) for i, dim in enumerate(DIMENSIONS)], n_levels
    )
    if findings or level_findings:
        return None, findings + level_findings
    return profile, []


def _parse_sequence(
    answers: Sequence[object], n_levels: int, path: str
) -> tuple[tuple[int, ...] | None, list[Finding]]:
    if len(answers) != _N_DIM:
        return None, [
            error(
                PROFILE_LENGTH,
                path,
                f"The profile has {len(answers)} answers; it needs exactly {_N_DIM}, "
                "one per dimension in the order " + ", ".join(d.name for d in DIMENSIONS) + ".",
            )
        ]
    return _check_levels(
        [
            (value, dim, path + pointer(i))
            for i, (dim, value) in enumerate(zip(DIMENSIONS, answers, strict=True))
        ],
        n_levels,
    )


def _check_levels(
    answers: Sequence[tuple[object, Dimension, str]], n_levels: int
) -> tuple[tuple[int, ...] | None, list[Finding]]:
    """Check each (answer, dimension, path); the profile, or every finding."""
    findings: list[Finding] = []
    levels: list[int] = []
    for value, dim, where in answers:
        level, finding = _check_level(value, n_levels, dim, where)
        if finding is not None:
            findings.append(finding)
        elif level is not None:
            levels.append(level)
    if findings:
        return None, findings
    return tuple(levels), []


def parse_profile(
    value: object, version: str, *, path: str = ""
) -> tuple[tuple[int, ...] | None, list[Finding]]:
    """Read an EQ-5D profile from untrusted input; never raises.

    ``value`` may be a 5-digit string (``"12345"``, surrounding spaces ignored),
    the same as an int (``12345``), a sequence of five answers in
    :data:`DIMENSIONS` order, or a mapping from dimension id or abbreviation
    (``"mobility"`` or ``"MO"``) to answer. Answers may be ints, whole floats or
    digit strings. ``path`` is the JSON Pointer of ``value`` in the document;
    findings about one answer point below it (``/0`` or ``/mobility``).

    Returns the profile as a tuple of five ints, or ``None`` with the findings
    (codes ``SPC-I101`` to ``SPC-I106``) that explain why it cannot be read.
    """
    version_finding = _version_finding(version, path)
    if version_finding is not None:
        return None, [version_finding]
    n_levels = LEVELS[version]
    if _is_missing(value):
        return None, [error(MISSING_PROFILE, path, "The EQ-5D profile is missing.")]
    if isinstance(value, bool | np.bool_):
        return None, [error(PROFILE_TYPE, path, f"The EQ-5D profile {value!r} is a yes/no value.")]
    if isinstance(value, numbers.Integral):
        # A profile read from a spreadsheet often arrives as the number 11223.
        return _parse_string(str(int(value)), n_levels, path)
    if isinstance(value, str):
        return _parse_string(value.strip(), n_levels, path)
    if isinstance(value, Mapping):
        return _parse_mapping(value, n_levels, path)
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            return None, [
                error(PROFILE_TYPE, path, "The EQ-5D profile must be one row of five answers.")
            ]
        return _parse_sequence(list(value.tolist()), n_levels, path)
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return _parse_sequence(value, n_levels, path)
    return None, [
        error(
            PROFILE_TYPE,
            path,
            f"The EQ-5D profile has type {type(value).__name__}; give a 5-digit string "
            "such as '11223' or a list of five answers.",
        )
    ]


def parse_vas(value: object, *, path: str = "") -> tuple[int | None, list[Finding]]:
    """Validate an EQ VAS score (whole number 0-100); never raises.

    Missing (``None``, empty, NaN) is allowed and gives ``None`` with no finding:
    the VAS is optional. Whole floats and digit strings are accepted.
    """
    if _is_missing(value):
        return None, []
    vas = _whole_number(value)
    if vas is None:
        return None, [
            error(VAS_NOT_WHOLE, path, f"The EQ VAS score {value!r} is not a whole number 0-100.")
        ]
    if not VAS_MIN <= vas <= VAS_MAX:
        return None, [error(VAS_OUT_OF_RANGE, path, f"The EQ VAS score {vas} is outside 0-100.")]
    return vas, []


def profile_string(profile: Sequence[int]) -> str:
    """Write a parsed profile as its 5-digit string, e.g. ``(1, 1, 2, 2, 3) -> "11223"``."""
    return "".join(str(int(level)) for level in profile)


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


@attrs.frozen
class EQ5DResult:
    """The outcome of scoring one EQ-5D response.

    ``value_set_id`` always names the value set used (or that would have been
    used, when the profile could not be read), so no index is ever reported
    without its value set. ``index`` is ``None`` when the profile or value set
    is unusable; ``findings`` say why.
    """

    version: str
    value_set_id: str | None
    profile: tuple[int, ...] | None
    index: float | None
    vas: int | None
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not has_errors(self.findings)

    @property
    def profile_string(self) -> str | None:
        """The profile as a 5-digit string, or ``None``."""
        return None if self.profile is None else profile_string(self.profile)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dictionary."""
        return {
            "version": self.version,
            "value_set": self.value_set_id,
            "profile": self.profile_string,
            "index": self.index,
            "vas": self.vas,
            "findings": [f.to_dict() for f in self.findings],
        }


def _resolve_value_set(
    value_set: ValueSet | str | None, version: str, path: str
) -> tuple[ValueSet | None, str | None, list[Finding]]:
    if value_set is None:
        vs = default_value_set(version)
        return vs, vs.id, []
    if isinstance(value_set, ValueSet):
        vs = value_set
    else:
        found = VALUE_SETS.get(value_set) if isinstance(value_set, str) else None
        if found is None:
            known = ", ".join(sorted(VALUE_SETS))
            return (
                None,
                None,
                [
                    error(
                        UNKNOWN_VALUE_SET,
                        path,
                        f"There is no EQ-5D value set {value_set!r}; choose one of {known}.",
                    )
                ],
            )
        vs = found
    if vs.version != version:
        return (
            None,
            vs.id,
            [
                error(
                    VALUE_SET_VERSION,
                    path,
                    f"Value set {vs.id!r} is for EQ-5D-{vs.version}, but the answers are "
                    f"EQ-5D-{version}.",
                )
            ],
        )
    return vs, vs.id, []


def score_eq5d(
    profile_or_answers: object,
    version: str,
    value_set: ValueSet | str | None = None,
    vas: object = None,
    *,
    path: str = "",
) -> EQ5DResult:
    """Score one EQ-5D response: index value from the profile, VAS passed through.

    ``value_set`` is a :class:`ValueSet`, a key of :data:`VALUE_SETS`, or
    ``None`` for the default of ``version`` (:data:`DEFAULT_5L_VALUE_SET` or
    :data:`DEFAULT_3L_VALUE_SET`). Findings point at ``path + "/profile"``,
    ``path + "/vas"``, ``path + "/value_set"`` and ``path + "/version"``.
    Never raises on bad input.
    """
    findings: list[Finding] = []
    version_finding = _version_finding(version, path + pointer("version"))
    checked_vas, vas_findings = parse_vas(vas, path=path + pointer("vas"))
    if version_finding is not None:
        findings.append(version_finding)
        findings.extend(vas_findings)
        return EQ5DResult(str(version), None, None, None, checked_vas, tuple(findings))
    vs, vs_id, vs_findings = _resolve_value_set(value_set, version, path + pointer("value_set"))
    profile, profile_findings = parse_profile(
        profile_or_answers, version, path=path + pointer("profile")
    )
    findings.extend(profile_findings)
    findings.extend(vs_findings)
    findings.extend(vas_findings)
    index = vs.index(profile) if vs is not None and profile is not None else None
    return EQ5DResult(version, vs_id, profile, index, checked_vas, tuple(findings))


def score_eq5d_batch(
    levels: npt.ArrayLike, version: str, value_set: ValueSet | str | None = None
) -> tuple[FloatArray, list[Finding]]:
    """Score a column block of profiles: array-like of shape ``(n, 5)``.

    Integer or float input (floats so that missing answers can be NaN). Rows
    with a missing, fractional or out-of-range answer score NaN and get a
    finding at ``/<row>/<dimension index>``; valid rows get exactly the value
    :meth:`ValueSet.index` gives. Never raises on bad input.
    """
    version_finding = _version_finding(version, "")
    if version_finding is not None:
        return np.full(0, np.nan), [version_finding]
    vs, _, vs_findings = _resolve_value_set(value_set, version, "")
    try:
        arr = np.asarray(levels, dtype=np.float64)
    except (TypeError, ValueError):
        return np.full(0, np.nan), [
            error(LEVEL_NOT_WHOLE, "", "The EQ-5D answers are not all numbers.")
        ]
    if arr.ndim != 2 or arr.shape[1] != _N_DIM:
        return np.full(0, np.nan), [
            error(
                PROFILE_LENGTH,
                "",
                f"The EQ-5D answers must form rows of {_N_DIM} (one per dimension), "
                f"not an array of shape {arr.shape}.",
            )
        ]
    n_levels = LEVELS[version]
    result = np.full(arr.shape[0], np.nan)
    if vs is None:
        return result, vs_findings
    missing = np.isnan(arr)
    fractional = ~missing & (np.floor(arr) != arr)
    out_of_range = ~missing & ~fractional & ((arr < 1) | (arr > n_levels))
    findings: list[Finding] = list(vs_findings)
    for row, col in zip(*np.nonzero(missing | fractional | out_of_range), strict=True):
        dim = DIMENSIONS[int(col)]
        where = pointer(int(row), int(col))
        if missing[row, col]:
            findings.append(error(MISSING_PROFILE, where, f"The {dim.name} answer is missing."))
        elif fractional[row, col]:
            findings.append(
                error(
                    LEVEL_NOT_WHOLE,
                    where,
                    f"The {dim.name} answer {arr[row, col]!r} is not a whole number.",
                )
            )
        else:
            findings.append(
                error(
                    LEVEL_OUT_OF_RANGE,
                    where,
                    f"The {dim.name} answer {arr[row, col]:g} is outside 1-{n_levels} "
                    f"for EQ-5D-{n_levels}L.",
                )
            )
    good = ~(missing | fractional | out_of_range).any(axis=1)
    if good.any():
        result[good] = vs.index_batch(arr[good].astype(np.int64))
    return result, findings
