from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW_SITE_HISTORY = "audit.view_site_history"


class AuditLog(models.Model):
    """No table: it carries the permission to read the whole audit log.

    Wagtail's Site history report (Reports → Site history) has no permission of its own;
    it shows any admin user the entries about what they may see. Staff actions are
    logged against users and groups, so the report is kept for holders of this
    permission (Admins get every permission: newsdesk/core/roles.py). Wagtail's own
    `Admin` model carries `access_admin` the same way.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_site_history", _("Can read the whole audit log (Reports → Site history)"))]
        verbose_name = _("audit log")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
