"""Any change to the directory retires the cached public pages (icma_site/pagecache/).

Connected in PartnersConfig.ready(). Saves and deletes go through the models everywhere
the directory is written (the admin, `load_partners`, `loaddata`), so these receivers see
them all; a bare QuerySet.update() or bulk_create() would not, so call
icma_site.pagecache.versions.directory_changed() after one.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from icma_site.pagecache.versions import directory_changed
from partners.models import Country, Organization, RelationshipType


@receiver(post_save, sender=Organization, dispatch_uid="partners.organization.saved")
@receiver(post_save, sender=Country, dispatch_uid="partners.country.saved")
@receiver(post_save, sender=RelationshipType, dispatch_uid="partners.relationshiptype.saved")
@receiver(post_delete, sender=Organization, dispatch_uid="partners.organization.deleted")
@receiver(post_delete, sender=Country, dispatch_uid="partners.country.deleted")
@receiver(post_delete, sender=RelationshipType, dispatch_uid="partners.relationshiptype.deleted")
def directory_model_changed(sender, using=None, **kwargs):
    directory_changed(using=using)


@receiver(
    m2m_changed,
    sender=Organization.countries_served.through,
    dispatch_uid="partners.organization.countries_served.changed",
)
def countries_served_changed(sender, action, using=None, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        directory_changed(using=using)
