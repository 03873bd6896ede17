"""SiteSettings moves here from newsroom/: the model only, its table stays.

The table newsroom_sitesettings and its row were made by newsroom's migrations
0001 and 0002 and are left as they are; newsroom's 0003 then forgets the model.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("newsroom", "0002_the_site_settings_row"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SiteSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(default='Tòa soạn', max_length=120, verbose_name='tên báo')),
                        ('tagline', models.CharField(blank=True, max_length=200, verbose_name='khẩu hiệu')),
                        ('governing_body', models.CharField(blank=True, max_length=200, verbose_name='cơ quan chủ quản')),
                        ('licence', models.CharField(blank=True, max_length=200, verbose_name='giấy phép')),
                        ('editor_in_chief', models.CharField(blank=True, max_length=120, verbose_name='tổng biên tập')),
                        ('address', models.CharField(blank=True, max_length=250, verbose_name='địa chỉ')),
                        ('phone', models.CharField(blank=True, max_length=60, verbose_name='điện thoại')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                        ('tip_hotline', models.CharField(blank=True, max_length=60, verbose_name='đường dây nóng nhận tin')),
                        ('advertising_contact', models.CharField(blank=True, max_length=200, verbose_name='liên hệ quảng cáo')),
                    ],
                    options={
                        'verbose_name': 'thông tin tòa soạn',
                        'verbose_name_plural': 'thông tin tòa soạn',
                        'db_table': 'newsroom_sitesettings',
                        'ordering': ['pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
