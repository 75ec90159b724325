"""Demo: the city league, Zhongshan's 23 town-level bodies and ten industry bodies."""

from __future__ import annotations

import csv
from pathlib import Path

from qnwmh.core.demo_context import DemoContext
from qnwmh.orgs.models import Organisation, Sector, Town

TOWNS_CSV = Path(__file__).parent / "data" / "zhongshan_towns.csv"

# (full name, short name, sector)
INDUSTRY_BODIES = [
    ("共青团中山市公安局委员会", "市公安局团委", "公安"),
    ("共青团国家税务总局中山市税务局委员会", "市税务局团委", "税务"),
    ("共青团中山市卫生健康局委员会", "市卫健局团委", "卫生健康"),
    ("共青团中山市交通运输局委员会", "市交通运输局团委", "交通运输"),
    ("共青团中山市金融工作委员会", "市金融团工委", "金融"),
    ("共青团广东电网有限责任公司中山供电局委员会", "中山供电局团委", "电力"),
    ("共青团中山市教育和体育局委员会", "市教体局团委", "教育"),
    ("共青团中山市国有资产监督管理委员会工作委员会", "市国资团工委", "国有企业"),
    ("共青团中山市非公有制经济组织和社会组织工作委员会", "市两新团工委", "两新组织"),
    ("共青团中山市城市管理和综合执法局委员会", "市城管执法局团委", "城市管理"),
]
OTHER_SECTORS = ["商贸服务", "文化旅游", "社区服务"]


def load_towns() -> list[Town]:
    with TOWNS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Town.objects.get_or_create(
            name=row["name"],
            defaults={"kind": row["kind"], "also_known_as": row["also_known_as"], "sort_order": i},
        )[0]
        for i, row in enumerate(rows)
    ]


def _save_tree_node(org: Organisation) -> Organisation:
    org.path = "-"
    org.save()
    org.path = f"{org.parent.path if org.parent else ''}{org.pk:06d}/"
    org.save(update_fields=["path"])
    return org


def build(ctx: DemoContext) -> None:
    towns = load_towns()
    sectors = {}
    for i, name in enumerate([s for _, _, s in INDUSTRY_BODIES] + OTHER_SECTORS):
        sectors[name] = Sector.objects.get_or_create(name=name, defaults={"sort_order": i})[0]
    ctx.city = _save_tree_node(
        Organisation(
            name="共青团中山市委员会",
            short_name="团市委",
            kind=Organisation.Kind.CITY,
            contact_phone="0760-88318315",
            contact_email="zsgqtzzb@126.com",
        )
    )
    for town in towns:
        if town.kind == Town.Kind.STREET:
            name, short = f"共青团中山市{town.name}工作委员会", f"{town.name}团工委"
        else:
            name, short = f"共青团中山市{town.name}委员会", f"{town.name}团委"
        ctx.bodies[name] = _save_tree_node(
            Organisation(
                name=name,
                short_name=short,
                kind=Organisation.Kind.BODY,
                body_kind=Organisation.BodyKind.TERRITORIAL,
                parent=ctx.city,
                town=town,
            )
        )
    for name, short, sector in INDUSTRY_BODIES:
        ctx.bodies[name] = _save_tree_node(
            Organisation(
                name=name,
                short_name=short,
                kind=Organisation.Kind.BODY,
                body_kind=Organisation.BodyKind.INDUSTRY,
                parent=ctx.city,
                sector=sectors[sector],
            )
        )
    ctx.extra["towns"] = towns
    ctx.extra["sectors"] = sectors
