"""ICMA's partner organizations, the countries they are in and the kinds of relationship."""

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse, set_script_prefix
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, gettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partners.countries import other_names_in, translated_names
from partners.relationship_types import BILATERAL, MULTINATIONAL
from partners.text import (
    describe_characters,
    fold,
    searchable,
    split_lines,
    unwanted_characters,
)

ICMA_FOUNDED = 1914


@lru_cache(maxsize=8192)
def _address(view_name, slug, script_prefix, urlconf, language):
    """reverse(view_name, kwargs={"slug": slug}), remembered: a directory page links to
    dozens of partners and countries, the same ones on every request. Remembered per
    language (the address has its prefix, /es/…), script prefix and URL configuration,
    and reversed with those of the key."""
    active_prefix = get_script_prefix()
    set_script_prefix(script_prefix)
    try:
        with translation.override(language):
            return reverse(view_name, kwargs={"slug": slug}, urlconf=urlconf)
    finally:
        set_script_prefix(active_prefix)


def page_address(view_name, slug):
    """The address of the page `view_name` shows for `slug`, in the active language."""
    return _address(view_name, slug, get_script_prefix(), get_urlconf(), get_language())


def is_default_language():
    """Whether the page is in the site's default language (English)."""
    return (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE


def not_in_the_future(year):
    """A "partner since" year cannot be after this one."""
    if year is not None and year > timezone.now().year:
        raise ValidationError(
            "%(year)s is in the future: give the year the relationship began.",
            code="future_year",
            params={"year": year},
        )


def not_a_future_date(day):
    if day is not None and day > timezone.now().date():
        raise ValidationError("This date is in the future.", code="future_date")


def refuse_unwanted_characters(value, what, allow_line_breaks=False):
    unwanted = unwanted_characters(value, allow_line_breaks=allow_line_breaks)
    if unwanted:
        raise ValidationError(
            "%(what)s cannot contain invisible control characters (%(characters)s); "
            "remove them and save again.",
            code="control_characters",
            params={"what": what, "characters": describe_characters(unwanted)},
        )


def plain_name(value):
    """Names are plain text: no control characters (which also break the feed's XML) and
    no bidirectional controls (which can disguise what a name says)."""
    refuse_unwanted_characters(value, "Names")


def plain_text(value):
    """Like plain_name, but line breaks are allowed (descriptions, lists of names)."""
    refuse_unwanted_characters(value, "This text", allow_line_breaks=True)


# A language tag as HTML's `lang` attribute takes it (BCP 47): a language, then an
# optional script and region ("es", "uk", "sr-Latn", "pt-BR").
language_tag = RegexValidator(
    r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$",
    message="Enter a language code such as es, fr, cs or pt-BR (BCP 47).",
)


web_address = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address starting with http:// or https://.",
)


class Region(models.TextChoices):
    """The UN M49 macro-geographical regions."""

    AFRICA = "africa", gettext_lazy("Africa")
    AMERICAS = "americas", gettext_lazy("Americas")
    ASIA = "asia", gettext_lazy("Asia")
    EUROPE = "europe", gettext_lazy("Europe")
    OCEANIA = "oceania", gettext_lazy("Oceania")

    @classmethod
    def from_name(cls, name):
        """The region called `name` in English ("Europe"), or None."""
        for region in cls:
            if region.name.casefold() == (name or "").strip().casefold():
                return region
        return None


REGION_NAMES = dict(Region.choices)  # {value: lazily translated name}


class CountryQuerySet(models.QuerySet):
    def with_published_partners(self):
        """Countries with at least one published partner based in them or (multinational)
        serving them, by name. Two EXISTS probes per country along an index: the cost does
        not grow with the number of organizations."""
        based = Organization.objects.published().filter(country=OuterRef("pk"))
        served = Organization.countries_served.through.objects.filter(
            country=OuterRef("pk"), organization__is_published=True
        )
        return self.filter(Exists(based) | Exists(served)).order_by("name")

    def with_partner_counts(self):
        """with_published_partners(), each annotated `partner_count`: the published
        partners based in it, plus the multinational ones serving it from elsewhere.
        Each count reads only that country's entries of the `published_by_country`
        index, so all of them together read each organization once, not once per
        country."""
        based = (
            Organization.objects.published()
            .filter(country=OuterRef("pk"))
            .order_by()
            .values("country")
            .annotate(count=Count("*"))
            .values("count")
        )
        served = (
            Organization.countries_served.through.objects.filter(
                country=OuterRef("pk"), organization__is_published=True
            )
            .exclude(organization__country=OuterRef("pk"))
            .order_by()
            .values("country")
            .annotate(count=Count("*"))
            .values("count")
        )
        return self.with_published_partners().annotate(
            partner_count=Coalesce(Subquery(based, output_field=IntegerField()), 0)
            + Coalesce(Subquery(served, output_field=IntegerField()), 0)
        )


