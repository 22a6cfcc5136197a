from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('collection', '0009_audit_chain'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='must_change_password',
            field=models.BooleanField(default=False, verbose_name='must change the password'),
        ),
    ]
