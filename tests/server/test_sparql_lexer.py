"""server.sparql_lexer.data_graphs agrees with the full parse (cwkg.union_graph.graphs_written) where it answers."""

from __future__ import annotations

import pytest

from cwkg.server.sparql_lexer import data_graphs
from cwkg.union_graph import graphs_written

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize(
    "update",
    [
        'INSERT DATA { GRAPH <http://g.example/> { <http://a.example/s> <http://a.example/p> "}" } }',
        "INSERT DATA { <http://a.example/s> <http://a.example/p> 1 }",
        'PREFIX e: <http://e.example/> DELETE DATA { e:s e:p "x" . GRAPH <http://g.example/> { e:s e:p 2 } }',
        "INSERT DATA { GRAPH <http://g.example/> { <http://a.example/s> <http://a.example/p> 1 } } ;\n"
        "DELETE DATA { GRAPH <http://h.example/> { <http://a.example/s> <http://a.example/p> 1 } }",
        'INSERT DATA { GRAPH <http://g.example/> { <http://a.example/s> <http://a.example/p> "#{" } } # }',
        "INSERT DATA { }",
    ],
)
def test_data_graphs_agree_with_the_parse(update: str) -> None:
    assert data_graphs(update) == graphs_written(update)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        "PREFIX e: <http://e.example/> INSERT DATA { GRAPH e:g { e:s e:p 1 } }",
        "INSERT DATA { GRAPH <http://g.example/> { <http://a.example/s> <http://a.example/p> 1 } } ; DROP ALL",
        "LOAD <http://a.example/x>",
    ],
)
def test_anything_else_is_left_to_the_parse(update: str) -> None:
    assert data_graphs(update) is None
