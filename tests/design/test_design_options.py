"""GET /v1/design-options lists what a design may use; OpenAPI shows the same values as enums; the render
parameter `language` has the design's name, and the old `locale` still works, marked deprecated."""

from __future__ import annotations

from typing import Any

import httpx

from shortlist.context import AppContext
from shortlist.main import create_app
from tests.conftest import Register, assert_problem
from tests.design.helpers import create_resume, unique_resume


async def _options(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/v1/design-options")  # public: no credentials
    assert response.status_code == 200, response.text
    assert "public" in response.headers["cache-control"]
    body: dict[str, Any] = response.json()
    return body


async def test_every_listed_value_is_accepted_and_others_refused(
    client: httpx.AsyncClient, register: Register
) -> None:
    options = await _options(client)
    assert {"inter", "lato", "noto-sans-cjk"} <= {f["slug"] for f in options["fonts"]}
    assert {"teal", "navy"} <= {c["name"] for c in options["colors"]}
    assert {lang["code"] for lang in options["languages"]} >= {"en", "de", "ja", "zh"}
    assert options["page_sizes"] == ["a4", "letter"]
    assert {"id": "month_year", "example": "Mar 2024"} in options["date_formats"]
    assert options["base_size"] == {"min": 8.0, "max": 13.0}
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/design"

    def design(**values: Any) -> dict[str, Any]:
        return {"template": "classic", **values}

    accepted = [design(font=f["slug"]) for f in options["fonts"]]
    accepted += [design(color=c["name"]) for c in options["colors"]] + [design(color="#123abc")]
    accepted += [design(language=lang["code"]) for lang in options["languages"]]
    accepted += [design(page_size=size) for size in options["page_sizes"]]
    accepted += [design(date_format=style["id"]) for style in options["date_formats"]]
    accepted += [design(template=slug) for slug in options["templates"]]
    for body in accepted:
        response = await client.put(url, json=body, headers=headers)
        assert response.status_code == 200, (body, response.text)
    for body in (
        design(font="comic-sans"),
        design(color="mauve"),
        design(language="xx"),
        design(page_size="a3"),
        design(date_format="roman"),
        design(base_size=options["base_size"]["max"] + 1),
    ):
        assert_problem(await client.put(url, json=body, headers=headers), 422, "validation-error")


async def test_openapi_enums_match_the_options(client: httpx.AsyncClient) -> None:
    options = await _options(client)
    spec = (await client.get("/openapi.json")).json()
    design = spec["components"]["schemas"]["Design-Input"]["properties"]

    def enum_of(schema: dict[str, Any]) -> list[str]:
        if "enum" in schema:
            return list(schema["enum"])
        return [value for part in schema.get("anyOf", []) for value in enum_of(part)]

    assert enum_of(design["font"]) == [f["slug"] for f in options["fonts"]]
    assert enum_of(design["color"]) == [c["name"] for c in options["colors"]]
    assert enum_of(design["language"]) == [lang["code"] for lang in options["languages"]]
    assert enum_of(design["page_size"]) == options["page_sizes"]
    assert enum_of(design["date_format"]) == [style["id"] for style in options["date_formats"]]
    render = spec["paths"]["/v1/resumes/{resume_id}/render"]["get"]["parameters"]
    params = {p["name"]: p for p in render}
    assert enum_of(params["language"]["schema"]) == [lang["code"] for lang in options["languages"]]
    assert enum_of(params["font"]["schema"]) == [f["slug"] for f in options["fonts"]]
    assert params["locale"]["deprecated"] is True and not params["language"].get("deprecated")
    assert "/v1/design-options" in spec["paths"]


async def test_locale_is_a_deprecated_alias_of_language(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/render"
    current = await client.get(url, params={"format": "html", "language": "de"}, headers=headers)
    old = await client.get(url, params={"format": "html", "locale": "de"}, headers=headers)
    assert current.status_code == old.status_code == 200
    assert old.headers["etag"] == current.headers["etag"]  # the very same render
    assert "Berufserfahrung" in old.text
    assert old.headers["deprecation"].startswith("@") and "deprecation" not in current.headers


async def test_browsers_may_read_the_deprecation_header(app_context: AppContext) -> None:
    settings = app_context.settings.model_copy(update={"cors_origins": ["https://app.example"]})
    app = create_app(settings, context=app_context)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.8", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/v1/design-options", headers={"Origin": "https://app.example"})
    exposed = {name.strip().lower() for name in response.headers["access-control-expose-headers"].split(",")}
    assert "deprecation" in exposed
