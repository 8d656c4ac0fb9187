"""Search text holds an organization's own names, word by word, each part between " | "
marks (partners.text.searchable): search finds whole parts, whole words and the start of
words with LIKE, and finds countries by their names in partners/search/query.py rather than in
every organization's copy of them. And an index of published partners by name, for
search results within a rank."""

import unicodedata

from django.db import migrations, models

BATCH = 2000


def words(text):
    # partners.text.words, as it was when this migration was written.
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = " ".join(stripped.casefold().split())
    return "".join(char if char.isalnum() else " " for char in folded).split()


def searchable(*parts):
    kept = [" ".join(words(part)) for part in parts if part]
    kept = [part for part in kept if part]
    return f" | {' | '.join(kept)} | " if kept else ""


def refresh_search_text(apps, schema_editor):
    Organization = apps.get_model("partners", "Organization")
    batch = []
    for organization in Organization.objects.only("name", "acronym", "other_name").iterator(
        chunk_size=BATCH
    ):
        organization.search_text = searchable(
            organization.name, organization.acronym, organization.other_name
        )
        batch.append(organization)
        if len(batch) == BATCH:
            Organization.objects.bulk_update(batch, ["search_text"])
            batch = []
    Organization.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("partners", "0007_history_of_existing_entries")]

    operations = [
        migrations.RunPython(refresh_search_text, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                condition=models.Q(("is_published", True)),
                fields=["name", "id"],
                name="published_by_name",
            ),
        ),
    ]
