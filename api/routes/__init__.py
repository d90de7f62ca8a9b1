"""The web service's routes, one module per resource; :mod:`api.main` includes their routers.

- JSON resources (:mod:`.organisations`, :mod:`.people`, :mod:`.initiatives`,
  :mod:`.awards`, :mod:`.regions`, :mod:`.sources`; their routes built by
  :mod:`.resource_routes`, shared parameters in :mod:`.resource_params`) and their
  JSON-LD context (:mod:`.jsonld_context`);
- network analytics (:mod:`.metrics`) and maps (:mod:`.maps`);
- SPARQL: the protocol endpoint (:mod:`.sparql`, with :mod:`.service_description`),
  the Graph Store Protocol (:mod:`.graph_store`), both reading requests with
  :mod:`.sparql_protocol`, and the query page (:mod:`.query_page`);
- pages: the landing page (:mod:`.home`) and the offline API docs (:mod:`.docs`).
"""
