from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views import View
from django.views.decorators.cache import cache_control, never_cache
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from icma_site.pagecache.canonical import CanonicalQueryMixin
from partners.collation import sort_key
from partners.editorial.corrections import CorrectionForm, may_send, sender
from partners.listing.filters import MAX_QUERY_LENGTH, OrganizationFilter
from partners.listing.grouping import group_in_order, group_results
from partners.listing.lookups import DirectoryLookups, DirectoryPaginator
from partners.listing.pagination import page_or_first
from partners.models import Country, Organization
from partners.places import in_country
from partners.search.paginator import SearchPaginator
from partners.search.similarity import SUGGEST_BELOW
from partners.search.vocabulary import search_vocabulary
from partners.worldmap import render_world_map

# A partner page lists at most this many other partners in its country, then links to
# the country's page for the rest.
NEIGHBOURS_SHOWN = 12


class NotFound(Http404):
    """A 404 whose message is written for the visitor, in the page's language ("No
    published partner is in this country."): the 404 page shows it. Django's own
    Http404s (a DetailView's "No organization found matching the query", the resolver's)
    are developer text, in English or with the model's English name, and are never shown."""


def page_not_found(request, exception):
    """handler404: the 404 page in the address's language, with the reason only when it
    is a NotFound. `request_path` tells the language links that the page is a 404
    (partners/templatetags/languages.py), as Django's page_not_found does."""
    message = ""
    if isinstance(exception, NotFound) and exception.args:
        message = str(exception.args[0])
    context = {"message": message, "request_path": request.path}
    return render(request, "404.html", context, status=404)


def sorted_countries(countries):
    """Countries in the alphabetical order of the page's language, by the name it shows."""
    return sorted(countries, key=lambda country: sort_key(country.local_name))


def results_summary(partners, countries, capped=False):
    """ "12 partners in 5 countries", in the page's language, the numbers localized; for a
    search capped at `partners` (partners/search/paginator.py COUNT_CAP), "More than 10,000
    partners"; "No partners" when none matches (not "0 partners in 0 countries"). The
    sentences around it agree with the number of partners (blocktranslate count)."""
    if not partners and not capped:
        return pgettext("results summary", "No partners")
    if capped:
        return ngettext("More than %(count)s partner", "More than %(count)s partners", partners) % {
            "count": number_format(partners)
        }
    return _("%(partners)s in %(countries)s") % {
        "partners": ngettext("%(count)s partner", "%(count)s partners", partners)
        % {"count": number_format(partners)},
        "countries": ngettext("%(count)s country", "%(count)s countries", countries)
        % {"count": number_format(countries)},
    }


class AboutPageView(CanonicalQueryMixin, TemplateView):
    """/about/…: a page of text."""


