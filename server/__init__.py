"""The cwkg HTTP service: SPARQL 1.1 Protocol, Graph Store Protocol and descriptions over the on-disk store."""
