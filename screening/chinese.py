"""Chinese characters typed as a query: split into known words, romanize the rest.

`anyascii` romanizes 华为 to "HuaWei", which is how the lists spell Huawei, but
海康威视 to "HaiKangWeiShi", which no list uses. So runs of Chinese characters
are first segmented against a small dictionary (legal forms, generic words,
places, and brands whose English name is not their pinyin); whatever is left
becomes one joined pinyin token, the way the lists write Chinese names.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from screening.numbers import ordinal

# Longest matches first; values are the English or pinyin words the lists use.
CHINESE_WORDS: dict[str, str] = {
    # Legal forms
    "股份有限公司": "co ltd",
    "有限责任公司": "co ltd",
    "有限公司": "co ltd",
    "分公司": "branch",
    "公司": "company",
    # Generic words
    "技术": "technology",
    "科技": "technology",
    "数字": "digital",
    "电子": "electronic",
    "通信": "communication",
    "信息": "information",
    "产业": "industry",
    "工业": "industry",
    "实业": "industry",
    "集团": "group",
    "国际": "international",
    "控股": "holding",
    "投资": "investment",
    "贸易": "trading",
    "进出口": "import export",
    "大学": "university",
    "研究所": "research institute",
    "集团公司": "group corporation",
    "航天": "aerospace",
    "航空": "aviation",
    "科工": "science industry",
    "船舶": "shipbuilding",
    "重工": "heavy industry",
    "兵器": "ordnance",
    "核工业": "nuclear industry",
    "研究院": "research institute",
    "研究": "research",
    "中心": "center",
    "系统": "system",
    "设备": "equipment",
    "网络": "network",
    "软件": "software",
    "智能": "intelligent",
    "公安局": "public security bureau",
    # Places
    "北京": "beijing",
    "上海": "shanghai",
    "天津": "tianjin",
    "重庆": "chongqing",
    "深圳": "shenzhen",
    "广州": "guangzhou",
    "杭州": "hangzhou",
    "南京": "nanjing",
    "武汉": "wuhan",
    "成都": "chengdu",
    "西安": "xian",
    "苏州": "suzhou",
    "合肥": "hefei",
    "厦门": "xiamen",
    "大连": "dalian",
    "青岛": "qingdao",
    "长沙": "changsha",
    "郑州": "zhengzhou",
    "哈尔滨": "harbin",
    "广东": "guangdong",
    "江苏": "jiangsu",
    "浙江": "zhejiang",
    "四川": "sichuan",
    "湖北": "hubei",
    "湖南": "hunan",
    "山东": "shandong",
    "新疆": "xinjiang",
    "香港": "hong kong",
    "中国": "china",
    # Brands whose English name is not their pinyin
    "海康威视": "hikvision",
    "旷视": "megvii",
    "中科曙光": "sugon",
    "曙光": "sugon",
    "中兴": "zte",
    "大疆": "dji",
    "商汤": "sensetime",
    "科大讯飞": "iflytek",
    "中芯国际": "smic",
    "浪潮": "inspur",
    "云从": "cloudwalk",
    "北京航空航天大学": "beihang university",
    "北航": "beihang",
    "哈尔滨工业大学": "harbin institute of technology",
}

_LONGEST = max(len(word) for word in CHINESE_WORDS)
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


# "第十四" is "14th": the lists number institutes and academies ("... 14th Research Institute").
_ORDINAL = re.compile(r"第([零〇一二两三四五六七八九十百]+)")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def romanize_chinese(text: str) -> str:
    """Replace every run of Chinese characters with spaced English or pinyin words."""
    if not _HAN_RUN.search(text):
        return text
    text = _ORDINAL.sub(lambda m: f" {_ordinal(m.group(1))} ", text)
    return _HAN_RUN.sub(lambda m: f" {_segment(m.group(0))} ", text)


def _ordinal(numeral: str) -> str:
    """ "十四" -> "14th", "二十三" -> "23rd", "一百零一" -> "101st"."""
    number = 0
    pending = 0
    for char in numeral:
        if char == "百":
            number += (pending or 1) * 100
            pending = 0
        elif char == "十":
            number += (pending or 1) * 10
            pending = 0
        else:
            pending = _DIGITS[char]
    return ordinal(number + pending)


def _segment(run: str) -> str:
    words: list[str] = []
    leftover: list[str] = []
    position = 0
    while position < len(run):
        word = _longest_word_at(run, position)
        if word is None:
            leftover.append(run[position])
            position += 1
            continue
        if leftover:
            words.append(anyascii("".join(leftover)).lower())
            leftover = []
        words.append(CHINESE_WORDS[word])
        position += len(word)
    if leftover:
        words.append(anyascii("".join(leftover)).lower())
    return " ".join(words)


def _longest_word_at(run: str, position: int) -> str | None:
    for size in range(min(_LONGEST, len(run) - position), 1, -1):
        candidate = run[position : position + size]
        if candidate in CHINESE_WORDS:
            return candidate
    return None
