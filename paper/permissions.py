"""Vietnamese names for the permissions Django makes for every model.

Django names a model's default permissions in English when it migrates ("Can
add bình luận"), and the user and group forms show those names. After every
migrate, ``name_default_permissions`` renames them from the model's Vietnamese
name, so a model or an app added later is covered by the next migrate.
"""

from django.apps import AppConfig
from django.apps.registry import Apps
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.utils import translation

# What each default permission lets a person do.
ACTIONS = {
    "add": "Được thêm",
    "change": "Được sửa",
    "delete": "Được xóa",
    "view": "Được xem",
}


def model_name(model: type[Model]) -> str:
    """The model's name as the admin says it in Vietnamese.

    The project's models are named in Vietnamese already; a third-party app's
    name goes through the catalogue, also when the app did not mark it for
    translation (django-otp's "TOTP device"): locale/vi holds those too.
    """
    name = translation.gettext(str(model._meta.verbose_name))
    # Mid-sentence, as a common noun ("Nhóm" in Django's catalogue), unless it
    # starts with an abbreviation ("TOTP").
    if name[1:2].islower():
        name = name[0].lower() + name[1:]
    return name


def permission_name(action: str, model: type[Model]) -> str:
    name = f"{ACTIONS[action]} {model_name(model)}"
    # Permission.name holds 255 characters, as Django's own check requires.
    return name[:255]


def name_default_permissions(
    app_config: AppConfig,
    using: str = DEFAULT_DB_ALIAS,
    apps: Apps | None = None,
    **kwargs,
) -> None:
    """Renames the default permissions of the app's models; other permissions
    (the roles' own, named in Vietnamese) stay as they are. Idempotent: a
    permission already named so is not written again."""
    if apps is None:
        from django.apps import apps
    if not app_config.models_module:
        return
    try:
        Permission = apps.get_model("auth", "Permission")
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return  # auth or contenttypes not migrated yet
    # auth's own post_migrate receiver makes the permissions; it is connected
    # after this one (django.contrib.auth comes after paper in INSTALLED_APPS),
    # so the app's new models get theirs here first. It skips what exists.
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    with translation.override(settings.LANGUAGE_CODE):
        wanted = {}
        for model in app_config.get_models():
            opts = model._meta
            content_type = ContentType.objects.db_manager(using).get_for_model(
                model, for_concrete_model=False
            )
            for action in opts.default_permissions:
                if action in ACTIONS:
                    codename = get_permission_codename(action, opts)
                    wanted[content_type.pk, codename] = permission_name(action, model)
    if not wanted:
        return
    renamed = []
    for permission in Permission.objects.using(using).filter(
        content_type__in={content_type for content_type, _ in wanted},
        codename__in={codename for _, codename in wanted},
    ):
        name = wanted.get((permission.content_type_id, permission.codename))
        if name is not None and permission.name != name:
            permission.name = name
            renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"])
