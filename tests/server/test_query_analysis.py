"""cwkg.server.query_analysis as a table: SERVICE and LOAD found as Oxigraph reads the text, however written."""

from __future__ import annotations

import pytest

from cwkg.errors import QueryRefused, QuerySyntaxError
from cwkg.server.errors import ProtocolError
from cwkg.server.query_analysis import _screen, analyse_query, analyse_update, explain_update_error
from cwkg.store import OxigraphStore

ALLOW = ("allowed.example",)

REFUSED_QUERIES = [
    "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://evil.example/sparql> { ?s ?p ?o } }",
    "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
    "BASE <http://evil.example/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?x { <http://allowed.example/> } SERVICE ?x { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <http://evil\\u002Eexample/sparql> { ?s ?p ?o } }",
    "select * where { service <http://evil.example/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE {\n# a comment }\nSERVICE <http://evil.example/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { { SELECT * { SERVICE <http://evil.example/> { ?a ?b ?c } } } } }",
    "ASK { FILTER EXISTS { SERVICE <http://evil.example/> { ?s ?p ?o } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <ftp://allowed.example/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <http://allowed.example.evil.example/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <http://user@evil.example/> { ?s ?p ?o } }",
    # Oxigraph reads keywords without a word boundary, and `<` after an operand as less-than
    "PREFIX : <http://evil.example/> SELECT * WHERE { service:x { ?s ?p ?o } }",
    "PREFIX : <http://evil.example/> SELECT * WHERE { ?s ?p ?o.SERVICE:x{ ?a ?b ?c } }",
    "PREFIX : <http://evil.example/> SELECT * WHERE { ?s ?p trueSERVICE:x{ ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?a FILTER(?a<'>') SERVICE <http://evil.example/> { ?s ?p ?o } } #'",
    "SELECT * WHERE { ?s ?p ?a FILTER(?a<'#>'''\nSERVICE <http://evil.example/> { ?s ?p ?o } } #'''",
    # `\u005C` ends a string for Oxigraph (an escaped backslash), but not where escapes apply first
    'SELECT * WHERE { ?s ?p "x\\u005C" . SERVICE <http://evil.example/> { ?s ?p ?o } ?s ?p " } #" }',
]

ALLOWED_QUERIES = [
    "SELECT * WHERE { ?s ?p ?o }",
    "# SERVICE <http://evil.example/sparql> { }\nSELECT * WHERE { ?s ?p ?o }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://evil.example/sparql> { }" }',
    "SELECT * WHERE { ?s <http://evil.example/SERVICE> ?o }",
    "SELECT * WHERE { SERVICE <http://allowed.example/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <https://ALLOWED.example:8443/sparql> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", REFUSED_QUERIES)
def test_service_refused(query: str) -> None:
    with pytest.raises(QueryRefused):
        analyse_query(query, ALLOW)


@pytest.mark.parametrize("query", ALLOWED_QUERIES)
def test_allowed(query: str) -> None:
    assert analyse_query(query, ALLOW).form == "SELECT"


def test_variable_service_refused_even_with_everything_allowed() -> None:
    with pytest.raises(QueryRefused, match="variable"):
        analyse_query("SELECT * { SERVICE ?x { ?s ?p ?o } }", ("allowed.example", "evil.example"))


@pytest.mark.parametrize(
    ("query", "form", "has_dataset"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT", False),
        ("ASK { ?s ?p ?o }", "ASK", False),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
        ("DESCRIBE <http://x.example/>", "DESCRIBE", False),
        ("SELECT * FROM <http://g.example/> { ?s ?p ?o }", "SELECT", True),
        ("SELECT * FROM NAMED <http://g.example/> { GRAPH ?g { ?s ?p ?o } }", "SELECT", True),
    ],
)
def test_form_and_dataset(query: str, form: str, has_dataset: bool) -> None:
    info = analyse_query(query)
    assert (info.form, info.has_dataset) == (form, has_dataset)


