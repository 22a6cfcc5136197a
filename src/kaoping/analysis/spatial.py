"""Spatial autocorrelation (空间自相关): contiguity weights, global Moran's I, local Moran (LISA).

Three steps, as in the county-economy papers that map an index:

1. **Weights.**  :func:`contiguity` gives the queen (共点) or rook (共边) contiguity of Henan's
   102 ranked counties from the pairs kaoping ships (``divisions/henan_contiguity.csv``, made by
   ``scripts/build_contiguity.py`` from the platform's county map), or of any units from a
   GeoJSON; :func:`weights_from_file` reads a user's neighbour list (CSV ``code_a,code_b[,weight]``,
   GeoDa's ``.gal``/``.gwt``).  Each is a :class:`libpysal.weights.W`, row-standardised by
   default.  libpysal's warning about a graph in several pieces is replaced by
   :func:`connectivity`, whose components and islands every result carries: Henan's county
   graph has two components, because 虞城县, 夏邑县 and 永城市 touch only each other and 商丘's
   districts, which are not ranked.
2. **Global Moran's I** (:func:`moran`, :func:`moran_panel` per period) with its moments under
   normality and randomisation (esda's :class:`esda.Moran`) and a permutation pseudo p-value.
3. **Local Moran** (:func:`local_moran`): per unit :math:`I_i`, a conditional-permutation
   pseudo p-value, the Moran-scatterplot quadrant and the cluster (高-高, 低-低, 低-高, 高-低
   at :math:`p < \\alpha`, else 不显著).

Values are aligned to the weights by unit code: a unit with a value but no entry in the weights
is an error naming it; a unit of the weights without a value (absent or missing) is dropped,
the weights are re-standardised over the units kept, and the result lists what was dropped.

The statistics and their analytical moments are esda's; the permutations are kaoping's,
drawn from one ``rng`` (an ``int`` seed, a :class:`numpy.random.Generator` or None), never from
global state: :class:`esda.Moran` has no seed and shuffles with NumPy's global
``np.random.permutation``, and :class:`esda.Moran_Local`'s ``seed`` seeds numba's generator in
kernels compiled on every first use (some 20 s per process on a 2-core machine).  kaoping's
kernels (numba, cached on disk) shuffle by Fisher-Yates with draws from the Generator; the
conditional permutations follow esda's ``crand`` (one random ordered sample per permutation,
shared by the units).  Each result records the integer ``seed`` it used: the same seed gives the
same numbers.

References
----------
.. [Moran1950] Moran, P. A. P. (1950). Notes on continuous stochastic phenomena. *Biometrika*
   37(1/2), 17-23. https://doi.org/10.2307/2332142
.. [CliffOrd1981] Cliff, A. D., Ord, J. K. (1981). *Spatial Processes: Models and
   Applications*. Pion, London (moments under normality and randomisation).
.. [Anselin1995] Anselin, L. (1995). Local indicators of spatial association -- LISA.
   *Geographical Analysis* 27(2), 93-115. https://doi.org/10.1111/j.1538-4632.1995.tb00338.x
.. [Sokal1998] Sokal, R. R., Oden, N. L., Thomson, B. A. (1998). Local spatial
   autocorrelation in a biological model. *Geographical Analysis* 30(4), 331-354
   (the moments of I_i under conditional randomisation).
.. [PySAL] Rey, S. J., Anselin, L. (2007). PySAL: a Python library of spatial analytical
   methods. *The Review of Regional Studies* 37(1), 5-27.
"""

from __future__ import annotations

import csv
import functools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from kaoping.errors import InputError, Problem

if TYPE_CHECKING:
    from libpysal.weights import W

__all__ = [
    "BUNDLED",
    "CLUSTERS",
    "Connectivity",
    "GlobalMoran",
    "LocalMoran",
    "connectivity",
    "contiguity",
    "local_moran",
    "moran",
    "moran_panel",
    "neighbour_pairs",
    "weights_from_file",
]

Kind = Literal["queen", "rook"]
Transform = Literal["r", "b", "o"]
Alternative = Literal["directed", "greater", "lesser"]
Seed = np.random.Generator | int | None
FloatArray = NDArray[np.float64]

KINDS: Final = ("queen", "rook")
TRANSFORMS: Final = ("r", "b", "o")
ALTERNATIVES: Final = ("directed", "greater", "lesser")

BUNDLED: Final = "divisions/henan_contiguity.csv"
"""The bundled contiguity of Henan's 102 ranked counties (see :mod:`kaoping.data.bundled`)."""

CLUSTERS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "HH": ("高-高", "high-high"),
        "LL": ("低-低", "low-low"),
        "LH": ("低-高", "low-high"),
        "HL": ("高-低", "high-low"),
        "ns": ("不显著", "not significant"),
        "island": ("无相邻单元", "no neighbours"),
    }
)
"""Cluster code -> (Chinese, English) label; a unit's own value first, its neighbours' second."""

ESDA_QUADRANTS: Final[Mapping[int, str]] = MappingProxyType({1: "HH", 2: "LH", 3: "LL", 4: "HL"})
"""esda's ``Moran_Local.q`` (the PySAL scheme, ``geoda_quads=False``) -> quadrant code."""

_QUADRANT_TOLERANCE = 1e-10
_BLOCK = 1 << 22  # values per block of permuted data (32 MiB of float64)
_TIE = 1e-10
"""Simulated statistics within this fraction of the largest |statistic| of the observed one
count as equal to it: a permutation that puts the same values on the same neighbours gives
the observed statistic up to rounding (the sums run in another order)."""


def _tie(observed: FloatArray | float, simulated: FloatArray) -> float:
    scale = max(float(np.max(np.abs(observed))), float(np.max(np.abs(simulated), initial=0.0)))
    return _TIE * scale


# --------------------------------------------------------------------------------------------
# weights
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Connectivity:
    """The pieces of a weights graph: ``components`` (each a tuple of unit codes, sorted; the
    largest first) and ``islands`` (units without a neighbour, each also a component)."""

    components: tuple[tuple[str, ...], ...]
    islands: tuple[str, ...]

    @property
    def n_components(self) -> int:
        return len(self.components)

    @property
    def connected(self) -> bool:
        return len(self.components) <= 1


def connectivity(w: W) -> Connectivity:
    """The connected components and islands of ``w`` (libpysal warns of them; this says them).

    Examples
    --------
    >>> from libpysal.weights import W
    >>> c = connectivity(W({"a": ["b"], "b": ["a"], "c": []}, silence_warnings=True))
    >>> c.components, c.islands
    ((('a', 'b'), ('c',)), ('c',))
    """
    from scipy.sparse.csgraph import connected_components

    ids = [str(i) for i in w.id_order]
    if not ids:
        return Connectivity((), ())
    _, labels = connected_components(w.sparse, directed=True, connection="weak")
    groups: dict[int, list[str]] = {}
    for code, label in zip(ids, labels, strict=True):
        groups.setdefault(int(label), []).append(code)
    parts = sorted((tuple(sorted(g)) for g in groups.values()), key=lambda g: (-len(g), g))
    islands = tuple(sorted(str(i) for i in w.islands))
    return Connectivity(tuple(parts), islands)


def _check_choice(name: str, value: object, allowed: Sequence[str]) -> None:
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {options}; got {value!r}.")


