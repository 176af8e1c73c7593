/* The events map: circle markers from /api/geojson, a tile layer only when one is configured
   (offline the map shows markers on a blank background). Popups are built with DOM nodes and
   textContent, never HTML strings, so place and actor names cannot inject markup. */
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  var colours = {
    "Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd", "Protests": "#2ca02c", "Riots": "#8c564b",
    "Strategic developments": "#1f77b4"
  };
  var map = L.map(element, { preferCanvas: true, worldCopyJump: true });
  var tiles = element.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: element.getAttribute("data-attribution") || "" }).addTo(map);
  } else {
    graticule();
  }
  L.control.scale().addTo(map);
  map.setView([33.5, 38.5], 5);

  /* Offline there is no background map: a 1-degree grid with labels keeps the reader oriented. */
  function graticule() {
    var style = { color: "#9aa8b5", weight: 1, opacity: 0.6, interactive: false };
    for (var lat = -80; lat <= 80; lat += 1) {
      L.polyline([[lat, -180], [lat, 180]], style).addTo(map);
    }
    for (var lon = -180; lon <= 180; lon += 1) {
      L.polyline([[-80, lon], [80, lon]], style).addTo(map);
    }
  }

  function label(props) {
    var span = document.createElement("span");
    span.textContent = props.location_name_ar || props.location_name || "";
    span.setAttribute("dir", "auto");
    return span;
  }

  function popup(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = (props.n_sources !== undefined ? "/linked/" : "/events/") + encodeURIComponent(props.id);
    link.textContent = props.event_type + " · " + (props.sub_event_type || "");
    box.appendChild(link);
    var lines = [props.date || "", (props.location_name || "") + " " + (props.location_name_ar || ""),
                 (props.actor1 || "") + (props.actor2 ? " — " + props.actor2 : ""),
                 "fatalities: " + props.fatalities];
    lines.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  fetch(element.getAttribute("data-geojson"), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var features = data.features || [];
      var bounds = [];
      features.forEach(function (feature) {
        var c = feature.geometry.coordinates;
        var props = feature.properties;
        var marker = L.circleMarker([c[1], c[0]], {
          radius: 5 + Math.min(15, Math.sqrt(props.fatalities || 0) * 2),
          color: "#222", weight: 1, fillOpacity: 0.8,
          fillColor: colours[props.event_type] || "#555"
        });
        marker.bindPopup(popup(props));
        if (!tiles) {
          marker.bindTooltip(label(props), { permanent: true, direction: "right", offset: [8, 0] });
        }
        marker.addTo(map);
        bounds.push([c[1], c[0]]);
      });
      if (bounds.length) { map.fitBounds(bounds, { padding: [40, 40], maxZoom: 10, animate: false }); }
      document.getElementById("marker-count").textContent = String(features.length);
      element.setAttribute("data-markers", String(features.length));
    });
})();
