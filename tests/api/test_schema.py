"""/api/v1/schema/: a valid OpenAPI 3 description naming every endpoint."""

from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

from tests.base import NewsroomTestCase

# Routes that are not endpoints of the description: the description itself,
# and ninja's own name for the index's address.
NOT_DESCRIBED = {"schema", "api-root"}


def api_routes() -> set[str]:
    """Every route of the API's URL conf, as OpenAPI writes its path."""
    [api] = [
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == "api"
    ]
    prefix = "/" + str(api.pattern)
    return {
        prefix + str(route.pattern).replace("<ref>", "{ref}")
        for route in api.url_patterns
        if isinstance(route, URLPattern) and route.name not in NOT_DESCRIBED
    }


class SchemaTests(NewsroomTestCase):
    def test_it_is_a_valid_openapi_3_description_of_every_endpoint(self):
        response = self.client.get("/api/v1/schema/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        schema = response.json()
        self.assertTrue(schema["openapi"].startswith("3."))
        validate(schema)  # raises on any departure from the specification
        self.assertEqual(set(schema["paths"]), api_routes())
        self.assertGreaterEqual(
            set(schema["paths"]),
            {
                "/api/v1/articles/",
                "/api/v1/articles/{ref}/",
                "/api/v1/sections/",
                "/api/v1/tags/",
                "/api/v1/contributors/",
                "/api/v1/contributors/{ref}/",
                "/api/v1/print-issues/",
                "/api/v1/print-issues/{ref}/",
            },
        )
        for path, operations in schema["paths"].items():
            self.assertEqual(set(operations), {"get"}, path)

    def test_the_article_list_documents_its_filters_and_errors(self):
        operation = self.client.get("/api/v1/schema/").json()["paths"][
            "/api/v1/articles/"
        ]["get"]
        parameters = {p["name"]: p for p in operation["parameters"]}
        self.assertEqual(
            set(parameters),
            {"section", "tag", "contributor", "from", "to", "q", "cursor", "page_size"},
        )
        self.assertEqual(parameters["page_size"]["schema"]["maximum"], 100)
        self.assertIn(
            {"type": "string", "format": "date"}, parameters["from"]["schema"]["anyOf"]
        )
        self.assertEqual(set(operation["responses"]), {"200", "400"})

    def test_the_print_issue_list_documents_its_filters_and_errors(self):
        paths = self.client.get("/api/v1/schema/").json()["paths"]
        operation = paths["/api/v1/print-issues/"]["get"]
        parameters = {p["name"] for p in operation["parameters"]}
        self.assertEqual(parameters, {"from", "to", "cursor", "page_size"})
        self.assertEqual(set(operation["responses"]), {"200", "400"})
        detail = paths["/api/v1/print-issues/{ref}/"]["get"]
        self.assertEqual(set(detail["responses"]), {"200", "404"})

    def test_the_index_links_every_list_and_the_description(self):
        index = self.client.get("/api/v1/").json()
        for url in index.values():
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertEqual(index["openapi"], "http://testserver/api/v1/schema/")
