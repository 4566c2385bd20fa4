// Suggestions as you type in the search box; the box works without this script (it submits).
(function () {
  "use strict";
  const box = document.getElementById("search-box");
  const list = document.getElementById("suggestions");
  if (!box || !list) return;
  let timer = null;
  let latest = 0;
  function show(hits) {
    list.replaceChildren();
    for (const hit of hits) {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      const link = document.createElement("a");
      link.href = hit.href;
      link.textContent = hit.label;
      if (hit.matched && hit.matched !== hit.label) {
        const note = document.createElement("small");
        note.textContent = " " + hit.matched;
        link.appendChild(note);
      }
      if (hit.classes.length) {
        const kind = document.createElement("small");
        kind.textContent = " · " + hit.classes.join(", ");
        link.appendChild(kind);
      }
      item.appendChild(link);
      list.appendChild(item);
    }
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    const text = box.value.trim();
    if (!text) { show([]); return; }
    timer = setTimeout(async function () {
      const ticket = ++latest;
      const response = await fetch("/search.json?q=" + encodeURIComponent(text));
      if (!response.ok || ticket !== latest) return;
      show(await response.json());
    }, 120);
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && list.firstChild) {
      event.preventDefault();
      list.querySelector("a").focus();
    }
  });
})();
