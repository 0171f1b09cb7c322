// Pages that update by themselves: the ticket, the waiting-room screen, the
// bed page. Each has an element with data-live (a JSON URL) and data-every
// (seconds). The page shows everything without this script; it only keeps
// the figures fresh. Text is set with textContent, never as HTML.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-live");
  // Only now is it true that the page updates by itself: say so instead of "reload".
  document.querySelectorAll("[data-live-note]").forEach(function (note) {
    note.textContent = note.getAttribute("data-live-note");
  });
  var every = Math.max(2, parseInt(root.getAttribute("data-every"), 10) || 5) * 1000;

  function setFields(scope, data) {
    Object.keys(data).forEach(function (key) {
      var value = data[key];
      if (value === null || typeof value === "object") { return; }
      scope.querySelectorAll('[data-field="' + key + '"]').forEach(function (el) {
        el.textContent = value === "" ? "\u2013" : String(value);
      });
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function renderBoards(data) {
    var boards = document.getElementById("boards");
    var labels = boards.getAttribute("data-labels") || "";
    var parts = labels.split("|");
    var serving = parts[0] || "", next = parts[1] || "", empty = parts[2] || "";
    boards.replaceChildren();
    if (!data.boards.length) { boards.appendChild(el("p", "board-empty", empty)); return; }
    data.boards.forEach(function (b) {
      var section = el("section", "board");
      section.setAttribute("data-session", b.session);
      section.setAttribute("data-clinic", b.clinic_code);
      section.appendChild(el("h2", "", b.clinic));
      section.appendChild(el("p", "board-doctor", b.doctor + " \u00b7 " + b.hours));
      section.appendChild(el("p", "board-label", serving));
      section.appendChild(el("p", "board-serving number", b.serving));
      section.appendChild(el("p", "board-label", next));
      var list = el("p", "board-next");
      if (!b.next.length) { list.textContent = "\u2013"; }
      b.next.forEach(function (n) { list.appendChild(el("span", "number", n)); list.appendChild(document.createTextNode(" ")); });
      section.appendChild(list);
      boards.appendChild(section);
    });
  }

  function renderBeds(data) {
    data.classes.forEach(function (row) {
      var tr = document.querySelector('tr[data-class="' + row.id_tt + '"]');
      if (!tr) { return; }
      setFields(tr, Object.assign({}, row, {updated_at: row.updated_label}));
    });
    var totals = document.getElementById("beds-totals");
    if (totals && data.totals) { setFields(totals, data.totals); }
    var stamp = document.getElementById("beds-updated");
    if (stamp && data.updated_label) { stamp.textContent = data.updated_label; }
  }

  function tick() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.boards) { setFields(root, {time: data.time}); renderBoards(data); }
        else if (data.classes) { renderBeds(data); }
        else { setFields(root, data); }
        root.setAttribute("data-updated", String(Date.now()));
      })
      .catch(function () { /* keep what is shown; try again next time */ })
      .then(function () { window.setTimeout(tick, every); });
  }
  window.setTimeout(tick, every);
}());