class HomeView(CanonicalQueryMixin, TemplateView):
    """/: what the directory is, its figures, the world map and ways in."""

    template_name = "partners/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lookups = DirectoryLookups()
        # The countries in the page's order and the map drawn from them change only with
        # the directory and the language: kept with the lookups, per language (drawing
        # the map was over a quarter of the page's time).
        countries = lookups.in_language(
            "partner_countries_by_name",
            lambda: sorted_countries(lookups.partner_countries_with_counts),
        )
        context.update(
            figures=lookups.figures,
            partner_countries=countries,
            world_map=lookups.in_language("world_map", lambda: render_world_map(countries)),
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context


class PartnerDirectoryView(CanonicalQueryMixin, FilterView):
    """/partners/: browse, filter and search the published partners."""

    filterset_class = OrganizationFilter
    template_name = "partners/directory.html"
    paginate_by = 50
    paginator_class = DirectoryPaginator
    query_parameters = (*OrganizationFilter.Meta.fields, "page")
    strict = False  # A bad parameter is reported and ignored, not an empty page.

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.lookups = DirectoryLookups()

    def get_queryset(self):
        return Organization.objects.published().for_listing()

    def get_filterset_kwargs(self, filterset_class):
        # The SearchPaginator applies a search itself, to the listing's lighter QuerySet
        # (get_paginator): applied in the filters too, it cost a twentieth of a search
        # page for a QuerySet nothing read.
        return {
            **super().get_filterset_kwargs(filterset_class),
            "lookups": self.lookups,
            "apply_search": False,
        }

    page_problem = None

    def get_paginator(self, queryset, per_page, **kwargs):
        """Search results come best first (partners/search/query.py); the rest by country, with
        the directory's lookups (partners/listing/lookups.py)."""
        if self.filterset.search is not None:
            return SearchPaginator(
                self.filterset.search, self.filterset.unsearched, per_page, lookups=self.lookups
            )
        return super().get_paginator(
            queryset,
            per_page,
            lookups=self.lookups,
            counts=self.filterset.listing_counts(self.lookups),
            **kwargs,
        )

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a bad page number is reported and page 1 shown."""
        paginator = self.get_paginator(queryset, page_size)
        page, self.page_problem = page_or_first(paginator, self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        page = context["page_obj"]
        partners = page.object_list if page else context["object_list"]
        search = filterset.search
        if search is not None:  # Best matches first, whatever their country.
            national, multinational = group_in_order(partners), []
        else:
            national, multinational = group_results(partners)
        total = page.paginator.count if page else len(partners)
        countries = page.paginator.country_count if page else 0
        capped = bool(page and page.paginator.capped)
        context.update(
            country_groups=national,
            ranked=search is not None,
            suggestions=self.suggestions(search, total),
            multinational_partners=multinational,
            summary=results_summary(total, countries, capped),
            total=total,
            capped=capped,
            active_filters=[
                (label, value, self.url_without(name))
                for name, label, value in filterset.active_filters()
            ],
            problems=filterset.problems()
            + (
                [("page", _("Page: %(problem)s") % {"problem": self.page_problem})]
                if self.page_problem
                else []
            ),
            page_range=(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
                if page
                else []
            ),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        """A page that reports a bad parameter is served but kept out of shared caches
        (the page cache reads `private`: icma_site/pagecache/): `?page=100001` or
        `?country=Q1` is the first page or the unfiltered list with a message, not a
        page of its own, so varying the bad value must not add cache entries."""
        response = super().render_to_response(context, **response_kwargs)
        if context["problems"]:
            patch_cache_control(response, private=True)
        return response

    def suggestions(self, search, total):
        """ "Did you mean" for a search that finds little. Its query runs for every
        search, so that a search page costs the same queries whatever it finds."""
        if search is None:
            return []
        return search.suggestions(self.filterset.unsearched, shown=total < SUGGEST_BELOW)

    def url_without(self, *names):
        """This page's URL without the given parameters (and back on the first page)."""
        query = self.request.GET.copy()
        for name in (*names, "page"):
            query.pop(name, None)
        return f"?{query.urlencode()}" if query else self.request.path


@method_decorator(cache_control(private=True), name="dispatch")
class PartnerDirectoryPrintView(PartnerDirectoryView):
    """/print/partners/: the whole filtered list on one page, with its filters named and
    the date, for printing. Up to PRINT_LIMIT partners; past that it says the list is
    cut. Private (never in the shared page cache) so that its date is today's. It has no
    pages: a `page` parameter redirects to the address without it."""

    template_name = "partners/directory_print.html"
    paginate_by = PRINT_LIMIT = 2000
    query_parameters = tuple(OrganizationFilter.Meta.fields)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()


class OrganizationDetailView(CanonicalQueryMixin, DetailView):
    """/partners/<slug>/: one partner. Staff who may view entries also see drafts here
    (the admin's "View on site"), under a "Draft: not public" banner; staff pages are
    never cached (icma_site/pagecache/)."""

    template_name = "partners/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        organizations = Organization.objects.all()
        if not self.request.user.has_perm("partners.view_organization"):
            organizations = organizations.published()
        return organizations.select_related("country", "relationship_type").prefetch_related(
            Prefetch("countries_served", Country.objects.order_by("name"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        others = Organization.objects.published().neighbours_of(self.object)
        context["neighbours"] = list(others[:NEIGHBOURS_SHOWN])
        context["neighbour_count"] = others.count()
        context["regions_served"] = search_vocabulary().regions_served(self.object.slug)
        return context


class CountryListView(CanonicalQueryMixin, ListView):
    """/countries/: every country with published partners, by region."""

    template_name = "partners/country_list.html"
    context_object_name = "countries"

    def get_queryset(self):
        return Country.objects.with_partner_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["countries"] = sorted_countries(context["countries"])
        return context


class CountryDetailView(CanonicalQueryMixin, DetailView):
    """/countries/<slug>/: the partners based in a country, a page at a time, and (on the
    first page) the multinational ones serving it."""

    template_name = "partners/country_detail.html"
    context_object_name = "country"
    model = Country
    paginate_by = 50
    query_parameters = ("page",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Organization.objects.published()
        paginator = Paginator(published.based_in(self.object), self.paginate_by)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage:
            raise NotFound(
                _("There is no such page of partners %(in_country)s. Go back to the first page.")
                % {"in_country": in_country(self.object.code, self.object.local_name)}
            ) from None
        multinational = list(self.serving(published)) if page.number == 1 else []
        if not (paginator.count or multinational):
            raise NotFound(_("No published partner is in this country."))
        context.update(
            page_obj=page,
            is_paginated=page.has_other_pages(),
            national_partners=page.object_list,
            multinational_partners=multinational,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        )
        return context

    def serving(self, published):
        """The multinational partners serving this country. With the kept lookups, by
        their relationship types' keys: PostgreSQL then reads them along the
        relationship type's index instead of scanning every organization for the type's
        name (18 ms at 100,000 organizations)."""
        lookups = DirectoryLookups()
        if not lookups.kept:
            return published.serving(self.object)
        return (
            published.filter(relationship_type__in=lookups.multinational_types)
            .in_country(self.object)
            .for_listing()
        )


@method_decorator(never_cache, name="dispatch")
class CorrectionView(View):
    """/partners/<slug>/correction/: a visitor suggests a correction to a published
    partner. It lands in the staff's queue; nothing public changes."""

    template_name = "partners/correction_form.html"

    def get(self, request, slug):
        organization = self.get_organization(slug)
        return self.render(organization, CorrectionForm())

    def post(self, request, slug):
        organization = self.get_organization(slug)
        form = CorrectionForm(request.POST)
        if form.is_robot():
            form.add_error(None, _("This suggestion could not be sent."))
            return self.render(organization, form, status=400)
        if not may_send(request):
            form.add_error(
                None,
                _(
                    "You have sent several suggestions in the last hour, which is as many "
                    "as we accept. Please try again in an hour, or write to ICMA."
                ),
            )
            return self.render(organization, form, status=429)
        if not form.is_valid():
            return self.render(organization, form, status=400)
        form.instance.organization = organization
        form.instance.sender = sender(request)
        form.save()
        return redirect("partners:correction-sent", slug=organization.slug)

    def get_organization(self, slug):
        return get_object_or_404(
            Organization.objects.published().select_related("country"), slug=slug
        )

    def render(self, organization, form, status=200):
        context = {"organization": organization, "form": form}
        return render(self.request, self.template_name, context, status=status)


class CorrectionSentView(DetailView):
    """/partners/<slug>/correction/sent/: thanks, after a suggestion."""

    template_name = "partners/correction_sent.html"
    context_object_name = "organization"

    def get_queryset(self):
        return Organization.objects.published().select_related("country")
