// Draws every Vega-Lite chart of the page from the spec embedded beside it (libraries served by us).
document.querySelectorAll("[data-spec-id]").forEach(function (el) {
  var spec = JSON.parse(document.getElementById(el.dataset.specId).textContent);
  // no actions menu: its <details> has an icon for a name, which screen readers cannot read
  vegaEmbed(el, spec, { actions: false, renderer: "svg" })
    .catch(function (err) { el.textContent = "The chart could not be drawn: " + err; });
});
