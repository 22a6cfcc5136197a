"""``kaoping analyze moran | lisa``: spatial autocorrelation of a score (空间自相关).

The library does the work (:mod:`kaoping.analysis.spatial`); these commands choose the weights
(the bundled queen or rook contiguity of Henan's 102 ranked counties, the contiguity of a
user's GeoJSON, or a user's weights file), assess the periods, and print, write (``-o
OUT.xlsx``) or dump (``--json``) the tables; ``lisa --map OUT.png`` draws the clusters on the
county map.  What the weights graph is like (its components, units without neighbours, units
dropped for want of a score) is printed as notes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kaoping.cli import _t, domain_errors
from kaoping.cli.analyze import (
    Inputs,
    Section,
    analyze,
    check_output,
    emit,
    input_options,
    node_option,
    output_options,
)
from kaoping.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from kaoping.analysis.spatial import Connectivity

__all__ = ["lisa_command", "moran_command"]

HEADERS: dict[str, tuple[str, str]] = {
    "moran_i": ("Moran's I", "Moran's I"),
    "expected": ("期望值 E[I]", "E[I]"),
    "z_normal": ("z（正态假设）", "z (normality)"),
    "p_normal": ("p（正态假设）", "p (normality)"),
    "z_random": ("z（随机化假设）", "z (randomisation)"),
    "p_random": ("p（随机化假设）", "p (randomisation)"),
    "permutations": ("置换次数", "Permutations"),
    "p_sim": ("伪 p 值（置换）", "Pseudo p (permutations)"),
    "mean_sim": ("置换均值", "Mean of permutations"),
    "sd_sim": ("置换标准差", "Sd of permutations"),
    "z_sim": ("z（置换）", "z (permutations)"),
    "seed": ("随机种子", "Seed"),
    "components": ("连通分量", "Components"),
    "islands": ("无相邻单元数", "Units without neighbours"),
    "dropped": ("缺值单元数", "Units without a value"),
    "z": ("标准化值 z", "Standardised z"),
    "lag": ("空间滞后 Wz", "Spatial lag Wz"),
    "local_i": ("局部 Moran's I", "Local Moran's I"),
    "quadrant": ("象限", "Quadrant"),
    "significant": ("显著", "Significant"),
    "cluster": ("聚类类型", "Cluster"),
    "cluster_zh": ("聚类类型（中文）", "Cluster (Chinese)"),
    "cluster_en": ("聚类类型（英文）", "Cluster (English)"),
    "units": ("单位数", "Units"),
}
"""Column headers of these commands' tables (beyond the shared ones)."""

READABLE_MORAN: tuple[str, ...] = ("n", "moran_i", "expected", "z_normal", "p_normal")
READABLE_MORAN += ("z_random", "p_random", "p_sim")
"""The columns of the global table on the terminal and in the workbook (--json has all)."""

MAP_NAME = "henan.json"


def _weights_options[F: Callable[..., Any]](fn: F) -> F:
    decorators = [
        click.option(
            "--contiguity",
            "kind",
            type=click.Choice(["queen", "rook"]),
            default="queen",
            show_default=True,
            help="Contiguity: queen (outlines share a point) or rook (share an edge).",
        ),
        click.option(
            "--geometry",
            type=click.Path(dir_okay=False, path_type=Path),
            help="GeoJSON of the units: their contiguity, and the map of lisa --map (default: "
            "the bundled neighbours of Henan's 102 counties).",
        ),
        click.option(
            "--id-field",
            default="adcode",
            show_default=True,
            help="The GeoJSON property that holds the unit code.",
        ),
        click.option(
            "--weights",
            "weights_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="A weights file instead: CSV code_a,code_b[,weight], .gal or .gwt.",
        ),
        click.option(
            "--permutations",
            default=999,
            show_default=True,
            type=click.IntRange(min=0),
            help="Random permutations for the pseudo p-value (moran: 0 skips the test; lisa: "
            "at least enough that 1/(M+1) < --alpha, i.e. 20 for the default 0.05).",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0),
            help="Seed of the permutations (default: drawn, and printed so it can be reused).",
        ),
        node_option,
    ]
    for decorate in reversed(decorators):
        fn = decorate(fn)
    return fn


