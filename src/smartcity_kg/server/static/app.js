// The query page: pick a named query as an example and put its text into the editor.
(function () {
  "use strict";
  var select = document.getElementById("examples");
  var editor = document.getElementById("query");
  var data = document.getElementById("example-data");
  if (!select || !editor || !data) return;
  var examples = {};
  JSON.parse(data.textContent).forEach(function (x) { examples[x.name] = x.text; });
  select.addEventListener("change", function () {
    if (examples[select.value]) editor.value = examples[select.value];
  });
  editor.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      document.getElementById("editor").submit();
    }
  });
})();
