// The WiFi points on a Leaflet map, over the list the page already shows.
// Without JavaScript, or when tiles fail, the list below is the page.
(function () {
  "use strict";
  var box = document.getElementById("wifi-map");
  var data = document.getElementById("wifi-points");
  if (!box || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  if (!points.length) { return; }
  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false });
  var failures = 0;
  var tiles = L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution });
  tiles.on("tileerror", function () {
    failures += 1;
    if (failures === 4) {
      var note = L.control({ position: "topright" });
      note.onAdd = function () {
        var div = L.DomUtil.create("div", "notes tiles-failed");
        div.textContent = box.dataset.failed;
        return div;
      };
      note.addTo(map);
    }
  });
  tiles.addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lng], {
      radius: 8, color: p.down ? "#b42318" : "#1d4ed8", weight: 2, fillOpacity: 0.7
    });
    var popup = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = p.name + " (" + p.code + ")" + (p.down ? " · " + box.dataset.down : "");
    var link = document.createElement("a");
    link.href = p.report;
    link.textContent = box.dataset.report;
    popup.appendChild(name);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(link);
    marker.bindPopup(popup);
    marker.addTo(map);
    bounds.push([p.lat, p.lng]);
  });
  map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