@functools.cache
def _unit_names() -> Mapping[str, str]:
    from kaoping.data import bundled

    return MappingProxyType(bundled.henan_units().names)


def _label(code: str) -> str:
    name = _unit_names().get(code)
    return f"{code}（{name}）" if name else code


def _build(
    neighbors: Mapping[str, Sequence[str]],
    weights: Mapping[str, Sequence[float]] | None,
    transform: Transform,
) -> W:
    """A libpysal W over ``neighbors`` (ids sorted), without its connectivity warning."""
    from libpysal.weights import W

    _check_choice("transform", transform, TRANSFORMS)
    order = sorted(neighbors)
    nb = {i: list(neighbors[i]) for i in order}
    wt = {i: [float(v) for v in weights[i]] for i in order} if weights is not None else None
    w = W(nb, wt, id_order=order, silence_warnings=True)
    if transform != "o":
        w.transform = transform
    return w


def _original(w: W) -> tuple[dict[str, list[str]], dict[str, list[float]]]:
    """``w``'s neighbours and its weights as first given (libpysal keeps them under "O")."""
    first = getattr(w, "transformations", {}).get("O", w.weights)
    neighbors = {str(i): [str(j) for j in w.neighbors[i]] for i in w.id_order}
    weights = {str(i): [float(v) for v in first[i]] for i in w.id_order}
    return neighbors, weights


def _subset(w: W, keep: Sequence[str], transform: Transform) -> W:
    """``w`` restricted to ``keep`` (its own weights kept, links to other units cut), then
    transformed: the same as libpysal's ``w_subset`` for binary weights, which it returns."""
    neighbors, weights = _original(w)
    wanted = set(keep)
    nb: dict[str, list[str]] = {}
    wt: dict[str, list[float]] = {}
    for i in keep:
        pairs = [(j, v) for j, v in zip(neighbors[i], weights[i], strict=True) if j in wanted]
        nb[i] = [j for j, _ in pairs]
        wt[i] = [v for _, v in pairs]
    return _build(nb, wt, transform)


def _restrict(w: W, units: Iterable[str] | None, transform: Transform, source: str) -> W:
    """``w`` over ``units`` (all of its own when None); units without an entry are an error."""
    if units is None:
        return _subset(w, [str(i) for i in w.id_order], transform)
    codes = list(dict.fromkeys(str(u) for u in units))
    known = {str(i) for i in w.id_order}
    missing = [c for c in codes if c not in known]
    if missing:
        raise InputError([_no_entries(missing, source)])
    return _subset(w, codes, transform)


LISTED: Final = 10
"""Units named in a message about many; the others are counted."""


def _labels(codes: Sequence[str], sep: str, more: Callable[[int], str]) -> str:
    shown = sep.join(_label(c) for c in codes[:LISTED])
    return shown + (more(len(codes)) if len(codes) > LISTED else "")


def _no_entries(codes: Sequence[str], source: str | None) -> Problem:
    """One problem for every unit without an entry in the weights (``source``: what they are,
    None for weights given as an object)."""
    zh_in = f"空间权重（{source}）" if source else "所给的空间权重"
    en_in = f"the spatial weights ({source})" if source else "the spatial weights given"
    if len(codes) == 1:
        return Problem(
            "spatial.no_neighbours_entry",
            f"单元 {_label(codes[0])} 在{zh_in}中没有记录，无法确定其相邻单元。"
            "请提供包含该单元的地图（GeoJSON）或邻接表，或从数据中去掉该单元。",
            f"unit {_label(codes[0])} has no entry in {en_in}, so its neighbours are unknown; "
            "give a map (GeoJSON) or a neighbour file that includes it, or leave the unit out "
            "of the data.",
            codes[0],
        )
    zh_units = _labels(codes, "、", lambda n: f" 等 {n} 个单元")
    en_units = _labels(codes, ", ", lambda n: f" and {n - LISTED} more")
    return Problem(
        "spatial.no_neighbours_entry",
        f"{len(codes)} 个单元在{zh_in}中没有记录，无法确定其相邻单元：{zh_units}。"
        "请提供包含这些单元的地图（GeoJSON）或邻接表，或从数据中去掉它们。",
        f"{len(codes)} units have no entry in {en_in}, so their neighbours are unknown: "
        f"{en_units}; give a map (GeoJSON) or a neighbour file that includes them, or leave "
        "them out of the data.",
    )


