from django.db.models import Prefetch
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from .filters import MAX_QUERY_LENGTH, OrganizationFilter
from .grouping import group_results, plural
from .models import Country, Organization
from .pagination import page_or_first


class HomeView(TemplateView):
    """/: what the directory is, its figures, the world map and ways in."""

    template_name = "partners/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        countries = list(Country.objects.with_published_partners())
        context.update(
            figures=Organization.objects.published().figures(),
            partner_countries=countries,
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context


class PartnerDirectoryView(FilterView):
    """/partners/: browse, filter and search the published partners."""

    filterset_class = OrganizationFilter
    template_name = "partners/directory.html"
    paginate_by = 50
    strict = False  # A bad parameter is reported and ignored, not an empty page.

    def get_queryset(self):
        return Organization.objects.published().for_listing()

    page_problem = None

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
        national, multinational = group_results(partners)
        total = page.paginator.count if page else len(partners)
        countries = self.object_list.values("country").distinct().count() if total else 0
        context.update(
            country_groups=national,
            multinational_partners=multinational,
            summary=f"{plural(total, 'partner')} in {plural(countries, 'country', 'countries')}",
            total=total,
            active_filters=[
                (label, value, self.url_without(name))
                for name, label, value in filterset.active_filters()
            ],
            problems=filterset.problems()
            + ([("page", f"Page: {self.page_problem}")] if self.page_problem else []),
            page_range=(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
                if page
                else []
            ),
        )
        return context

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
    cut. Private (never in the shared page cache) so that its date is today's."""

    template_name = "partners/directory_print.html"
    paginate_by = PRINT_LIMIT = 2000

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()


class OrganizationDetailView(DetailView):
    """/partners/<slug>/: one partner."""

    template_name = "partners/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return (
            Organization.objects.published()
            .select_related("country", "relationship_type")
            .prefetch_related(Prefetch("countries_served", Country.objects.order_by("name")))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["neighbours"] = (
            Organization.objects.published()
            .filter(country=self.object.country)
            .exclude(pk=self.object.pk)
            .for_listing()
        )
        return context


class CountryListView(ListView):
    """/countries/: every country with published partners, by region."""

    template_name = "partners/country_list.html"
    context_object_name = "countries"

    def get_queryset(self):
        return Country.objects.with_published_partners().order_by("region", "name")


class CountryDetailView(DetailView):
    """/countries/<slug>/: the partners in a country, and the multinational ones serving it."""

    template_name = "partners/country_detail.html"
    context_object_name = "country"
    model = Country

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners = Organization.objects.published().in_country(self.object).for_listing()
        national, multinational = group_results(partners)
        if not (national or multinational):
            raise Http404("No published partner is in this country.")
        context["national_partners"] = [p for group in national for p in group.partners]
        context["multinational_partners"] = multinational
        return context
