"""/api/openapi.json against the real responses: schemathesis generates requests from the
description served by the live test server, sends them to it, and checks every response
(status, content type, JSON schema, no server error) against the description."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from partners.opendata.exports import FIELDS
from partners.opendata.openapi import PARTNER_PROPERTIES

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.database_independent  # the description and the answers, on either database
def test_responses_match_the_description(site, tmp_path):
    """Every check schemathesis has for responses, on generated and edge-case requests
    (`--mode all`: including invalid ones, which must be answered, not crash). The
    requests only read: the live server the browser tests share serves them."""
    result = subprocess.run(
        [
            SCHEMATHESIS,
            "run",
            f"{site}/api/openapi.json",
            "--checks=all",
            "--workers=1",
            "--max-examples=40",
            "--seed=11",
            "--request-timeout=30",
            "--no-color",
            f"--report-dir={tmp_path}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # schemathesis keeps a cache in the working directory
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_description_lists_the_export_fields_in_order():
    assert list(PARTNER_PROPERTIES) == FIELDS


@pytest.mark.django_db
def test_description_is_openapi_3_1_and_open_to_any_origin(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    description = json.loads(response.content)
    assert description["openapi"] == "3.1.0"
    assert description["servers"] == [{"url": "http://testserver"}]
    assert set(description["paths"]) == {
        "/partners.json",
        "/partners/{slug}.json",
        "/countries/{slug}.json",
    }


@pytest.mark.django_db
def test_partner_and_country_json(client, directory):
    partner = client.get("/partners/city-managers-association-of-karnataka.json")
    assert partner.status_code == 200
    assert partner["Access-Control-Allow-Origin"] == "*"
    data = json.loads(partner.content)
    assert list(data) == [*FIELDS, "description"]
    assert data["country_code"] == "IN"
    country = json.loads(client.get("/countries/india.json").content)
    assert country["code"] == "IN"
    assert len(country["partners"]) == 4
    missing = client.get("/partners/no-such-partner.json")
    assert missing.status_code == 404
    assert json.loads(missing.content) == {
        "error": "There is no published partner with that address."
    }
    assert client.get("/countries/atlantis.json").status_code == 404