def _weights(kind: str, geometry: Path | None, id_field: str, weights_file: Path | None) -> Any:
    """The libpysal W the options ask for, and what it is, in the user's language."""
    from kaoping.analysis.spatial import contiguity, weights_from_file

    if weights_file is not None and geometry is not None:
        raise click.UsageError(
            _t(
                "--weights 与 --geometry 只能二选一：权重文件已给出相邻关系。",
                "give --weights or --geometry, not both: a weights file already says the "
                "neighbours.",
            )
        )
    if weights_file is not None:
        return weights_from_file(weights_file), _t(
            f"权重：文件 {weights_file}，行标准化",
            f"weights: file {weights_file}, row-standardised",
        )
    name = _t("queen 邻接（共点）", "queen contiguity (a shared point)")
    if kind == "rook":
        name = _t("rook 邻接（共边）", "rook contiguity (a shared edge)")
    source = (
        str(geometry)
        if geometry is not None
        else _t(
            "内置河南 102 个县（市）的相邻关系", "the bundled neighbours of Henan's 102 counties"
        )
    )
    w = contiguity(
        kind,  # type: ignore[arg-type]
        geometry=geometry,
        id_field=id_field,
        id_option="--id-field",
    )
    return w, _t(
        f"权重：{name}，{source}，行标准化", f"weights: {name}, {source}, row-standardised"
    )


def _check_coverage(
    scores: pd.DataFrame | pd.Series,
    w: Any,
    names: dict[str, str],
    geometry: Path | None,
    id_field: str,
    weights_file: Path | None,
) -> None:
    """Refuse, as one problem naming the option to change, units with a score (in any period)
    that the weights do not cover (the library would name them period by period)."""
    import numpy as np
    import pandas as pd

    frame = scores.to_frame() if isinstance(scores, pd.Series) else scores
    known = {str(i) for i in w.id_order}
    valued = np.isfinite(frame.to_numpy(dtype=float, na_value=np.nan)).any(axis=1)
    missing = [str(c) for c, has in zip(frame.index, valued, strict=True) if has]
    missing = [c for c in missing if c not in known]
    if not missing:
        return
    sep = _t("、", ", ")
    shown = sep.join(
        _t(f"{c}（{names[c]}）", f"{c} ({names[c]})") if names.get(c) else c for c in missing[:10]
    )
    if len(missing) > 10:
        shown += _t(f" 等 {len(missing)} 个", f" and {len(missing) - 10} more")
    count = len(missing)
    if weights_file is not None:
        zh = (
            f"{count} 个单元不在权重文件 {weights_file} 的邻接表中：{shown}。请在 --weights "
            "文件中补上它们的相邻关系，或从数据中去掉这些单元。"
        )
        en = (
            f"{count} unit(s) are not in the neighbour file {weights_file} (--weights): "
            f"{shown}; add their neighbours to it, or leave these units out of the data."
        )
    elif geometry is not None:
        zh = (
            f"{count} 个单元不在地图 {geometry} 中（按属性 {id_field} 匹配单元代码）：{shown}。"
            "请检查 --id-field 是否为存放单元代码的属性，或用 --geometry 给出含这些单元的地图，"
            "或从数据中去掉这些单元。"
        )
        en = (
            f"{count} unit(s) are not in the map {geometry} (codes matched on the property "
            f"{id_field}): {shown}; check that --id-field names the property holding the unit "
            "code, give a map that includes them with --geometry, or leave these units out of "
            "the data."
        )
    else:
        zh = (
            f"{count} 个单元不在内置的河南 102 个县（市）相邻关系中：{shown}。其他地区的单元"
            "请用 --geometry 给出地图（GeoJSON，单元代码所在属性用 --id-field 指定），或用 "
            "--weights 给出邻接表（code_a,code_b[,weight]、.gal 或 .gwt）。"
        )
        en = (
            f"{count} unit(s) are not among the bundled neighbours of Henan's 102 counties: "
            f"{shown}; for units elsewhere give a map with --geometry (GeoJSON; --id-field "
            "names the property holding the unit code) or a neighbour file with --weights "
            "(code_a,code_b[,weight], .gal or .gwt)."
        )
    raise InputError([Problem("spatial.no_neighbours_entry", zh, en)])


