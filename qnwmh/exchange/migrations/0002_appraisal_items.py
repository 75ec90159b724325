"""The mutual-visit appraisal form's items (docs/GLOSSARY.md, 互评): each scored 1–5 with a
comment. Rows, so the city may reword or retire one without a release."""

from django.db import migrations

ITEMS = [
    ("service", "服务规范", "服务流程、服务承诺和文明用语是否规范"),
    ("feature", "创建特色", "创建工作有无特色和亮点"),
    ("team", "团队风貌", "青年员工的精神面貌和团队协作"),
    ("practice", "可借鉴做法", "有哪些做法值得本集体学习借鉴"),
]


def seed(apps, schema_editor):
    AppraisalItem = apps.get_model("exchange", "AppraisalItem")
    for order, (key, label, hint) in enumerate(ITEMS, start=1):
        AppraisalItem.objects.update_or_create(
            key=key, defaults={"label": label, "hint": hint, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
