"""What pages say about themselves: canonical address, description and Open Graph tags,
and schema.org JSON-LD (partners/structured_data.py)."""

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from icma_site.canonical import canonical_query, page_parameters
from partners import structured_data
from partners.models import PageLinks

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Rendered template output, escaped already.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: render the inside once, into a variable,
    spaces collapsed, so that one block (a page's description) can feed several tags."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's absolute canonical address (icma_site/canonical.py: only the query
    parameters its view uses, each once), page 1 being the page itself."""
    request = context.get("request")
    if request is None:  # An error page rendered without a request.
        return ""
    query = QueryDict(canonical_query(request.GET, page_parameters(request)), mutable=True)
    if query.get("page") == "1":
        del query["page"]
    address = request.build_absolute_uri(request.path)
    return f"{address}?{query.urlencode()}" if query else address


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
    position `start`)."""
    site = context["request"].build_absolute_uri("/").removesuffix("/")
    page_of = PageLinks()
    entries = [
        (str(partner), site + page_of(partner)) for partners in groups for partner in partners
    ]
    return structured_data.embed(structured_data.item_list(name, entries, total, start))