def _min_permutations(alpha: float) -> int:
    """The fewest permutations M whose smallest pseudo p-value 1/(M + 1) is below ``alpha``
    (the library's condition)."""
    import math

    needed = max(1, math.floor(1 / alpha))
    while 1 / (needed + 1) >= alpha:
        needed += 1
    while needed > 1 and 1 / needed < alpha:
        needed -= 1
    return needed


def _seed(seed: int | None) -> int:
    if seed is not None:
        return seed
    import numpy as np

    return int(np.random.default_rng().integers(2**32))


def _names(inputs: Inputs) -> dict[str, str]:
    """Unit code -> name (English where the bundled units have one and English is chosen)."""
    table = inputs.result().table
    names = {str(code): str(name) for code, name in table["name"].items()}
    if _t("zh", "en") == "en":
        from kaoping.data.bundled import henan_names_en

        english = henan_names_en()
        names = {code: english.get(code, name) for code, name in names.items()}
    return names


def _listed(codes: tuple[str, ...], names: dict[str, str], limit: int = 12) -> str:
    shown = [f"{names.get(c, c)}" for c in codes[:limit]]
    more = len(codes) - limit
    tail = _t(f" 等 {len(codes)} 个", f" and {more} more") if more > 0 else ""
    return _t("、", ", ").join(shown) + tail


def _graph_notes(parts: Connectivity, dropped: tuple[str, ...], names: dict[str, str]) -> list[str]:
    notes = []
    if parts.n_components > 1:
        small = [p for p in parts.components[1:] if p not in [(i,) for i in parts.islands]]
        pieces = _t("；", "; ").join(_listed(p, names) for p in small)
        text = _t(
            f"相邻关系图有 {parts.n_components} 个连通分量",
            f"the neighbour graph has {parts.n_components} components",
        )
        if pieces:
            text += _t(
                f"：{pieces} 只与彼此相邻，与其余单元不相连（计算照常进行）",
                f": {pieces} touch only each other, not the other units (the computation "
                "is unaffected)",
            )
        notes.append(text + _t("。", "."))
    if parts.islands:
        notes.append(
            _t(
                f"没有相邻单元：{_listed(parts.islands, names)}（空间滞后为 0，不做局部检验）。",
                f"no neighbours: {_listed(parts.islands, names)} (spatial lag 0, no local test).",
            )
        )
    if dropped:
        notes.append(
            _t(
                f"{len(dropped)} 个单元没有得分，已从权重中去掉：{_listed(dropped, names)}。",
                f"{len(dropped)} unit(s) without a score left out of the weights: "
                f"{_listed(dropped, names)}.",
            )
        )
    return notes


# --------------------------------------------------------------------------------------------
# kaoping analyze moran
# --------------------------------------------------------------------------------------------