def test_syntax_error_names_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError, match=r"line 2, column \d+"):
        analyse_query("SELECT *\nWHERE { ?s ?p ?o . FILTER( }")


def test_update_sent_as_query() -> None:
    with pytest.raises(ProtocolError, match="update"):
        analyse_query("INSERT DATA { <http://a.example/> <http://b.example/> 1 }")


REFUSED_UPDATES = [
    "LOAD <http://evil.example/data.ttl>",
    "LOAD SILENT <http://evil.example/data.ttl> INTO GRAPH <http://g.example/>",
    "LOAD <file:///etc/passwd>",
    "PREFIX e: <http://evil.example/> LOAD e:data",
    "PREFIX e: <http://allowed.example/> INSERT DATA { <http://a.example/> <http://b.example/> 1 } ;\n"
    "PREFIX e: <http://evil.example/> LOAD e:data",
    "INSERT DATA { <http://a.example/> <http://b.example/> 1 } ; LOAD <http://evil.example/x>",
    "\\u004cOAD <http://evil.example/x>",
    'INSERT DATA { <a:b> <a:c> "x\\u005C" } ; LOAD <http://evil.example/> ; INSERT DATA { <a:b> <a:c> " } #" }',
    "PREFIX : <http://evil.example/> LOADSILENT:x",
    "PREFIX : <http://evil.example/> load:x",
    "DELETE { ?s ?p ?o } WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } }",
    "INSERT { ?s ?p ?o } WHERE { SERVICE ?x { ?s ?p ?o } }",
]


@pytest.mark.parametrize("update", REFUSED_UPDATES)
def test_load_refused(update: str) -> None:
    with pytest.raises(QueryRefused):
        analyse_update(update, ALLOW)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://a.example/> <http://b.example/> 1 }",
        "# LOAD <http://evil.example/>\nDELETE WHERE { ?s <http://b.example/> ?o }",
        "LOAD <http://allowed.example/data.ttl>",
        'INSERT DATA { <http://a.example/> <http://b.example/> "LOAD <http://evil.example/>" }',
    ],
)
def test_update_allowed(update: str) -> None:
    analyse_update(update, ALLOW)


def test_query_sent_as_update() -> None:
    analyse_update("SELECT * { ?s ?p ?o }")  # the syntax is Oxigraph's; its error is then explained
    error = explain_update_error("SELECT * { ?s ?p ?o }", QuerySyntaxError("error at 1:1"))
    assert isinstance(error, ProtocolError) and "query operation" in str(error)


def test_update_syntax_error_is_the_stores() -> None:
    text = "INSERT DATA { <http://a.example/> "
    with pytest.raises(QuerySyntaxError) as raised:
        OxigraphStore().update(text)
    assert explain_update_error(text, raised.value) is raised.value  # described by the store already


def test_names_that_only_look_like_keywords_are_allowed() -> None:
    analyse_update(
        "PREFIX s: <http://schema.example/> INSERT DATA { <http://a.example/> s:serviceType s:download }"
    )
    analyse_query("SELECT ?service ?loaded { ?service <http://p.example/> ?loaded . FILTER(?loaded < 3) }")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p 'a \\' quote' }",
        "INSERT DATA { <http://a.example/> <http://b.example/> 1 }",
        "SELECT * WHERE { ?s ?p 'unterminated }",
    ],
)
def test_screen_leaves_doubtful_queries_to_the_parser(query: str) -> None:
    assert _screen(query) is None


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",
        "PREFIX cw: <https://w3id.org/cwkg/ontology#> SELECT ?from { ?s cw:fromRole ?from } # FROM in a comment",
        "SELECT * { ?s ?p 'FROM' . FILTER(?o < 3 && ?o <= 4) }",
        "SELECT * FROM <http://g.example/> { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://g.example/> { GRAPH ?g { ?s ?p ?o } }",
        "ASK { ?s ?p '''a\nlong ' string''' }",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "DESCRIBE <http://x.example/from>",
    ],
)
def test_screen_agrees_with_the_parser(query: str) -> None:
    assert _screen(query) == analyse_query(query)
