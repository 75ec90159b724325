"""Role grants (from ``accounts``) and API tokens (from ``api``) move here, in the state only:
their tables keep their names and their rows. Content types and audit entries that named the
old apps are re-pointed, so history pages still find them."""

import django.db.models.deletion
import django.utils.timezone
import qnwmh.core.codes
from django.conf import settings
from django.db import migrations, models

MOVED = [("accounts", "access", "roleassignment"), ("api", "access", "apitoken")]


def _move(apps, schema_editor, backwards=False):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    db = schema_editor.connection.alias
    for old, new, model in MOVED:
        source, target = (new, old) if backwards else (old, new)
        if not ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            ContentType.objects.using(db).filter(app_label=source, model=model).update(
                app_label=target
            )
        AuditEntry.objects.using(db).filter(object_type=f"{source}.{model}").update(
            object_type=f"{target}.{model}"
        )


def repoint(apps, schema_editor):
    _move(apps, schema_editor)


def unrepoint(apps, schema_editor):
    _move(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_move_role_assignment_to_access'),
        ('api', '0002_move_api_token_to_access'),
        ('audit', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('collectives', '0006_collective_pinyin_sort_key'),
        ('orgs', '0002_constraint_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(default=qnwmh.core.codes.new_code, editable=False, max_length=12, unique=True)),
                        ('name', models.CharField(blank=True, max_length=100, verbose_name='用途')),
                        ('prefix', models.CharField(editable=False, max_length=8)),
                        ('key_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('last_used_at', models.DateTimeField(blank=True, null=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '接口令牌',
                        'verbose_name_plural': '接口令牌',
                        'db_table': 'api_apitoken',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['user', 'revoked_at'], name='api_apitoke_user_id_0370d7_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='RoleAssignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('city_admin', '团市委管理员'), ('body_admin', '基层团委管理员'), ('collective_manager', '集体管理员'), ('reviewer', '评审专家')], max_length=32, verbose_name='角色')),
                        ('granted_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('collective', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='collectives.collective')),
                        ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organisation')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'accounts_roleassignment',
                        'indexes': [models.Index(fields=['user', 'revoked_at'], name='accounts_ro_user_id_0c6f39_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('collective__isnull', True), ('organisation__isnull', False), ('role__in', ['city_admin', 'body_admin'])), models.Q(('collective__isnull', False), ('organisation__isnull', True), ('role', 'collective_manager')), models.Q(('collective__isnull', True), ('role', 'reviewer')), _connector='OR'), name='role_target_matches')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(repoint, unrepoint),
    ]
