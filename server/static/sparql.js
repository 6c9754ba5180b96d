// The query page: YASGUI over this server's endpoint, the canned queries as examples, downloads per format.
(function () {
  var config = JSON.parse(document.getElementById("sparql-config").textContent);
  var endpoint = new URL("sparql", document.baseURI.replace(/sparql.*$/, "")).href;
  // only autocompleters that need no other host (no LOV, no prefix.cc)
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  showLabelsAndPlainNumbers(Yasgui.Yasr.plugins.table, endpoint);
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    persistenceId: null,
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    requestConfig: { endpoint: endpoint, method: "POST",
                     acceptHeaderGraph: "text/turtle", acceptHeaderSelect: "application/sparql-results+json" },
    yasqe: { value: config.start, resizeable: true, editorHeight: "320px" },
    yasr: { prefixes: config.prefixes, defaultPlugin: "table" }
  });
  window.cwkgYasgui = yasgui;
  nameTheEditor(document.getElementById("yasgui"));
  yasgui.on("tabChange", function () { nameTheEditor(document.getElementById("yasgui")); });
  document.getElementById("examples").addEventListener("change", function (ev) {
    if (ev.target.value === "") return;
    var example = config.examples[Number(ev.target.value)];
    var tab = yasgui.getTab();
    tab.setQuery(example.query);
    tab.getYasqe().query();
  });
  document.querySelectorAll("#downloads a[data-format]").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      var query = yasgui.getTab().getQuery();
      var url = endpoint + "?query=" + encodeURIComponent(query) + "&format=" + a.dataset.format;
      window.location.href = url;
    });
  });

  // The results table: an IRI shows the graph's label beside it, a number shows as a number.
  function showLabelsAndPlainNumbers(Table, endpoint) {
    var labels = {};
    var NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger|gYear)$/;
    var link = Table.prototype.getUriLinkFromBinding;
    Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      var html = link.call(this, binding, prefixes);
      var label = labels[binding.value];
      if (!label) return html;
      var span = document.createElement("span");
      span.className = "iri-label";
      span.textContent = label;
      return html + " " + span.outerHTML;
    };
    var literal = Table.prototype.formatLiteral;
    Table.prototype.formatLiteral = function (binding, prefixes) {
      if (binding.datatype && NUMERIC.test(binding.datatype) && !isNaN(Number(binding.value))) {
        var span = document.createElement("span");
        span.className = "number";
        span.textContent = binding.value;
        return span.outerHTML;
      }
      return literal.call(this, binding, prefixes);
    };
    // after each result, ask the endpoint once for the labels of the IRIs it shows, then draw again
    var draw = Table.prototype.draw;
    Table.prototype.draw = function (config) {
      var table = this;
      var result = draw.call(this, config);
      var bindings = (table.yasr.results && table.yasr.results.getBindings && table.yasr.results.getBindings()) || [];
      var wanted = {};
      bindings.slice(0, 500).forEach(function (row) {
        Object.keys(row).forEach(function (k) {
          if (row[k].type === "uri" && !(row[k].value in labels)) wanted[row[k].value] = true;
        });
      });
      var iris = Object.keys(wanted).filter(function (iri) { return /^https?:[^<>"{}|^`\\ ]+$/.test(iri); });
      if (!iris.length) return result;
      iris.forEach(function (iri) { labels[iri] = ""; });
      var query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" +
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
        "SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { " +
        iris.map(function (i) { return "<" + i + ">"; }).join(" ") +
        " } ?s skos:prefLabel|rdfs:label ?l } GROUP BY ?s";
      fetch(endpoint, { method: "POST", headers: { "Accept": "application/sparql-results+json",
        "Content-Type": "application/sparql-query" }, body: query })
        .then(function (r) { return r.ok ? r.json() : { results: { bindings: [] } }; })
        .then(function (data) {
          var found = 0;
          data.results.bindings.forEach(function (b) { labels[b.s.value] = b.label.value; found++; });
          if (found) draw.call(table, config);
        })
        .catch(function () {});
      return result;
    };
  }

  // YASGUI's editor and tabs carry no names for screen readers: give them ours.
  function nameTheEditor(root) {
    root.querySelectorAll(".yasqe textarea").forEach(function (t) { t.setAttribute("aria-label", "SPARQL query"); });
    root.querySelectorAll("input.autocomplete").forEach(function (i) {
      i.setAttribute("aria-label", "Endpoint");
    });
    // a tab list holds only tabs: the "add a tab" button moves just after it
    root.querySelectorAll(".tabsList").forEach(function (list) {
      var add = list.querySelector("button.addTab");
      if (add && add.parentNode !== list.parentNode) list.parentNode.insertBefore(add.parentNode, list.nextSibling);
    });
    root.querySelectorAll(".CodeMirror-scroll").forEach(function (s) { s.setAttribute("tabindex", "0"); });
  }
})();