@analyze.command("moran")
@input_options
@output_options
@_weights_options
@domain_errors
def moran_command(
    inputs: Inputs,
    as_json: bool,
    output: Path | None,
    kind: str,
    geometry: Path | None,
    id_field: str,
    weights_file: Path | None,
    permutations: int,
    seed: int | None,
    node: str,
) -> None:
    """Global Moran's I of a score in each period (--periods, default all).

    \b
    全局空间自相关：各期得分的全局 Moran's I，正态与随机化假设下的 z 值与 p 值，以及置换检验的
    伪 p 值 (k+1)/(M+1)。默认权重为内置的河南 102 个县（市）queen 邻接、行标准化；
    可用 --contiguity rook、--geometry 地图.geojson 或 --weights 邻接表.csv 替换。
    Example: kaoping analyze moran --demo --seed 1 -o 全局莫兰指数.xlsx
    """
    from kaoping.analysis.periods import score_frame
    from kaoping.analysis.spatial import moran, moran_panel

    w, described = _weights(kind, geometry, id_field, weights_file)
    scores = score_frame(inputs.results(), node)
    names = _names(inputs)
    _check_coverage(scores, w, names, geometry, id_field, weights_file)
    chosen = _seed(seed)
    table = moran_panel(scores, w, permutations=permutations, rng=chosen)
    last = moran(scores[scores.columns[-1]], w, permutations=0)
    what = inputs.node_name(node)
    notes = [described + _t("。", ".")]
    notes += _graph_notes(last.connectivity, last.dropped, names)
    if permutations:
        notes.append(
            _t(
                f"置换检验：{permutations} 次，随机种子 {chosen}（--seed {chosen} 可复现）。",
                f"permutation test: {permutations} permutations, seed {chosen} (--seed "
                f"{chosen} reproduces it).",
            )
        )
    if not as_json:  # the permutations, seed and graph are in the notes
        table = table[[c for c in table.columns if c in READABLE_MORAN]]
    emit(
        [
            Section(
                "moran",
                f"{what}的全局 Moran's I",
                f"Global Moran's I of {what}",
                table,
                headers=HEADERS,
            )
        ],
        as_json=as_json,
        output=output,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------
# kaoping analyze lisa
# --------------------------------------------------------------------------------------------


CHECKOUT_MAPS = Path(__file__).resolve().parents[3] / "node_modules" / ".kaoping-maps"
"""Where ``make assets`` puts the map in a checkout (the web settings' default)."""


def platform_map() -> Path | None:
    """The platform's county map, where the web settings look for it: ``$KAOPING_MAPS``,
    ``$KAOPING_ASSETS/.kaoping-maps``, the checkout's ``node_modules/.kaoping-maps`` (what
    ``make assets`` builds), then ``./node_modules/.kaoping-maps``; None if absent."""
    folders = []
    if os.environ.get("KAOPING_MAPS"):
        folders.append(Path(os.environ["KAOPING_MAPS"]))
    if os.environ.get("KAOPING_ASSETS"):
        folders.append(Path(os.environ["KAOPING_ASSETS"]) / ".kaoping-maps")
    folders.append(CHECKOUT_MAPS)
    folders.append(Path.cwd() / "node_modules" / ".kaoping-maps")
    return next((f / MAP_NAME for f in folders if (f / MAP_NAME).is_file()), None)


def _map_geometry(geometry: Path | None) -> dict[str, Any]:
    import json

    path = geometry if geometry is not None else platform_map()
    if path is None:
        raise click.UsageError(
            _t(
                "--map 需要县域地图（GeoJSON），但没有找到：请用 --geometry 给出地图文件；或在 "
                "kaoping 项目目录运行 make assets（生成 node_modules/.kaoping-maps/henan.json）；"
                "或设置环境变量 KAOPING_MAPS 指向含 henan.json 的目录。",
                "--map needs the county map (GeoJSON) and none was found: give one with "
                "--geometry; or run `make assets` in the kaoping project folder (it builds "
                "node_modules/.kaoping-maps/henan.json); or set KAOPING_MAPS to a folder that "
                "holds henan.json.",
            )
        )
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise click.UsageError(
            _t(f"无法读取地图 {path}：{exc}", f"cannot read the map {path}: {exc}")
        ) from None
    return data


@analyze.command("lisa")
@input_options
@output_options
@_weights_options
@click.option(
    "--alpha",
    default=0.05,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Significance level of a cluster (pseudo p < alpha).",
)
@click.option(
    "--map",
    "map_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw the clusters on the county map to OUT.png (or OUT.svg).",
)
@domain_errors
def lisa_command(
    inputs: Inputs,
    as_json: bool,
    output: Path | None,
    kind: str,
    geometry: Path | None,
    id_field: str,
    weights_file: Path | None,
    permutations: int,
    seed: int | None,
    node: str,
    alpha: float,
    map_path: Path | None,
) -> None:
    """Local Moran's I (LISA) of a score in one period (-p, default the latest).

    \b
    局部空间自相关（LISA）：每个单元的局部 Moran's I、条件置换检验的伪 p 值、Moran 散点图象限，
    以及 p < α 时的聚类类型（高-高、低-低、低-高、高-低；否则为不显著）；--map 绘制聚类地图。
    Example: kaoping analyze lisa --demo -p 2024 --seed 1 --map LISA聚类图.png
    """
    from kaoping.analysis.periods import score_frame
    from kaoping.analysis.spatial import local_moran

    check_output(map_path, (".png", ".svg"), "--map")  # before anything is computed or written
    needed = _min_permutations(alpha)
    if permutations < needed:
        raise click.BadParameter(
            _t(
                f"{permutations} 次置换不够：伪 p 值最小为 1/(M+1)，要能低于 --alpha {alpha:g}，"
                f"至少需要 {needed} 次（默认 999）。",
                f"{permutations} is too few: the smallest pseudo p-value is 1/(M+1), and for it "
                f"to fall below --alpha {alpha:g} at least {needed} permutations are needed "
                "(default 999).",
            ),
            param_hint="--permutations",
        )
    drawn = _map_geometry(geometry) if map_path is not None else None
    w, described = _weights(kind, geometry, id_field, weights_file)
    result = inputs.result()
    scores = score_frame({result.period: result}, node)[result.period]
    names = _names(inputs)
    _check_coverage(scores, w, names, geometry, id_field, weights_file)
    chosen = _seed(seed)
    local = local_moran(scores, w, permutations=permutations, rng=chosen, alpha=alpha)
    what = inputs.node_name(node)
    lang = "zh" if _t("zh", "en") == "zh" else "en"
    notes = [
        described + _t("。", "."),
        _t(
            f"{result.period} 年全局 Moran's I = {local.moran_i:.4f}；{permutations} 次条件置换，"
            f"随机种子 {chosen}（--seed {chosen} 可复现），显著性水平 α = {alpha:g}。",
            f"{result.period}: global Moran's I = {local.moran_i:.4f}; {permutations} "
            f"conditional permutations, seed {chosen} (--seed {chosen} reproduces them), "
            f"alpha = {alpha:g}.",
        ),
    ]
    notes += _graph_notes(local.connectivity, local.dropped, names)
    if map_path is not None and drawn is not None:
        from kaoping.report.lisa import lisa_chart

        title = _t(
            f"{result.period}年{what}的 LISA 聚类图（p < {alpha:g}）",
            f"LISA clusters of {what}, {result.period} (p < {alpha:g})",
        )
        chart = lisa_chart(local, drawn, title=title, language=lang)  # type: ignore[arg-type]
        if map_path.suffix.lower() == ".svg":
            map_path.write_text(chart.svg(), encoding="utf-8")
        else:
            map_path.write_bytes(chart.png())
        notes.append(_t(f"聚类地图已写入 {map_path}", f"cluster map written to {map_path}"))
    emit(
        _lisa_sections(
            local.table, local.counts(), names, what, result.period, readable=not as_json
        ),
        as_json=as_json,
        output=output,
        notes=notes,
    )


def _lisa_sections(
    table: pd.DataFrame,
    counts: pd.DataFrame,
    names: dict[str, str],
    what: str,
    period: str,
    *,
    readable: bool,
) -> list[Section]:
    """The units' table and the clusters' counts; ``readable``: labels in the user's language
    (the terminal, the workbook), else the library's columns and codes (JSON)."""
    units = table.copy()
    units.insert(0, "name", [names.get(str(c), "") for c in units.index])
    clusters = counts.copy()
    if readable:
        label = "cluster_zh" if _t("zh", "en") == "zh" else "cluster_en"
        island = units["cluster"] == "island"  # no neighbours: no quadrant, no local I
        units["local_i"] = units["local_i"].mask(island)
        units["quadrant"] = units["quadrant"].mask(island, "—")
        units["cluster"] = units[label]
        units = units.drop(columns=["cluster_zh", "cluster_en", "significant"])
        if clusters.loc["island", "units"] == 0:
            clusters = clusters.drop(index="island")
        clusters = clusters[[label, "units"]].rename(columns={label: "cluster"})
        clusters = clusters.reset_index(drop=True)
    return [
        Section(
            "lisa",
            f"{period}年{what}的局部 Moran's I（LISA）",
            f"Local Moran's I (LISA) of {what}, {period}",
            units,
            headers=HEADERS,
        ),
        Section(
            "clusters",
            "各聚类类型的单位数",
            "Units per cluster",
            clusters,
            index=not readable,
            headers=HEADERS,
        ),
    ]
