from django.db import migrations

# The policy's 三个一 (domain.md §1.5), pre-loaded as the default duty checklist.
KINDS = [
    ("inspection", "广泛调研或检查", 1, False, True, 10),
    ("exchange", "主题交流活动", 1, False, True, 20),
    ("channel", "常态化联系渠道", 1, True, False, 30),
]


def load(apps, schema_editor):
    DutyKind = apps.get_model("creation", "DutyKind")
    for code, name, target, is_channel, needs_evidence, order in KINDS:
        DutyKind.objects.get_or_create(code=code, defaults={
            "name": name, "target": target, "is_channel": is_channel,
            "needs_evidence": needs_evidence, "order": order,
        })


class Migration(migrations.Migration):
    dependencies = [("creation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