def _read_geojson(geometry: str | Path | Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    if isinstance(geometry, Mapping):
        return geometry, "GeoJSON"
    where = str(geometry)
    try:
        data = json.loads(Path(geometry).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(
            [
                Problem(
                    "spatial.no_file",
                    f"找不到地图文件 {where}。请检查路径。",
                    f"no map file {where}; check the path.",
                    where,
                )
            ]
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            [
                Problem(
                    "spatial.bad_geojson",
                    f"地图文件不是有效的 GeoJSON（{exc}）。",
                    f"the map file is not valid GeoJSON ({exc}).",
                    where,
                )
            ]
        ) from None
    if not isinstance(data, Mapping):
        data = {}
    return data, where


def _shapes(
    geometry: str | Path | Mapping[str, Any], id_field: str, id_option: str = "id_field"
) -> tuple[list[str], list[Any], str]:
    """The unit codes and shapely geometries of a GeoJSON FeatureCollection."""
    from shapely.geometry import shape

    data, where = _read_geojson(geometry)
    features = data.get("features")
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise InputError(
            [
                Problem(
                    "spatial.bad_geojson",
                    "地图应为 GeoJSON 的 FeatureCollection（含 features 列表）。",
                    "the map must be a GeoJSON FeatureCollection (with a features list).",
                    where,
                )
            ]
        )
    if not features:
        raise InputError(
            [
                Problem(
                    "spatial.empty_map",
                    "地图中没有任何要素（features 为空）。请给出含各单元多边形的 GeoJSON。",
                    "the map has no features (its features list is empty); give a GeoJSON "
                    "with the units' polygons.",
                    where,
                )
            ]
        )
    problems: list[Problem] = []
    ids: list[str] = []
    shapes: list[Any] = []
    seen: set[str] = set()
    for k, feature in enumerate(features):
        at = f"{where}: features[{k}]"
        props = feature.get("properties") or {}
        code = props.get(id_field)
        if code is None or str(code).strip() == "":
            fields = ", ".join(sorted(map(str, props))) or "-"
            problems.append(
                Problem(
                    "spatial.no_id",
                    f"要素没有属性 {id_field}（现有属性：{fields}）。请用 {id_option} 指定单元"
                    "代码所在的属性。",
                    f"the feature has no property {id_field} (it has: {fields}); name the "
                    f"property that holds the unit code with {id_option}.",
                    at,
                )
            )
            continue
        code = str(code).strip()
        if code in seen:
            problems.append(
                Problem(
                    "spatial.duplicate_id",
                    f"单元 {_label(code)} 在地图中出现不止一次。请合并为一个要素（MultiPolygon）。",
                    f"unit {_label(code)} appears more than once in the map; merge its "
                    "parts into one feature (a MultiPolygon).",
                    at,
                )
            )
            continue
        try:
            geom = shape(feature.get("geometry"))
        except (AttributeError, TypeError, ValueError, KeyError):
            geom = None
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(
                Problem(
                    "spatial.no_polygon",
                    f"单元 {_label(code)} 的几何不是多边形（Polygon/MultiPolygon）。",
                    f"the geometry of unit {_label(code)} is not a Polygon or MultiPolygon.",
                    at,
                )
            )
            continue
        seen.add(code)
        ids.append(code)
        shapes.append(geom)
    if problems:
        raise InputError(problems)
    return ids, shapes, where


def neighbour_pairs(
    geometry: str | Path | Mapping[str, Any], kind: Kind = "queen", *, id_field: str = "adcode"
) -> list[tuple[str, str]]:
    """The contiguous pairs ``(code_a, code_b)``, ``code_a < code_b``, sorted, of a GeoJSON's
    polygons: queen (a shared vertex) or rook (a shared edge), by libpysal's
    ``Queen.from_iterable`` / ``Rook.from_iterable``.

    Examples
    --------
    Two unit squares side by side and a third touching the second at a corner only:

    >>> def square(code, x, y):
    ...     ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    ...     return {"type": "Feature", "properties": {"adcode": code},
    ...             "geometry": {"type": "Polygon", "coordinates": [ring]}}
    >>> grid = {"type": "FeatureCollection",
    ...         "features": [square("a", 0, 0), square("b", 1, 0), square("c", 2, 1)]}
    >>> neighbour_pairs(grid, "queen"), neighbour_pairs(grid, "rook")
    ([('a', 'b'), ('b', 'c')], [('a', 'b')])
    """
    _check_choice("kind", kind, KINDS)
    ids, shapes, _ = _shapes(geometry, id_field)
    return _pairs(ids, shapes, kind)


def _pairs(ids: list[str], shapes: list[Any], kind: Kind) -> list[tuple[str, str]]:
    from libpysal.weights import Queen, Rook

    builder = Queen if kind == "queen" else Rook
    w = builder.from_iterable(shapes, ids=ids, silence_warnings=True)
    pairs = {tuple(sorted((str(i), str(j)))) for i in w.neighbors for j in w.neighbors[i]}
    return sorted((a, b) for a, b in pairs if a != b)


def _symmetric(pairs: Iterable[tuple[str, str]], codes: Iterable[str]) -> dict[str, list[str]]:
    neighbors: dict[str, set[str]] = {c: set() for c in codes}
    for a, b in pairs:
        neighbors.setdefault(a, set()).add(b)
        neighbors.setdefault(b, set()).add(a)
    return {c: sorted(v) for c, v in neighbors.items()}


@functools.cache
def _bundled_pairs(kind: Kind) -> tuple[tuple[str, str], ...]:
    from kaoping.data import bundled

    pairs, _ = _read_pairs(bundled.path(BUNDLED), kind)
    return tuple((a, b) for a, b, _ in pairs)


def contiguity(
    kind: Kind = "queen",
    *,
    geometry: str | Path | Mapping[str, Any] | None = None,
    id_field: str = "adcode",
    units: Iterable[str] | None = None,
    transform: Transform = "r",
    id_option: str = "id_field",
) -> W:
    r"""Contiguity weights: Henan's 102 ranked counties (bundled) or the units of a GeoJSON.

    Two units are queen neighbours when their outlines share at least one point, rook
    neighbours when they share an edge, so every rook pair is a queen pair.  The weights are
    binary, then row-standardised by default:

    .. math::

        w_{ij} = \frac{c_{ij}}{\sum_k c_{ik}}, \qquad c_{ij} = 1 \text{ if } i, j
        \text{ are contiguous, else } 0.

    Parameters
    ----------
    kind : {"queen", "rook"}
    geometry : path or dict, optional
        A GeoJSON FeatureCollection of Polygons/MultiPolygons (a file or the parsed dict); the
        default is the bundled pairs of Henan's 102 ranked counties (``divisions/
        henan_contiguity.csv``, from the platform's map, where queen and rook coincide).
    id_field : str
        The feature property holding the unit code (the platform's map: ``adcode``).
    units : iterable of str, optional
        The codes of the units to keep (those of the data); the weights are restricted to them
        and re-standardised.  A unit without geometry is an error naming it.
    transform : {"r", "b", "o"}
        Row-standardised (default), binary, or the weights as built (binary here).
    id_option : str
        How the caller lets its user set ``id_field``, named in the message about a feature
        without it (the command line passes ``--id-field``).

    Returns
    -------
    libpysal.weights.W
        Ids are the unit codes as strings, in sorted order.

    Raises
    ------
    InputError
        A unit of ``units`` without geometry; an unreadable GeoJSON, a feature without the
        ``id_field`` property or without a polygon, a code given twice.

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer, ch. 3
    (contiguity). https://doi.org/10.1007/978-94-015-7799-1; libpysal ``weights.contiguity``.

    Examples
    --------
    >>> w = contiguity("queen")
    >>> w.n, w.transform, sorted(w.neighbors["410122"])  # 中牟县
    (102, 'R', ['410184', '410223', '410725'])
    >>> w.weights["410122"]
    [0.3333333333333333, 0.3333333333333333, 0.3333333333333333]
    """
    _check_choice("kind", kind, KINDS)
    _check_choice("transform", transform, TRANSFORMS)
    if geometry is None:
        pairs = _bundled_pairs(kind)
        codes = {c for pair in pairs for c in pair}
        source = f"kaoping {BUNDLED}"
    else:
        ids, shapes, source = _shapes(geometry, id_field, id_option)
        pairs = tuple(_pairs(ids, shapes, kind))
        codes = set(ids)
    full = _build(_symmetric(pairs, codes), None, "o")
    return _restrict(full, units, transform, source)


def _read_pairs(path: Path, kind: str | None) -> tuple[list[tuple[str, str, float]], list[Problem]]:
    """Rows ``(code_a, code_b, weight)`` of a neighbour CSV (lines starting with ``#`` are
    comments; a ``kind`` column, if any, filtered to ``kind``), and the problems found."""
    where = str(path)
    problems: list[Problem] = []
    rows: list[tuple[str, str, float]] = []
    with path.open(encoding="utf-8-sig", newline="") as file:
        lines = [line for line in file if not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    lacking = [c for c in ("code_a", "code_b") if c not in header]
    if lacking:
        columns = ", ".join(header) or "-"
        return [], [
            Problem(
                "spatial.bad_header",
                f"邻接表缺少列 {', '.join(lacking)}（现有列：{columns}）。表头应为 "
                "code_a,code_b[,weight]。",
                f"the neighbour file lacks the column(s) {', '.join(lacking)} (it has: "
                f"{columns}); the header must be code_a,code_b[,weight].",
                where,
            )
        ]
    for line, row in enumerate(reader, start=2):
        at = f"{where}:{line}"
        if kind is not None and "kind" in header and (row.get("kind") or "").strip() != kind:
            continue
        a, b = (row.get("code_a") or "").strip(), (row.get("code_b") or "").strip()
        if not a or not b or a == b:
            problems.append(
                Problem(
                    "spatial.bad_pair",
                    f"一行邻接关系应给出两个不同的单元代码，收到 {a!r}, {b!r}。",
                    f"a neighbour row needs two different unit codes; got {a!r}, {b!r}.",
                    at,
                )
            )
            continue
        text = (row.get("weight") or "").strip() if "weight" in header else ""
        try:
            value = float(text) if text else 1.0
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            problems.append(
                Problem(
                    "spatial.bad_weight",
                    f"{a}-{b} 的权重必须是正数，收到 {text!r}。",
                    f"the weight of {a}-{b} must be a positive number; got {text!r}.",
                    at,
                )
            )
            continue
        rows.append((a, b, value))
    return rows, problems


def weights_from_file(
    path: str | Path, *, transform: Transform = "r", units: Iterable[str] | None = None
) -> W:
    """A user's spatial weights: a neighbour CSV, or GeoDa's ``.gal`` / ``.gwt`` (libpysal.io).

    The CSV has the header ``code_a,code_b`` and optionally ``weight`` (default 1); each row
    is a pair of neighbours, used both ways (``w_ab = w_ba``); a pair listed twice must carry
    the same weight.  Lines starting with ``#`` are comments.  A ``.gal`` file lists each
    unit's neighbours, a ``.gwt`` file one weighted link ``i j w`` per line (read as given,
    not made symmetric).

    Parameters
    ----------
    path : path
    transform : {"r", "b", "o"}
        Row-standardised (default), binary, or the file's weights.
    units : iterable of str, optional
        Keep only these units (those of the data); a unit not in the file is an error.

    Returns
    -------
    libpysal.weights.W
        Ids are the unit codes as strings, in sorted order; a unit of a CSV appears if it is
        in at least one pair.

    Raises
    ------
    InputError
        The file is missing or unreadable, a row is not a pair of two codes with a positive
        weight, a pair is given twice with different weights, a unit of ``units`` is absent.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     file = Path(tmp) / "pairs.csv"
    ...     _ = file.write_text("code_a,code_b\\na,b\\nb,c\\n", encoding="utf-8")
    ...     w = weights_from_file(file)
    >>> w.neighbors["b"], w.weights["b"]
    (['a', 'c'], [0.5, 0.5])
    """
    _check_choice("transform", transform, TRANSFORMS)
    file = Path(path)
    where = str(file)
    if not file.is_file():
        raise InputError(
            [
                Problem(
                    "spatial.no_file",
                    f"找不到空间权重文件 {where}。请检查路径。",
                    f"no spatial weights file {where}; check the path.",
                    where,
                )
            ]
        )
    suffix = file.suffix.lower()
    if suffix in (".gal", ".gwt"):
        full = _read_geoda(file)
    elif suffix in (".csv", ".txt"):
        full = _read_csv(file)
    else:
        raise InputError(
            [
                Problem(
                    "spatial.unknown_format",
                    f"不认识的空间权重文件类型 {suffix or '（无扩展名）'}。请用 .csv（code_a,"
                    "code_b[,weight]）、.gal 或 .gwt。",
                    f"unknown spatial weights file type {suffix or '(no extension)'}; use "
                    ".csv (code_a,code_b[,weight]), .gal or .gwt.",
                    where,
                )
            ]
        )
    return _restrict(full, units, transform, where)


def _read_csv(file: Path) -> W:
    where = str(file)
    rows, problems = _read_pairs(file, None)
    links: dict[tuple[str, str], float] = {}
    for a, b, value in rows:
        key = (a, b) if a < b else (b, a)
        if key in links and links[key] != value:
            problems.append(
                Problem(
                    "spatial.conflicting_weight",
                    f"{key[0]}-{key[1]} 出现两次且权重不同（{links[key]:g} 与 {value:g}）。",
                    f"{key[0]}-{key[1]} is given twice with different weights "
                    f"({links[key]:g} and {value:g}).",
                    where,
                )
            )
        links[key] = value
    if not problems and not links:
        problems.append(
            Problem(
                "spatial.empty",
                "邻接表中没有任何邻接关系。",
                "the neighbour file holds no pair of neighbours.",
                where,
            )
        )
    if problems:
        raise InputError(problems)
    neighbors: dict[str, list[str]] = {}
    weights: dict[str, list[float]] = {}
    for (a, b), value in sorted(links.items()):
        for i, j in ((a, b), (b, a)):
            neighbors.setdefault(i, []).append(j)
            weights.setdefault(i, []).append(value)
    return _build(neighbors, weights, "o")


def _bad_geoda(file: Path) -> Problem:
    if file.suffix.lower() == ".gal":
        zh = (
            "不是有效的 GAL 文件。GAL 的格式：第一行为单元数（或“0 单元数 图层名 代码字段”），"
            "其后每个单元两行：“单元代码 相邻单元数”，以及以空格分隔的相邻单元代码。"
        )
        en = (
            "not a valid GAL file. A GAL file starts with the number of units (or "
            "'0 units layer code_field'), then two lines per unit: 'code count' and the codes "
            "of its neighbours, separated by spaces."
        )
    else:
        zh = (
            "不是有效的 GWT 文件。GWT 的格式：第一行为“0 单元数 图层名 代码字段”，其后每行"
            "一条相邻关系“单元代码 相邻单元代码 权重”。"
        )
        en = (
            "not a valid GWT file. A GWT file starts with '0 units layer code_field', then "
            "one link per line: 'code neighbour_code weight'."
        )
    return Problem(
        "spatial.bad_file",
        f"无法读取空间权重文件：{zh}",
        f"cannot read the spatial weights file: {en}",
        str(file),
    )


def _read_geoda(file: Path) -> W:
    import warnings

    import libpysal

    where = str(file)
    try:
        with warnings.catch_warnings():
            # a .gwt names a shapefile whose DBF would order the ids: none is needed here (the
            # ids are sorted codes); the graph's pieces are reported by connectivity()
            warnings.filterwarnings("ignore", "(DBF relating|ID_VAR|Exception occurred will)")
            warnings.filterwarnings("ignore", "The weights matrix is not fully connected")
            handle = libpysal.io.open(str(file), "r")
            try:
                raw = handle.read()
            finally:
                handle.close()
    except Exception:  # libpysal raises many kinds (ValueError, IndexError...) on a bad file
        raise InputError([_bad_geoda(file)]) from None
    neighbors = {str(i): [str(j) for j in raw.neighbors[i]] for i in raw.neighbors}
    weights = {str(i): [float(v) for v in raw.weights[i]] for i in raw.neighbors}
    selfs = [i for i, nb in neighbors.items() if i in nb]
    if selfs:
        raise InputError(
            [
                Problem(
                    "spatial.self_neighbour",
                    f"单元 {_label(i)} 被列为自己的相邻单元。",
                    f"unit {_label(i)} is listed as its own neighbour.",
                    where,
                )
                for i in selfs
            ]
        )
    return _build(neighbors, weights, "o")


# --------------------------------------------------------------------------------------------
# aligning values to weights, seeds
# --------------------------------------------------------------------------------------------


def _align(
    values: pd.Series, w: W, transform: Transform
) -> tuple[FloatArray, W, list[str], tuple[str, ...]]:
    """The values in the weights' order, the weights over the units with a value, their codes
    and the codes of the weights dropped for want of a value."""
    _check_choice("transform", transform, TRANSFORMS)
    if not isinstance(values, pd.Series):
        raise ValueError(
            f"values must be a pandas Series indexed by unit code; got {type(values).__name__}."
        )
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    codes = [str(c) for c in values.index.tolist()]
    duplicated = sorted(c for c, count in Counter(codes).items() if count > 1)
    if duplicated:
        raise InputError(
            [
                Problem(
                    "spatial.duplicate_unit",
                    f"单元 {_label(c)} 在数据中出现不止一次。请每个单元只给一个数值。",
                    f"unit {_label(c)} appears more than once in the values; give one value "
                    "per unit.",
                    c,
                )
                for c in duplicated
            ]
        )
    order = [str(i) for i in w.id_order]
    known = set(order)
    present = {c: v for c, v in zip(codes, numbers.tolist(), strict=True) if math.isfinite(v)}
    missing = [c for c in present if c not in known]
    if missing:
        raise InputError([_no_entries(missing, None)])
    keep = [c for c in order if c in present]
    dropped = tuple(c for c in order if c not in present)
    if len(keep) < 4:
        raise InputError(
            [
                Problem(
                    "spatial.too_few_units",
                    f"同时有数值和空间权重的单元只有 {len(keep)} 个，至少需要 4 个。",
                    f"only {len(keep)} unit(s) have both a value and spatial weights; at least "
                    "4 are needed.",
                )
            ]
        )
    y: FloatArray = np.array([present[c] for c in keep], dtype=np.float64)
    if np.ptp(y) == 0:
        raise InputError(
            [
                Problem(
                    "spatial.constant",
                    f"所有单元的数值相同（{y[0]:g}），空间自相关无从计算。",
                    f"every unit has the same value ({y[0]:g}); spatial autocorrelation is "
                    "undefined.",
                )
            ]
        )
    # ``w`` itself when it is already what is asked for (esda's own transformation of it then
    # changes nothing), else a copy over the units kept
    current = str(getattr(w, "transform", "O")).lower()
    sub = w if not dropped and current == transform else _subset(w, keep, transform)
    if sub.s0 == 0:
        raise InputError(
            [
                Problem(
                    "spatial.no_links",
                    "有数值的单元彼此都不相邻，空间自相关无从计算。",
                    "no two units with a value are neighbours; spatial autocorrelation is "
                    "undefined.",
                )
            ]
        )
    return y, sub, keep, dropped


def _seed(rng: Seed) -> int:
    """An integer seed from ``rng``: the int itself, or one drawn from the generator (a fresh
    one for None), so that every result can say the seed that reproduces it."""
    if isinstance(rng, bool) or not (
        rng is None or isinstance(rng, int | np.integer | np.random.Generator)
    ):
        raise ValueError(f"rng must be an int seed, a numpy.random.Generator or None; got {rng!r}.")
    if isinstance(rng, int | np.integer):
        if rng < 0:
            raise ValueError(f"rng must be a non-negative seed; got {rng!r}.")
        return int(rng)
    generator = rng if rng is not None else np.random.default_rng()
    return int(generator.integers(2**32))


def _check_permutations(permutations: int, minimum: int) -> int:
    if isinstance(permutations, bool) or not isinstance(permutations, int | np.integer):
        raise ValueError(f"permutations must be a whole number; got {permutations!r}.")
    if permutations < minimum:
        raise ValueError(f"permutations must be >= {minimum}; got {permutations}.")
    return int(permutations)


def _pseudo_p(count_ge: FloatArray | NDArray[np.int64], permutations: int) -> FloatArray:
    """PySAL's ("directed") pseudo p-value: k = the simulated values at or beyond the observed
    one on its side of the reference distribution, p = (k + 1) / (M + 1)."""
    k = np.minimum(count_ge, permutations - count_ge)
    return np.asarray((k + 1.0) / (permutations + 1.0), dtype=float)


# --------------------------------------------------------------------------------------------
# permutation kernels: all randomness is 32-bit draws r from the caller's Generator (the two
# halves of its bit generator's raw 64-bit outputs); a draw r picks j = floor(r k / 2^32) of k
# choices (Lemire's multiply-shift, bias below k / 2^32).  numba compiles the loops (cached on
# disk); a NumPy path making the same permutations from the same draws stands in without numba
# --------------------------------------------------------------------------------------------


def _raw(generator: np.random.Generator, count: int) -> NDArray[np.uint64]:
    """Raw 64-bit outputs of the generator's bit generator, enough for ``count`` 32-bit draws
    (draw q is the low half of word q // 2 when q is even, the high half when odd: the same
    numbers on every platform)."""
    return np.asarray(generator.bit_generator.random_raw((count + 1) // 2), dtype=np.uint64)


def _halves(raw: NDArray[np.uint64], shape: tuple[int, int]) -> NDArray[np.uint64]:
    """The 32-bit draws of ``raw`` as a ``shape`` matrix (row-major), for the NumPy path."""
    halves = np.empty(2 * raw.size, dtype=np.uint64)
    halves[0::2] = raw & np.uint64(0xFFFFFFFF)
    halves[1::2] = raw >> np.uint64(32)
    return halves[: shape[0] * shape[1]].reshape(shape)


def _shuffled_moran_sums(
    z: FloatArray, indptr: NDArray[Any], indices: NDArray[Any], data: FloatArray,
    raw: NDArray[np.uint64], out: FloatArray,
) -> None:  # fmt: skip
    """``out[m]`` = z_p' W z_p, p the permutation made by row m of the draws r (n per row):
    Fisher-Yates from the end, position i swaps with j = floor(r[m, i] (i + 1) / 2^32); W in
    CSR form."""
    n = z.size
    low = np.uint64(0xFFFFFFFF)
    buf = np.empty(n)
    for m in range(out.size):
        for i in range(n):
            buf[i] = z[i]
        for i in range(n - 1, 0, -1):
            q = m * n + i
            word = raw[q >> 1]
            r = (word >> np.uint64(32)) if q & 1 else (word & low)
            j = (r * np.uint64(i + 1)) >> np.uint64(32)
            hold = buf[i]
            buf[i] = buf[j]
            buf[j] = hold
        total = 0.0
        for i in range(n):
            acc = 0.0
            for k in range(indptr[i], indptr[i + 1]):
                acc += data[k] * buf[indices[k]]
            total += buf[i] * acc
        out[m] = total


def _conditional_lag_sums(
    z: FloatArray, indptr: NDArray[Any], data: FloatArray, raw: NDArray[np.uint64],
    widest: int, out: FloatArray,
) -> None:  # fmt: skip
    """``out[i, m]`` = sum_t w_it z_(s_t), s the ordered sample made by row m of the draws r
    (``widest`` per row) among the units other than i: a partial Fisher-Yates over 0..n-2 from
    its identity order, step l swapping l and l + floor(r[m, l] (n - 1 - l) / 2^32); a
    position p >= i is unit p + 1."""
    n = z.size
    size = n - 1
    low = np.uint64(0xFFFFFFFF)
    idx = np.arange(size)
    picks = np.empty(widest, dtype=np.int64)
    for m in range(out.shape[1]):
        for step in range(widest):
            q = m * widest + step
            word = raw[q >> 1]
            r = (word >> np.uint64(32)) if q & 1 else (word & low)
            j = step + np.int64((r * np.uint64(size - step)) >> np.uint64(32))
            picks[step] = j
            hold = idx[step]
            idx[step] = idx[j]
            idx[j] = hold
        for i in range(n):
            start = indptr[i]
            acc = 0.0
            for t in range(indptr[i + 1] - start):
                p = idx[t]
                if p >= i:
                    p += 1
                acc += data[start + t] * z[p]
            out[i, m] = acc
        for step in range(widest - 1, -1, -1):  # undo: the next sample starts from 0..n-2
            j = picks[step]
            hold = idx[step]
            idx[step] = idx[j]
            idx[j] = hold


@functools.cache
def _compiled() -> tuple[Callable[..., None], Callable[..., None]] | None:
    """The two kernels compiled by numba (cached on disk), or None without numba."""
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency
        return None
    jit = numba.njit(cache=True, fastmath=False, error_model="numpy")
    return jit(_shuffled_moran_sums), jit(_conditional_lag_sums)


def _pick(r: NDArray[np.uint64], choices: int) -> NDArray[np.int64]:
    return np.asarray((r * np.uint64(choices)) >> np.uint64(32), dtype=np.int64)


def _shuffled_moran_sums_numpy(
    z: FloatArray, csr: Any, raw: NDArray[np.uint64], permutations: int
) -> FloatArray:
    """:func:`_shuffled_moran_sums` in NumPy: the same swaps, made for all rows at once."""
    k, n = permutations, z.size
    r = _halves(raw, (k, n))
    buf = np.tile(z, (k, 1))
    rows = np.arange(k)
    for i in range(n - 1, 0, -1):
        j = _pick(r[:, i], i + 1)
        hold = buf[rows, j]
        buf[rows, j] = buf[:, i]
        buf[:, i] = hold
    lagged = np.asarray(csr @ buf.T).T
    return np.asarray(np.einsum("ij,ij->i", buf, lagged), dtype=np.float64)


def _conditional_lag_sums_numpy(
    z: FloatArray, csr: Any, raw: NDArray[np.uint64], widest: int, permutations: int
) -> FloatArray:
    """:func:`_conditional_lag_sums` in NumPy: the same samples, made for all rows at once."""
    r = _halves(raw, (permutations, widest))
    n = z.size
    size = n - 1
    out = np.zeros((n, permutations))
    step_rows = max(1, _BLOCK // size)
    for start in range(0, permutations, step_rows):
        block = r[start : start + step_rows]
        k = block.shape[0]
        rows = np.arange(k)
        idx = np.tile(np.arange(size), (k, 1))
        for step in range(widest):
            j = step + _pick(block[:, step], size - step)
            hold = idx[rows, j]
            idx[rows, j] = idx[:, step]
            idx[:, step] = hold
        for i in range(n):
            lo, hi = csr.indptr[i], csr.indptr[i + 1]
            if hi == lo:
                continue
            chosen = idx[:, : hi - lo]
            chosen = chosen + (chosen >= i)
            out[i, start : start + k] = z[chosen] @ csr.data[lo:hi]
    return out


def _csr(matrix: Any) -> Any:
    csr = matrix.tocsr().astype(np.float64)
    csr.sort_indices()
    return csr


def _permuted_i(
    z: FloatArray, matrix: Any, s0: float, permutations: int, generator: np.random.Generator
) -> FloatArray:
    """Moran's I of ``permutations`` random permutations of ``z`` (drawn in blocks of at most
    32 MiB)."""
    n = z.size
    csr = _csr(matrix)
    scale = n / (s0 * float(z @ z))
    out = np.empty(permutations)
    kernels = _compiled()
    step = max(1, _BLOCK // n)
    for start in range(0, permutations, step):
        k = min(step, permutations - start)
        raw = _raw(generator, k * n)
        if kernels is not None:
            sums = np.empty(k)
            kernels[0](z, csr.indptr, csr.indices, csr.data, raw, sums)
        else:  # pragma: no cover - numba is a dependency
            sums = _shuffled_moran_sums_numpy(z, csr, raw, k)
        out[start : start + k] = scale * sums
    return out


def _conditional_lags(
    z: FloatArray, matrix: Any, permutations: int, generator: np.random.Generator
) -> FloatArray:
    """Conditional randomisation (Anselin 1995), as esda's ``crand``: for each permutation one
    random ordered sample of ``max cardinality`` units among the n - 1 others, of which unit i
    takes the first ``k_i`` as its neighbours (in their CSR order).  Returns (n, M) lags."""
    csr = _csr(matrix)
    n = z.size
    widest = int(np.diff(csr.indptr).max())
    raw = _raw(generator, permutations * widest)
    kernels = _compiled()
    if kernels is None:  # pragma: no cover - numba is a dependency
        return _conditional_lag_sums_numpy(z, csr, raw, widest, permutations)
    out = np.zeros((n, permutations))
    kernels[1](z, csr.indptr, csr.data, raw, widest, out)
    return out


# --------------------------------------------------------------------------------------------
# global Moran's I
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlobalMoran:
    """Global Moran's I of one variable, with its inference.

    ``p_normal`` and ``p_random`` are two-sided (esda's); ``p_sim`` is the pseudo p-value
    (k + 1)/(M + 1) of the permutation test, ``None`` without permutations; ``simulated``
    holds the M permuted I's.  ``connectivity`` and ``dropped`` describe the weights used.
    """

    moran_i: float
    expected: float
    variance_normal: float
    z_normal: float
    p_normal: float
    variance_random: float
    z_random: float
    p_random: float
    permutations: int
    p_sim: float | None
    mean_sim: float | None
    sd_sim: float | None
    z_sim: float | None
    seed: int | None
    n: int
    s0: float
    transform: str
    connectivity: Connectivity = field(repr=False)
    dropped: tuple[str, ...] = ()
    simulated: FloatArray = field(default_factory=lambda: np.empty(0), repr=False, compare=False)

    def row(self) -> dict[str, float | int | None]:
        """The numbers as one flat record (a row of :func:`moran_panel`)."""
        return {
            "n": self.n,
            "moran_i": self.moran_i,
            "expected": self.expected,
            "z_normal": self.z_normal,
            "p_normal": self.p_normal,
            "z_random": self.z_random,
            "p_random": self.p_random,
            "permutations": self.permutations,
            "p_sim": self.p_sim,
            "mean_sim": self.mean_sim,
            "sd_sim": self.sd_sim,
            "z_sim": self.z_sim,
            "seed": self.seed,
            "components": self.connectivity.n_components,
            "islands": len(self.connectivity.islands),
            "dropped": len(self.dropped),
        }


def moran(
    values: pd.Series,
    w: W,
    *,
    permutations: int = 999,
    rng: Seed = None,
    transform: Transform = "r",
) -> GlobalMoran:
    r"""Global Moran's I of ``values`` (indexed by unit code) over the weights ``w``.

    .. math::

        I = \frac{n}{S_0} \frac{\sum_i \sum_j w_{ij} z_i z_j}{\sum_i z_i^2}, \qquad
        z_i = y_i - \bar y, \qquad S_0 = \sum_i \sum_j w_{ij}, \qquad
        E[I] = -\frac{1}{n - 1}.

    The variance under normality and under randomisation (Cliff & Ord 1981) and the
    two-sided p-values of the z-scores are esda's (:class:`esda.Moran`).  The permutation test
    shuffles ``z`` over the units M times; with k the number of permuted I's at or beyond the
    observed one, on the side of their distribution where the observed one lies (PySAL's
    convention: :math:`k = \min(\#\{I^{(m)} \ge I\}, M - \#\{I^{(m)} \ge I\})`),

    .. math::

        p_{\text{sim}} = \frac{k + 1}{M + 1}.

    Parameters
    ----------
    values : Series
        One value per unit code; units of ``w`` without a (finite) value are dropped.
    w : libpysal.weights.W
        Spatial weights whose ids are the unit codes (:func:`contiguity`,
        :func:`weights_from_file`).
    permutations : int
        M, default 999; 0 skips the permutation test.
    rng : int, Generator or None
        The permutations' randomness; the seed used is returned (``seed``).
    transform : {"r", "b", "o"}
        The weights over the units kept: row-standardised (default), binary, as given.

    Returns
    -------
    GlobalMoran

    Raises
    ------
    InputError
        A unit with a value but no entry in ``w``; fewer than 4 units; constant values; no
        two units neighbours.

    References
    ----------
    Moran (1950), https://doi.org/10.2307/2332142; Cliff, A. D., Ord, J. K. (1981), *Spatial
    Processes*, Pion, ch. 1-2; Anselin, L. (1995), https://doi.org/10.1111/j.1538-4632.1995.tb00338.x
    (permutation inference); esda ``Moran``.

    Examples
    --------
    A 1 x 4 row of units, values rising along it (neighbours alike: I > 0):

    >>> from libpysal.weights import lat2W
    >>> w = lat2W(1, 4)
    >>> result = moran(pd.Series([1.0, 2.0, 3.0, 4.0], index=[0, 1, 2, 3]), w,
    ...                permutations=99, rng=1)
    >>> round(result.moran_i, 6), round(result.expected, 6)  # z = (-1.5, -0.5, 0.5, 1.5)
    (0.4, -0.333333)
    """
    permutations = _check_permutations(permutations, 0)
    y, sub, _, dropped = _align(values, _coded_w(w), transform)
    import esda

    stat = esda.Moran(y, sub, transformation=transform.upper(), permutations=0)
    seed: int | None = None
    simulated = np.empty(0)
    p_sim = mean_sim = sd_sim = z_sim = None
    if permutations:
        seed = _seed(rng)
        z = y - y.mean()
        simulated = _permuted_i(z, sub.sparse, float(sub.s0), permutations, _rng(seed))
        observed = float(stat.I)
        tie = _tie(observed, simulated)
        p_sim = float(_pseudo_p(np.array(np.sum(simulated >= observed - tie)), permutations))
        mean_sim = float(simulated.mean())
        sd_sim = float(simulated.std())
        z_sim = (observed - mean_sim) / sd_sim if sd_sim > 0 else math.nan
    return GlobalMoran(
        moran_i=float(stat.I),
        expected=float(stat.EI),
        variance_normal=float(stat.VI_norm),
        z_normal=float(stat.z_norm),
        p_normal=float(stat.p_norm),
        variance_random=float(stat.VI_rand),
        z_random=float(stat.z_rand),
        p_random=float(stat.p_rand),
        permutations=permutations,
        p_sim=p_sim,
        mean_sim=mean_sim,
        sd_sim=sd_sim,
        z_sim=z_sim,
        seed=seed,
        n=len(y),
        s0=float(sub.s0),
        transform=transform,
        connectivity=connectivity(sub),
        dropped=dropped,
        simulated=simulated,
    )


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _coded_w(w: W) -> W:
    """``w`` with string ids (libpysal's lattices and GAL files may use integers)."""
    if all(isinstance(i, str) for i in w.id_order):
        return w
    neighbors, weights = _original(w)
    out = _build(neighbors, weights, "o")
    current = str(getattr(w, "transform", "O")).lower()
    if current in ("r", "b"):
        out.transform = current
    return out


def moran_panel(
    scores: pd.DataFrame,
    w: W,
    *,
    permutations: int = 999,
    rng: Seed = None,
    transform: Transform = "r",
) -> pd.DataFrame:
    """Global Moran's I of each period: ``scores`` is units x periods (e.g.
    :func:`kaoping.analysis.periods.score_frame`), one row per period of the result.

    With an ``int`` seed every period uses that seed, so a period's row equals
    ``moran(scores[period], w, rng=seed)``; a Generator is drawn from period after period.

    Returns
    -------
    DataFrame
        Index ``period``; columns ``n``, ``moran_i``, ``expected``, ``z_normal``,
        ``p_normal``, ``z_random``, ``p_random``, ``permutations``, ``p_sim``, ``mean_sim``,
        ``sd_sim``, ``z_sim``, ``seed``, ``components``, ``islands``, ``dropped`` (the count
        of units of ``w`` without a value that period).

    Examples
    --------
    >>> from libpysal.weights import lat2W
    >>> frame = pd.DataFrame({"2023": [1.0, 2.0, 3.0, 4.0], "2024": [1.0, 4.0, 2.0, 3.0]})
    >>> table = moran_panel(frame, lat2W(1, 4), permutations=0)
    >>> table["moran_i"].round(4).tolist()
    [0.4, -0.9]
    """
    if not isinstance(scores, pd.DataFrame):
        raise ValueError(
            "scores must be a DataFrame of units (rows) x periods (columns); got "
            f"{type(scores).__name__}."
        )
    _check_permutations(permutations, 0)
    rows = {}
    for period in scores.columns:
        seed = rng if not isinstance(rng, np.random.Generator) else _seed(rng)
        try:
            result = moran(
                scores[period], w, permutations=permutations, rng=seed, transform=transform
            )
        except InputError as exc:
            raise InputError(
                [Problem(p.code, f"{period}：{p.zh}", f"{period}: {p.en}", p.where) for p in exc]
            ) from None
        rows[str(period)] = result.row()
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "period"
    return frame


# --------------------------------------------------------------------------------------------
# local Moran (LISA)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalMoran:
    """Local Moran's I of every unit (``table``) and how it was computed.

    ``table`` (index ``unit``): ``value``, ``z`` (standardised, population sd), ``lag`` (the
    spatial lag of ``z``), ``local_i`` (0 for a unit without neighbours), ``p_sim`` (NaN for a
    unit without neighbours), ``quadrant`` (HH, LH, LL, HL: the unit's own value high or low,
    then its neighbours'; ``island`` for a unit without neighbours, whose lag is 0),
    ``significant`` (``p_sim < alpha``), ``cluster`` (the quadrant when significant, else
    ``ns``; ``island`` for a unit without neighbours) and its labels ``cluster_zh``,
    ``cluster_en``.  ``moran_i`` is the global I on the same weights; ``simulated`` the
    units x M local I's of the conditional permutations.
    """

    table: pd.DataFrame = field(repr=False)
    moran_i: float
    alpha: float
    permutations: int
    alternative: str
    seed: int
    n: int
    transform: str
    connectivity: Connectivity = field(repr=False)
    dropped: tuple[str, ...] = ()
    simulated: FloatArray = field(
        default_factory=lambda: np.empty((0, 0)), repr=False, compare=False
    )

    def counts(self) -> pd.DataFrame:
        """Units per cluster (HH, LL, LH, HL, ns, island), with the labels."""
        codes = list(CLUSTERS)
        counted = self.table["cluster"].value_counts().reindex(codes, fill_value=0)
        return pd.DataFrame(
            {
                "cluster_zh": [CLUSTERS[c][0] for c in codes],
                "cluster_en": [CLUSTERS[c][1] for c in codes],
                "units": counted.astype(int).to_numpy(),
            },
            index=pd.Index(codes, name="cluster"),
        )


def _quadrants(z: FloatArray, lag: FloatArray) -> list[str]:
    """HH, LH, LL or HL per unit: esda's ``q`` with a tolerance of 1e-10 around 0 (the
    standardised z and its lag are of order 1), so that rounding cannot flip a unit whose
    value, or whose neighbours' mean, equals the overall mean."""
    high = z > _QUADRANT_TOLERANCE
    lag_high = lag > _QUADRANT_TOLERANCE
    codes = 1 * (high & lag_high) + 2 * (~high & lag_high) + 3 * (~high & ~lag_high)
    codes += 4 * (high & ~lag_high)
    return [ESDA_QUADRANTS[int(q)] for q in codes]


def local_moran(
    values: pd.Series,
    w: W,
    *,
    permutations: int = 999,
    rng: Seed = None,
    alpha: float = 0.05,
    transform: Transform = "r",
    alternative: Alternative = "directed",
) -> LocalMoran:
    r"""Local Moran's I (LISA) of every unit, its pseudo p-value, quadrant and cluster.

    .. math::

        I_i = \frac{z_i \sum_j w_{ij} z_j}{m_2}, \qquad m_2 = \frac{1}{n} \sum_k z_k^2,
        \qquad \sum_i I_i = S_0 \, I,

    so with row-standardised weights and no unit without neighbours the local I's average to
    the global one.  (esda's ``Moran_Local.Is`` divides by :math:`\sum_k z_k^2 / (n - 1)`
    instead, i.e. it is :math:`(n-1)/n` times this; p-values and clusters do not depend on the
    factor.)  Inference is by conditional permutation: unit i's value is held fixed and its
    :math:`k_i` neighbours' values are drawn without replacement from the other n - 1 units, M
    times; the pseudo p-value is :math:`(k + 1)/(M + 1)` with k counted as in :func:`moran`
    (``alternative="directed"``, PySAL's and GeoDa's convention; ``"greater"``/``"lesser"``
    count one tail).  The quadrant of the Moran scatterplot is HH (:math:`z_i > 0`, lag > 0),
    LH (:math:`z_i \le 0`, lag > 0), LL (both :math:`\le 0`) or HL (:math:`z_i > 0`, lag
    :math:`\le 0`): esda's ``q`` 1, 2, 3, 4, except that a z or lag within 1e-10 of 0 (a
    value equal to the mean, up to rounding) counts as 0.  A unit is in its quadrant's cluster when
    :math:`p < \alpha`, else 不显著 (not significant); a unit without neighbours has no I to
    test (quadrant and cluster ``island``, :math:`I_i = 0`, p NaN).

    Parameters
    ----------
    values : Series
        One value per unit code; units of ``w`` without a (finite) value are dropped.
    w : libpysal.weights.W
    permutations : int
        M, default 999; at least enough that :math:`1/(M + 1) < \alpha`.
    rng : int, Generator or None
        The permutations' randomness; the seed used is returned.
    alpha : float
        Significance level, default 0.05.
    transform : {"r", "b", "o"}
    alternative : {"directed", "greater", "lesser"}

    Returns
    -------
    LocalMoran

    Raises
    ------
    ValueError
        ``alpha`` outside (0, 1), ``permutations`` too few for ``alpha``.
    InputError
        As :func:`moran`.

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association -- LISA. *Geographical
    Analysis* 27(2), 93-115. https://doi.org/10.1111/j.1538-4632.1995.tb00338.x;
    esda ``Moran_Local``.

    Examples
    --------
    >>> from libpysal.weights import lat2W
    >>> values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    >>> w = lat2W(1, 6)  # a row of six units, ids 0..5
    >>> result = local_moran(values, w, permutations=99, rng=7, alpha=0.5)
    >>> result.table["quadrant"].tolist()
    ['LL', 'LL', 'LL', 'HH', 'HH', 'HH']
    >>> bool(np.isclose(result.table["local_i"].mean(), result.moran_i))
    True
    """
    if not (isinstance(alpha, float | int) and 0 < alpha < 1):
        raise ValueError(f"alpha must be a number between 0 and 1; got {alpha!r}.")
    _check_choice("alternative", alternative, ALTERNATIVES)
    permutations = _check_permutations(permutations, 1)
    if 1 / (permutations + 1) >= alpha:
        needed = math.floor(1 / alpha)
        raise ValueError(
            f"permutations={permutations} cannot give a pseudo p-value below alpha={alpha} "
            f"(the smallest is 1/(M + 1)); use permutations >= {needed}."
        )
    y, sub, keep, dropped = _align(values, _coded_w(w), transform)
    import esda

    # esda's statistic and quadrants; the permutations are drawn below (see the module doc)
    stat = esda.Moran_Local(y, sub, transformation=transform.upper(), permutations=0)
    n = len(y)
    z = np.asarray(stat.z, dtype=float)
    matrix = sub.sparse
    lag = np.asarray(matrix @ z, dtype=float)
    m2 = float(z @ z) / n
    local = np.asarray(stat.Is, dtype=float) * n / (n - 1)
    seed = _seed(rng)
    lags = _conditional_lags(z, matrix, permutations, _rng(seed))
    simulated = z[:, None] * lags / m2
    cardinality = np.diff(matrix.tocsr().indptr)
    tie = _tie(local, simulated)
    at_or_above = np.sum(simulated >= local[:, None] - tie, axis=1)
    if alternative == "directed":
        k = np.minimum(at_or_above, permutations - at_or_above)
    elif alternative == "greater":
        k = at_or_above
    else:
        k = np.sum(simulated <= local[:, None] + tie, axis=1)
    p = (k + 1.0) / (permutations + 1.0)
    island = cardinality == 0
    p = np.where(island, np.nan, p)
    local = np.where(island, 0.0, local)  # z_i * 0: +0.0, never -0.0
    quadrant = ["island" if isle else q for q, isle in zip(_quadrants(z, lag), island, strict=True)]
    significant = ~island & (p < alpha)
    cluster = [
        "island" if isle else (q if sig else "ns")
        for q, sig, isle in zip(quadrant, significant, island, strict=True)
    ]
    table = pd.DataFrame(
        {
            "value": y,
            "z": z,
            "lag": lag,
            "local_i": local,
            "p_sim": p,
            "quadrant": quadrant,
            "significant": significant,
            "cluster": cluster,
            "cluster_zh": [CLUSTERS[c][0] for c in cluster],
            "cluster_en": [CLUSTERS[c][1] for c in cluster],
        },
        index=pd.Index(keep, name="unit"),
    )
    return LocalMoran(
        table=table,
        moran_i=float(esda.Moran(y, sub, transformation=transform.upper(), permutations=0).I),
        alpha=float(alpha),
        permutations=permutations,
        alternative=alternative,
        seed=seed,
        n=n,
        transform=transform,
        connectivity=connectivity(sub),
        dropped=dropped,
        simulated=simulated,
    )
