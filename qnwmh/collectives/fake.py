"""Plausible Zhongshan data for the demo and the benchmark generator (deterministic per seed)."""

from __future__ import annotations

import datetime
import random

SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娟建国志文辉婷雪琳晓宇浩然子轩欣怡嘉豪梓涵俊杰诗琪思远雅婷家乐嘉欣泽宇梦瑶佳慧永健锦华伟鸿"
BRANDS = [
    "华艺",
    "明阳",
    "长青",
    "恒丰",
    "鸿业",
    "嘉美",
    "东菱",
    "大洋",
    "美居",
    "通宇",
    "百川",
    "华帝",
    "坚朗",
    "联合",
    "乐从",
    "精工",
    "远景",
    "中顺",
    "小榄",
    "古镇",
    "凯达",
    "新涛",
]
TRADES = [
    "灯饰",
    "电器",
    "五金",
    "家具",
    "服装",
    "食品",
    "电子",
    "物流",
    "包装",
    "照明",
    "健康科技",
]
TEAMS = ["客服中心", "青年突击队", "生产一线班组", "品质管理部", "电商运营部", "售后服务部"]


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def phone(rng: random.Random) -> str:
    return (
        rng.choice(["138", "139", "135", "137", "150", "186", "189", "133"])
        + f"{rng.randrange(10**8):08d}"
    )


def birth_date(
    rng: random.Random, today: datetime.date, age_min: int, age_max: int
) -> datetime.date:
    age_days = rng.randint(age_min * 365 + 30, age_max * 365 + 300)
    return today - datetime.timedelta(days=age_days)


def company(rng: random.Random) -> str:
    return f"中山市{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司"


def team(rng: random.Random) -> str:
    return rng.choice(TEAMS)
