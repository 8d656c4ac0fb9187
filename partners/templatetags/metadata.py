"""What pages say about themselves: canonical address, description and Open Graph tags,
and schema.org JSON-LD (partners/opendata/structured_data.py)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from icma_site.pagecache.canonical import canonical_address
from partners.opendata import structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's absolute canonical address (icma_site.pagecache.canonical.canonical_address)."""
    return canonical_address(context.get("request"))


def home_url(request):
    """The English home page: ICMA's one identity (`@id`) in every language's JSON-LD."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse("partners:home"))


@register.simple_tag(takes_context=True)
def icma_json_ld(context):
    return structured_data.embed(structured_data.icma(home_url(context["request"])))


@register.simple_tag(takes_context=True)
def partner_json_ld(context, organization):
    request = context["request"]
    served = organization.countries_served.all() if organization.is_multinational else ()
    return structured_data.embed(
        structured_data.organization(
            organization,
            request.build_absolute_uri(organization.get_absolute_url()),
            home_url(request),
            served,
        )
    )


@register.simple_tag(takes_context=True)
def partner_list_json_ld(context, name, *groups, total=None, start=1):
    """An ItemList of the partners in `groups`, in order (a page of `total`, starting at
    position `start`): structured_data.partner_list_json_ld."""
    partners = [partner for partners in groups for partner in partners]
    return structured_data.partner_list_json_ld(
        name, context["request"], partners, total=total, start=start
    )
