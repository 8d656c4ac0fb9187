"""Arrange a page of directory results the way people scan them."""

from dataclasses import dataclass, field


@dataclass
class CountryGroup:
    country: object
    partners: list = field(default_factory=list)


def group_results(partners):
    """Split partners (ordered by country, multinational ones last) into
    ([CountryGroup, …] for the national partners, [multinational partners])."""
    groups, multinational = [], []
    for partner in partners:
        if partner.is_multinational:
            multinational.append(partner)
        elif groups and groups[-1].country.pk == partner.country_id:
            groups[-1].partners.append(partner)
        else:
            groups.append(CountryGroup(partner.country, [partner]))
    return groups, multinational


def group_in_order(partners):
    """[CountryGroup, …] of consecutive partners in one country, keeping their order
    (search results, best first)."""
    groups = []
    for partner in partners:
        if groups and groups[-1].country.pk == partner.country_id:
            groups[-1].partners.append(partner)
        else:
            groups.append(CountryGroup(partner.country, [partner]))
    return groups
