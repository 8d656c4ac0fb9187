"""The OpenAPI 3.1 description of the directory's JSON: the filtered export, one partner,
one country. Served at /api/openapi.json; tests/test_openapi.py checks it against the
real responses with schemathesis."""

from partners.models import Region
from partners.opendata.exports import FIELDS

SLUG = {
    "type": "string",
    "pattern": "^[-a-zA-Z0-9_]+$",
    "examples": ["city-managers-association-of-karnataka"],
}
NULLABLE_TEXT = {"type": ["string", "null"]}

PARTNER_PROPERTIES = {
    "slug": {"type": "string", "description": "Part of the page address; stable."},
    "name": {"type": "string"},
    "acronym": NULLABLE_TEXT,
    "other_name": {**NULLABLE_TEXT, "description": "The name in another language."},
    "country_code": {
        "type": "string",
        "pattern": "^[A-Z]{2}$",
        "description": "ISO 3166-1 alpha-2 code of the country (for a multinational "
        "partner, of its headquarters).",
    },
    "country_name": {"type": "string"},
    "region": {"type": "string", "enum": [region.label for region in Region]},
    "relationship_type": {"type": "string", "examples": ["Bilateral", "Multinational"]},
    "countries_served": {
        "type": "array",
        "items": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "description": "ISO codes of the countries a multinational partner serves; empty "
        "for the others.",
    },
    "website": {"type": ["string", "null"], "format": "uri"},
    "partner_since": {"type": ["integer", "null"], "minimum": 1914},
    "last_verified": {"type": ["string", "null"], "format": "date"},
    "url": {"type": "string", "format": "uri", "description": "The partner's page."},
    "native_name": {
        **NULLABLE_TEXT,
        "description": "The partner's name in its own language, where that is not English.",
    },
    "native_name_language": {
        **NULLABLE_TEXT,
        "description": "The BCP 47 language code of native_name.",
        "examples": ["es", "cs", "uk"],
    },
}

FILTER_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "description": "Search text: every word must appear in the name, acronym, other "
        "name or country's names, ignoring case and accents.",
        "schema": {"type": "string"},
        "examples": {"search": {"value": "city managers"}},
    },
    {
        "name": "country",
        "in": "query",
        "description": "ISO code of a partner country, any case: its partners and the "
        "multinational partners serving it.",
        "schema": {"type": "string"},
        "examples": {"india": {"value": "IN"}},
    },
    {
        "name": "region",
        "in": "query",
        "description": "One of " + ", ".join(region.value for region in Region) + ".",
        "schema": {"type": "string"},
        "examples": {"europe": {"value": "europe"}},
    },
    {
        "name": "type",
        "in": "query",
        "description": "Relationship type: bilateral or multinational.",
        "schema": {"type": "string"},
        "examples": {"bilateral": {"value": "bilateral"}},
    },
]


def json_content(schema):
    return {"content": {"application/json": {"schema": schema}}}


def not_found(description):
    return {"description": description, **json_content({"$ref": "#/components/schemas/Error"})}


def description(server):
    """The OpenAPI document, for the site served at `server` (scheme and host)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ICMA International partner directory",
            "version": "1.0.0",
            "description": "ICMA International's partner local-government associations "
            "as open data. Bad filter parameters are not applied and are reported in "
            "`problems`; they never make the request fail. Also available as CSV at "
            "/partners.csv with the same parameters.",
        },
        "servers": [{"url": server}],
        "paths": {
            "/partners.json": {
                "get": {
                    "operationId": "listPartners",
                    "summary": "The partners the directory shows for these filters, all of "
                    "them, in the directory's order",
                    "parameters": FILTER_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "The matching partners.",
                            **json_content({"$ref": "#/components/schemas/PartnerList"}),
                        }
                    },
                }
            },
            "/partners/{slug}.json": {
                "get": {
                    "operationId": "getPartner",
                    "summary": "One partner",
                    "parameters": [
                        {"name": "slug", "in": "path", "required": True, "schema": SLUG}
                    ],
                    "responses": {
                        "200": {
                            "description": "The partner.",
                            **json_content({"$ref": "#/components/schemas/PartnerDetail"}),
                        },
                        "404": not_found("No published partner has this slug."),
                    },
                }
            },
            "/countries/{slug}.json": {
                "get": {
                    "operationId": "getCountry",
                    "summary": "One country, its partners and the multinational partners "
                    "serving it",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {**SLUG, "examples": ["india"]},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The country.",
                            **json_content({"$ref": "#/components/schemas/Country"}),
                        },
                        "404": not_found("No country with published partners has this slug."),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Partner": {
                    "type": "object",
                    "properties": PARTNER_PROPERTIES,
                    "required": FIELDS,
                    "additionalProperties": False,
                },
                "PartnerDetail": {
                    "type": "object",
                    "properties": {**PARTNER_PROPERTIES, "description": NULLABLE_TEXT},
                    "required": [*FIELDS, "description"],
                    "additionalProperties": False,
                },
                "PartnerList": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer", "minimum": 0},
                        "filters": {
                            "type": "object",
                            "description": "The filters applied, as the directory's URL "
                            "spells them.",
                            "properties": {
                                name: {"type": "string"}
                                for name in ("q", "country", "region", "type")
                            },
                            "additionalProperties": False,
                        },
                        "problems": {
                            "type": "array",
                            "description": "Parameters that could not be applied.",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "parameter": {"type": "string"},
                                    "message": {"type": "string"},
                                },
                                "required": ["parameter", "message"],
                                "additionalProperties": False,
                            },
                        },
                        "last_modified": {
                            "type": ["string", "null"],
                            "format": "date-time",
                            "description": "The latest change to any listed partner.",
                        },
                        "partners": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Partner"},
                        },
                    },
                    "required": ["count", "filters", "problems", "last_modified", "partners"],
                    "additionalProperties": False,
                },
                "Country": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string", "pattern": "^[A-Z]{2}$"},
                        "name": {"type": "string"},
                        "slug": {"type": "string"},
                        "region": {"type": "string", "enum": [r.label for r in Region]},
                        "other_names": {"type": "array", "items": {"type": "string"}},
                        "url": {"type": "string", "format": "uri"},
                        "partners": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Partner"},
                        },
                        "multinational_partners": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Partner"},
                        },
                    },
                    "required": [
                        "code",
                        "name",
                        "slug",
                        "region",
                        "other_names",
                        "url",
                        "partners",
                        "multinational_partners",
                    ],
                    "additionalProperties": False,
                },
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}},
                    "required": ["error"],
                    "additionalProperties": False,
                },
            }
        },
    }
