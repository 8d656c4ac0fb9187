"""The kinds of relationship ICMA has with an association: their slugs, which the code
relies on, and their names and descriptions, which the fixtures give the database."""

from django.utils.translation import gettext_noop

BILATERAL = "bilateral"
MULTINATIONAL = "multinational"

# The relationship types the document knows, as (slug, name, description). Stored in
# English; marked for translation (gettext_noop leaves them as they are here) so that
# RelationshipType.local_name and local_description find them in the catalogues.
RELATIONSHIP_TYPES = (
    (
        BILATERAL,
        gettext_noop("Bilateral"),
        gettext_noop(
            "A relationship with an association of local governments or their managers in "
            "one country."
        ),
    ),
    (
        MULTINATIONAL,
        gettext_noop("Multinational"),
        gettext_noop("A relationship with an association whose members span several countries."),
    ),
)
