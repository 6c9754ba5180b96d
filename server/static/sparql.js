// The query page: YASGUI over this server's endpoint, the canned queries as examples, downloads per format.
(function () {
  var config = JSON.parse(document.getElementById("sparql-config").textContent);
  var endpoint = new URL("sparql", document.baseURI.replace(/sparql.*$/, "")).href;
  // only autocompleters that need no other host (no LOV, no prefix.cc)
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
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
})();
