"""English names (Hanyu Pinyin plus the official English for the unit type) of Gansu's units.

Authored by hand rather than by an automatic romaniser, which gets polyphones such as
宕昌 (Tanchang), 会宁 (Huining) and the minority-language names (阿克塞 Aksay) wrong.
"""

from __future__ import annotations

# Stems: the name without its unit suffix.
_STEMS: dict[str, str] = {
    "甘肃": "Gansu",
    "兰州": "Lanzhou",
    "嘉峪关": "Jiayuguan",
    "金昌": "Jinchang",
    "白银": "Baiyin",
    "天水": "Tianshui",
    "武威": "Wuwei",
    "张掖": "Zhangye",
    "平凉": "Pingliang",
    "酒泉": "Jiuquan",
    "庆阳": "Qingyang",
    "定西": "Dingxi",
    "陇南": "Longnan",
    "临夏回族": "Linxia Hui",
    "甘南藏族": "Gannan Tibetan",
    "城关": "Chengguan",
    "七里河": "Qilihe",
    "西固": "Xigu",
    "安宁": "Anning",
    "红古": "Honggu",
    "永登": "Yongdeng",
    "皋兰": "Gaolan",
    "榆中": "Yuzhong",
    "金川": "Jinchuan",
    "永昌": "Yongchang",
    "平川": "Pingchuan",
    "靖远": "Jingyuan",
    "会宁": "Huining",
    "景泰": "Jingtai",
    "秦州": "Qinzhou",
    "麦积": "Maiji",
    "清水": "Qingshui",
    "秦安": "Qin'an",
    "甘谷": "Gangu",
    "武山": "Wushan",
    "张家川回族": "Zhangjiachuan Hui",
    "凉州": "Liangzhou",
    "民勤": "Minqin",
    "古浪": "Gulang",
    "天祝藏族": "Tianzhu Tibetan",
    "甘州": "Ganzhou",
    "肃南裕固族": "Sunan Yugur",
    "民乐": "Minle",
    "临泽": "Linze",
    "高台": "Gaotai",
    "山丹": "Shandan",
    "崆峒": "Kongtong",
    "泾川": "Jingchuan",
    "灵台": "Lingtai",
    "崇信": "Chongxin",
    "庄浪": "Zhuanglang",
    "静宁": "Jingning",
    "华亭": "Huating",
    "肃州": "Suzhou",
    "金塔": "Jinta",
    "瓜州": "Guazhou",
    "肃北蒙古族": "Subei Mongol",
    "阿克塞哈萨克族": "Aksay Kazakh",
    "玉门": "Yumen",
    "敦煌": "Dunhuang",
    "西峰": "Xifeng",
    "庆城": "Qingcheng",
    "环": "Huan",
    "华池": "Huachi",
    "合水": "Heshui",
    "正宁": "Zhengning",
    "宁": "Ning",
    "镇原": "Zhenyuan",
    "安定": "Anding",
    "通渭": "Tongwei",
    "陇西": "Longxi",
    "渭源": "Weiyuan",
    "临洮": "Lintao",
    "漳": "Zhang",
    "岷": "Min",
    "武都": "Wudu",
    "成": "Cheng",
    "文": "Wen",
    "宕昌": "Tanchang",
    "康": "Kang",
    "西和": "Xihe",
    "礼": "Li",
    "徽": "Hui",
    "两当": "Liangdang",
    "临夏": "Linxia",
    "康乐": "Kangle",
    "永靖": "Yongjing",
    "广河": "Guanghe",
    "和政": "Hezheng",
    "东乡族": "Dongxiang",
    "积石山保安族东乡族撒拉族": "Jishishan Bonan, Dongxiang and Salar",
    "合作": "Hezuo",
    "临潭": "Lintan",
    "卓尼": "Zhuoni",
    "舟曲": "Zhouqu",
    "迭部": "Diebu",
    "玛曲": "Maqu",
    "碌曲": "Luqu",
    "夏河": "Xiahe",
}

# Whole names that are not "stem + unit suffix".
_WHOLE: dict[str, str] = {
    "中农发山丹马场": "Shandan Horse Ranch (China National Agricultural Development Group)",
    "莲花山风景林自然保护区": "Lianhuashan Scenic Forest Nature Reserve",
    "太子山天然林保护区": "Taizishan Natural Forest Reserve",
    "临夏市": "Linxia City",
    "临夏县": "Linxia County",
}

_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("省", "Province"),
    ("市", "City"),
    ("区", "District"),
    ("县", "County"),
)


def english_name(name_zh: str) -> str:
    """English name of a Gansu province, prefecture or county-level unit.

    Parameters
    ----------
    name_zh
        The official Chinese name, e.g. ``"瓜州县"``.

    Returns
    -------
    str
        e.g. ``"Guazhou County"``.

    Raises
    ------
    KeyError
        If the unit is not in the authored table (add it to ``_STEMS``).

    Examples
    --------
    >>> english_name("瓜州县"), english_name("甘南藏族自治州"), english_name("宕昌县")
    ('Guazhou County', 'Gannan Tibetan Autonomous Prefecture', 'Tanchang County')
    """
    if name_zh in _WHOLE:
        return _WHOLE[name_zh]
    for suffix, suffix_en in _SUFFIXES:
        stem = name_zh.removesuffix(suffix)
        if stem != name_zh and stem in _STEMS:
            return f"{_STEMS[stem]} {suffix_en}"
    raise KeyError(f"No English name authored for `{name_zh}`; add its stem to gis_data/names.py.")
