"""Chinese names of parks and places, normalised so that the forms people write compare equal.

A planner's file says ``兰州经开区（安宁）`` where the plan says ``兰州经济技术开发区``. Before two
names are compared, both are put in one canonical form:

- width: full-width letters, digits, spaces and brackets become half-width (Unicode NFKC);
- spaces and punctuation (``·``, ``-``, quotes) are dropped;
- bracketed text, e.g. ``（兰州）``, is set aside as *context* (a place that helps the match);
- level words (``国家级``, ``省级``, ``市级``, ``县级``) and a leading ``甘肃省`` / ``甘肃`` go;
- the long official forms become the short ones: 高新技术产业开发区 -> 高新区,
  经济技术开发区 -> 经开区, 工业园区 -> 工业园, 产业园区 -> 产业园. 经济开发区 (a provincial
  economic development zone, officially a different kind from a national ETDZ) is also read as
  经开区, but such a match is marked *loose* and scores a little lower.

Place names (prefectures and counties, with their short forms: 兰州市 -> 兰州, 肃北蒙古族自治县 ->
肃北) are found by :class:`PlaceNames`, so that a leading place can be compared on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: Long official form -> short form, and whether the two are the same kind of zone.
SUFFIX_FORMS: tuple[tuple[str, str, bool], ...] = (
    ("高新技术产业开发区", "高新区", True),
    ("高新技术开发区", "高新区", True),
    ("高新开发区", "高新区", True),
    ("经济技术开发区", "经开区", True),
    ("经济开发区", "经开区", False),
    ("工业园区", "工业园", True),
    ("产业园区", "产业园", True),
)
LEVEL_WORDS = ("国家级", "省级", "市级", "县级")
PROVINCE_PREFIXES = ("甘肃省", "甘肃")
_BRACKETS = re.compile(r"[(\[【〔{]([^)\]】〕}]*)[)\]】〕}]")
_DROP = re.compile(r"[\s·•・\-_—–\"'“”‘’《》<>.,，。:：;；/]+")
_ETHNIC = "回族|藏族|蒙古族|哈萨克族|裕固族|东乡族|保安族|撒拉族|土族"
_AUTONOMOUS = re.compile(rf"(?:{_ETHNIC})*自治[州县]$")


@dataclass(frozen=True)
class NormalName:
    """A name in canonical form.

    Attributes
    ----------
    core : str
        The canonical name, brackets removed.
    context : tuple of str
        The bracketed parts (normalised), e.g. ``("兰州",)``.
    loose : bool
        True if an equivalence between different kinds of zone was used (经济开发区 -> 经开区).
    """

    core: str
    context: tuple[str, ...] = ()
    loose: bool = False


def normalize_name(text: object) -> NormalName:
    """Put a park name in canonical form (see the module docstring).

    Examples
    --------
    >>> normalize_name("国家级 兰州经济技术开发区（安宁）")
    NormalName(core='兰州经开区', context=('安宁',), loose=False)
    >>> normalize_name("ＸＸ经济开发区").core, normalize_name("ＸＸ经济开发区").loose
    ('XX经开区', True)
    """
    text = unicodedata.normalize("NFKC", str(text if isinstance(text, str) else ""))
    context = tuple(c for c in (_DROP.sub("", part) for part in _BRACKETS.findall(text)) if c)
    core = _DROP.sub("", _BRACKETS.sub("", text))
    for word in LEVEL_WORDS:
        core = core.replace(word, "")
    for prefix in PROVINCE_PREFIXES:
        if core.startswith(prefix) and len(core) > len(prefix) + 1:
            core = core[len(prefix) :]
            break
    loose = False
    for long, short, same_kind in SUFFIX_FORMS:
        if long in core:
            core = core.replace(long, short)
            loose = loose or not same_kind
    return NormalName(core, context, loose)


def short_place_name(name: str) -> str:
    """A prefecture's or county's name without its administrative suffix.

    Examples
    --------
    >>> short_place_name("兰州市"), short_place_name("肃北蒙古族自治县"), short_place_name("城关区")
    ('兰州', '肃北', '城关')
    >>> short_place_name("临夏回族自治州"), short_place_name("积石山保安族东乡族撒拉族自治县")
    ('临夏', '积石山')
    """
    short = _AUTONOMOUS.sub("", name)
    if short != name:
        return short
    if len(name) > 2 and name[-1] in "市县区州":
        return name[:-1]
    return name


@dataclass(frozen=True)
class Place:
    """A prefecture or county a name can refer to."""

    level: str
    adcode: str
    prefecture_adcode: str
    name_zh: str


class PlaceNames:
    """Prefecture and county names, full and short, for finding places inside park names.

    Parameters
    ----------
    units
        ``(level, adcode, prefecture_adcode, name_zh)`` of every prefecture and county.

    Examples
    --------
    >>> places = PlaceNames([("prefecture", "620100", "620100", "兰州市"),
    ...                      ("county", "620105", "620100", "安宁区")])
    >>> places.split_leading("兰州安宁经开区")
    (['兰州', '安宁'], '经开区')
    >>> [p.adcode for p in places.lookup("安宁区")]
    ['620105']
    """

    def __init__(self, units: Iterable[tuple[str, str, str, str]]) -> None:
        self._by_name: dict[str, list[Place]] = {}
        for level, adcode, prefecture, name in units:
            place = Place(level, adcode, prefecture, name)
            for key in {name, short_place_name(name)}:
                if len(key) >= 2:
                    self._by_name.setdefault(key, []).append(place)
        self._longest_first = sorted(self._by_name, key=len, reverse=True)

    def lookup(self, token: str) -> list[Place]:
        """The places called `token` (full or short name); empty if none."""
        return list(self._by_name.get(token, []))

    def split_leading(self, core: str) -> tuple[list[str], str]:
        """Leading place names of `core` and the rest (at least two characters are left)."""
        found: list[str] = []
        rest = core
        while True:
            token = next(
                (t for t in self._longest_first if rest.startswith(t) and len(rest) - len(t) >= 2),
                None,
            )
            if token is None:
                return found, rest
            found.append(token)
            rest = rest[len(token) :]

    def is_place(self, text: str) -> bool:
        """Whether `text` is nothing but one place name (``白银``, ``敦煌市``)."""
        return text in self._by_name