class CountryManager(models.Manager.from_queryset(CountryQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Country(models.Model):
    code = CountryField("ISO code", unique=True, help_text="ISO 3166-1 alpha-2 code, such as CZ.")
    name = models.CharField(
        max_length=100,
        unique=True,
        validators=[plain_name],
        help_text="The name shown on the site.",
    )
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField(max_length=20, choices=Region.choices, help_text="UN M49 region.")
    other_names = models.TextField(
        blank=True,
        validators=[plain_text],
        help_text="Other names people use for the country, one a line (for example "
        "Swaziland for Eswatini). Search finds the country by these too.",
    )

    objects = CountryManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # One name a line, whatever line endings the admin's textarea sent.
        self.other_names = "\n".join(split_lines(self.other_names))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_address("partners:country-detail", self.slug)

    def get_region_display(self):
        """The region's name in the active language. Django's own get_FOO_display
        searches every choice, made hashable, on each call: six times as long, for a
        name the directory shows for every country on the page."""
        return str(REGION_NAMES.get(self.region, self.region))

    def natural_key(self):
        return (str(self.code),)

    @property
    def local_name(self):
        """The name in the active language: the site's own (editable) name in English,
        the common name in that language in the others ("Tchéquie", "Esuatini":
        partners/countries.py translated_names)."""
        if is_default_language():
            return self.name
        return translated_names(get_language()).get(str(self.code)) or self.name

    @property
    def other_name_list(self):
        """The other names the country's page gives, in the active language: the stored
        ones in English; in the others its names in that language and the stored names
        that are not English (partners/countries.py other_names_in)."""
        language = get_language() or settings.LANGUAGE_CODE
        return other_names_in(str(self.code), language, split_lines(self.other_names))


class RelationshipTypeManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class RelationshipType(models.Model):
    name = models.CharField(max_length=60, unique=True, validators=[plain_name])
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True, validators=[plain_text])

    objects = RelationshipTypeManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def local_name(self):
        """The name in the active language. The known types' names are in the
        translations (partners/sources/document.py marks them); a name staff gave is shown
        as it is."""
        return gettext(self.name) if self.name else ""

    @property
    def local_description(self):
        return gettext(self.description) if self.description else ""


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_country(self, country):
        """Partners in `country`, and the multinational partners that serve it."""
        served = self.filter(countries_served=country).values("pk")
        return self.filter(Q(country=country) | Q(pk__in=served))

    def based_in(self, country):
        """The national (not multinational) partners based in `country`, by name: read
        along the (country, name) index, a page at a time."""
        return (
            self.filter(country=country)
            .exclude(relationship_type__slug=MULTINATIONAL)
            .select_related("country", "relationship_type")
            .order_by("name")
        )

    def serving(self, country):
        """The multinational partners based in or serving `country`, by headquarters."""
        return self.filter(relationship_type__slug=MULTINATIONAL).in_country(country).for_listing()

    def neighbours_of(self, organization):
        """The other partners based in `organization`'s country, by name."""
        return (
            self.filter(country=organization.country_id)
            .exclude(pk=organization.pk)
            .select_related("country", "relationship_type")
            .order_by("name")
        )

    def count_by_country_and_type(self):
        """[(country pk, relationship type pk, partners)]: one grouped count, which on
        published partners reads the `published_by_country` index alone."""
        return list(
            self.order_by()
            .values_list("country", "relationship_type")
            .annotate(partners=Count("*"))
            .order_by()
        )

    def figures(self):
        """Counts for the home page: partners, countries, regions, and by type. Counted
        once by (country, type) and added up here, rather than joined row by row."""
        counts = self.count_by_country_and_type()
        countries = {country for country, _, _ in counts}
        kinds = dict(RelationshipType.objects.values_list("pk", "slug"))
        by_kind = {BILATERAL: 0, MULTINATIONAL: 0}
        for _, kind, partners in counts:
            by_kind[kinds[kind]] = by_kind.get(kinds[kind], 0) + partners
        return {
            "partners": sum(partners for _, _, partners in counts),
            "countries": len(countries),
            "regions": (
                Country.objects.filter(pk__in=countries).values("region").distinct().count()
                if countries
                else 0
            ),
            "bilateral": by_kind[BILATERAL],
            "multinational": by_kind[MULTINATIONAL],
        }

    def for_listing(self):
        """Ordered for the directory: by country, the multinational partners last."""
        return self.select_related("country", "relationship_type").order_by(
            Case(When(relationship_type__slug=MULTINATIONAL, then=1), default=0),
            "country__name",
            "name",
        )


class OrganizationManager(models.Manager.from_queryset(OrganizationQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Organization(models.Model):
    name = models.CharField(max_length=200, validators=[plain_name])
    acronym = models.CharField(max_length=30, blank=True, validators=[plain_name])
    other_name = models.CharField(
        "other name",
        max_length=200,
        blank=True,
        validators=[plain_name],
        help_text="The name in another language, or another name it is known by.",
    )
    native_name = models.CharField(
        "name in its own language",
        max_length=200,
        blank=True,
        validators=[plain_name],
        help_text="The partner's name as it writes it in its own language, where that is "
        "not English (Asociación de Municipios de Honduras).",
    )
    native_name_language = models.CharField(
        "language of that name",
        max_length=12,
        blank=True,
        validators=[language_tag],
        help_text="Its language code (es, fr, cs, uk, …): browsers and screen readers "
        "pronounce the name in that language.",
    )
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Part of the page address; keep it stable."
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="organizations",
        help_text="For a multinational association: the country of its headquarters.",
    )
    relationship_type = models.ForeignKey(
        RelationshipType, on_delete=models.PROTECT, related_name="organizations"
    )
    countries_served = models.ManyToManyField(
        Country,
        blank=True,
        related_name="multinational_organizations",
        help_text="For a multinational association: the countries its members are in.",
    )
    website = models.URLField(blank=True, validators=[web_address])
    description = models.TextField(blank=True, validators=[plain_text])
    partner_since = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(
                ICMA_FOUNDED, message=f"ICMA was founded in {ICMA_FOUNDED}: give a later year."
            ),
            not_in_the_future,
        ],
        help_text="The year the relationship with ICMA began.",
    )
    last_verified = models.DateField(
        null=True,
        blank=True,
        validators=[not_a_future_date],
        help_text="When staff last confirmed these details.",
    )
    is_published = models.BooleanField(
        "published", default=True, help_text="Only published partners appear on the site."
    )
    search_text = models.TextField(
        editable=False, default="", help_text="Folded names for search; kept by save()."
    )
    # Defaults rather than auto_now, so that `loaddata` (a raw save) fills them too.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrganizationManager()
    # Every change, with who made it; the admin's History page restores any version.
    history = HistoricalRecords(
        m2m_fields=[countries_served], excluded_fields=["search_text", "updated_at"]
    )

    class Meta:
        ordering = ["country__name", "name"]
        indexes = [
            # Counts by country and type, and "has this country a published partner?",
            # answered from the index alone (an index-only scan on PostgreSQL).
            models.Index(
                fields=["country", "relationship_type"],
                condition=Q(is_published=True),
                name="published_by_country",
            ),
            # Search results within a rank, by name: a search that finds most of the
            # directory reads its first page along this index (partners/search/query.py).
            # It holds what a search's count reads (its text, its country), so that
            # counting the first matches by name reads the index alone (PostgreSQL;
            # other databases ignore `include`).
            models.Index(
                fields=["name", "id"],
                include=["search_text", "country"],
                condition=Q(is_published=True),
                name="published_by_name",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"], name="unique_organization_name_per_country"
            ),
            models.CheckConstraint(
                condition=Q(partner_since__isnull=True) | Q(partner_since__gte=ICMA_FOUNDED),
                name="partner_since_not_before_icma",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_address("partners:organization-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["partners.country", "partners.relationshiptype"]

    def clean(self):
        """The rules an entry must follow, wherever it comes from: the admin, a CSV
        import, `load_partners` (they all call full_clean()). Each error names its field."""
        errors = {}
        if self.acronym and self.name and len(self.acronym) > len(self.name):
            errors["acronym"] = "An acronym cannot be longer than the name."
        if self.native_name and not self.native_name_language:
            errors["native_name_language"] = "Give the language of the name in its own language."
        if self.native_name_language and not self.native_name:
            errors["native_name"] = "Give the name in that language, or clear the language."
        if self.name and self.country_id:
            duplicates = Organization.objects.filter(
                country_id=self.country_id, name__iexact=self.name
            ).exclude(pk=self.pk)
            if duplicates.exists():
                errors["name"] = (
                    f"{self.country} already has a partner called {self.name!r}. "
                    "Edit that entry instead, or tell the two apart by name."
                )
        if errors:
            raise ValidationError(errors)

    def check_countries_served(self, countries):
        """A multinational association serves some countries; a bilateral one serves
        none. `countries` are the ones about to be saved (the admin form and CSV imports
        call this, since a ManyToMany field is saved after the entry itself)."""
        if self.relationship_type_id is None:
            return
        multinational = self.relationship_type.slug == MULTINATIONAL
        if multinational and not countries:
            raise ValidationError(
                {"countries_served": "A multinational partner needs the countries it serves."}
            )
        if not multinational and countries:
            raise ValidationError(
                {
                    "countries_served": f"A {self.relationship_type.name.lower()} partner "
                    "serves no other countries: leave this empty, or make it multinational."
                }
            )

    @property
    def is_multinational(self):
        return self.relationship_type.slug == MULTINATIONAL

    @property
    def native_name_first(self):
        """Whether the page is in the language of the partner's own name: /es/ calls AMHON
        "Asociación de Municipios de Honduras", with the English rendering beneath."""
        if not self.native_name:  # Most partners: decided without asking the language.
            return False
        language = self.native_name_language.split("-")[0]
        return language == (get_language() or settings.LANGUAGE_CODE)

    @property
    def shown_name(self):
        """The name a page gives the partner first, in the page's language if it has one."""
        return self.native_name if self.native_name_first else self.name

    @property
    def shown_other_name(self):
        """The document's other name, unless it is the native name spelled otherwise
        ("Svenska Kommundirektorsforeningen" beside the Swedish name with its ö)."""
        if self.other_name and fold(self.other_name) != fold(self.native_name):
            return self.other_name
        return ""

    def refresh_search_text(self):
        self.search_text = searchable(self.name, self.acronym, self.other_name, self.native_name)


class ImportRecord(models.Model):
    """What `load_partners` last wrote to one entry, so that it can tell a staff edit
    (the entry differs from what was loaded) from a stale entry (the fixture moved on)."""

    model = models.CharField(max_length=100)
    key = models.CharField(max_length=200)
    values = models.JSONField()
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="unique_import_record"),
        ]

    def __str__(self):
        return f"{self.model} {self.key}"


class CorrectionQuerySet(models.QuerySet):
    def new(self):
        return self.filter(status=Correction.Status.NEW)

    def sent_by(self, sender, since):
        return self.filter(sender=sender, created_at__gte=since)


class Correction(models.Model):
    """A visitor's suggestion to correct a partner's entry. Staff read it and edit the
    entry themselves: nothing here changes the directory."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="corrections"
    )
    what_is_wrong = models.TextField("what is wrong", max_length=2000)
    right_value = models.TextField("the right information", max_length=2000)
    email = models.EmailField(
        "e-mail address", blank=True, help_text="Given by the visitor, for questions."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    staff_note = models.TextField(blank=True, help_text="For staff only.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # A keyed hash of the sender's address (partners/editorial/corrections.py), never the address
    # itself: the form's limit per sender counts these rows, in the database, where no
    # flood of cached pages can evict the count.
    sender = models.CharField(max_length=64, blank=True, editable=False)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="correction_queue"),
            models.Index(fields=["sender", "created_at"], name="correction_sender"),
        ]

    def __str__(self):
        return f"Correction to {self.organization.name} ({self.created_at:%d %b %Y})"
