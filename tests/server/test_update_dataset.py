"""The Protocol's update dataset as USING clauses, as a table."""

from __future__ import annotations

import pytest

from cwkg.server.errors import ProtocolError
from cwkg.server.update_dataset import with_using

G = "http://e/g"


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        ("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "INSERT { ?s ?p 1 } USING <http://e/g> WHERE { ?s ?p ?o }"),
        (
            "DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } WHERE { ?s ?p ?o }",
            "DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } USING <http://e/g> WHERE { ?s ?p ?o }",
        ),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE { ?s ?p ?o }"),
        (
            'INSERT { ?s ?p "} WHERE {" } WHERE { ?s ?p ?o FILTER(?o < 3) }',
            'INSERT { ?s ?p "} WHERE {" } USING <http://e/g> WHERE { ?s ?p ?o FILTER(?o < 3) }',
        ),
        (
            "# WHERE in a comment\nINSERT { ?s <http://e/p#where> 1 } WHERE { ?s ?p ?o }",
            "# WHERE in a comment\nINSERT { ?s <http://e/p#where> 1 } USING <http://e/g> WHERE { ?s ?p ?o }",
        ),
        (
            "INSERT DATA { <http://e/a> <http://e/p> 1 } ; INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
            "INSERT DATA { <http://e/a> <http://e/p> 1 } ; INSERT { ?s ?p 1 } USING <http://e/g> WHERE { ?s ?p ?o }",
        ),
    ],
)
def test_using_goes_before_each_where(update: str, expected: str) -> None:
    assert with_using(update, [G], []) == expected


def test_named_graphs_become_using_named() -> None:
    assert "USING <http://e/a> USING NAMED <http://e/b> WHERE" in with_using(
        "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", ["http://e/a"], ["http://e/b"]
    )


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://e/x> INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p 1 } USING <http://e/x> WHERE { ?s ?p ?o }",
    ],
)
def test_an_update_with_its_own_dataset_is_refused(update: str) -> None:
    with pytest.raises(ProtocolError, match="allows one or the other"):
        with_using(update, [G], [])


def test_no_parameters_change_nothing() -> None:
    text = "WITH <http://e/x> INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"
    assert with_using(text, [], []) == text
