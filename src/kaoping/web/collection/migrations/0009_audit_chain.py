"""The audit log as a hash chain (seq, hash: see kaoping.web.collection.audit), the events
already there chained in their order (timestamp, id), then the triggers by which the database
refuses UPDATE and DELETE of an event (and TRUNCATE on PostgreSQL)."""

from django.db import migrations, models

from kaoping.web.collection import audit


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("collection", "AuditEvent")
    previous = audit.GENESIS
    events = AuditEvent.objects.using(schema_editor.connection.alias).order_by("timestamp", "pk")
    for seq, event in enumerate(events, start=1):
        previous = audit.digest(
            previous, seq=seq, timestamp=event.timestamp, actor_id=event.actor_id,
            action=event.action, submission_id=event.submission_id,
            period_id=event.period_id, data=event.data,
        )
        AuditEvent.objects.filter(pk=event.pk).update(seq=seq, hash=previous)


class Migration(migrations.Migration):

    dependencies = [
        ('collection', '0008_reopen_objections'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['seq'], 'verbose_name': 'audit event', 'verbose_name_plural': 'audit log'},
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name='number'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='timestamp',
            field=models.DateTimeField(db_index=True, editable=False),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('methodology.add', 'Added a methodology'), ('period.create', 'Created the period'), ('period.deadline', 'Set the deadline'), ('period.open', 'Opened the period'), ('period.close', 'Closed the period'), ('submission.save', 'Saved figures'), ('submission.submit', 'Submitted'), ('submission.return', 'Returned for correction'), ('submission.approve', 'Approved'), ('submission.reopen', 'Reopened after an accepted objection'), ('assessment.compute', 'Computed the assessment'), ('assessment.announce', 'Announced the results for objections'), ('assessment.object', 'Raised an objection'), ('assessment.answer', 'Answered an objection'), ('assessment.reply', 'Replied to the answer to an objection'), ('assessment.discard', 'Discarded a preview'), ('assessment.publish', 'Published the results'), ('account.password', 'Changed their password'), ('account.reset', "Reset a county account's password")], max_length=32),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name='number'),
        ),
        # last: on SQLite, the table rebuilt by the steps above would take its triggers with it
        migrations.RunPython(
            lambda apps, schema_editor: audit.create_triggers(schema_editor.connection),
            lambda apps, schema_editor: audit.drop_triggers(schema_editor.connection),
        ),
    ]
