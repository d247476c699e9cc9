/*
 * Longtu: place labels that do not overlap, and that show from a zoom level on.
 *
 * Each label is tried above, below, right of and left of its point, in that order, and takes
 * the first position that overlaps no label placed before it (labels are placed in the order
 * they were added: prefectures before counties). A label with `always` set is shown at its
 * first position if none is free; others are hidden until the user zooms in far enough to make
 * room. Labels with a `minZoom` show only from that zoom on. Needs only Leaflet 1.9; offline.
 *
 * Use: longtuLabels(map).add(rows, {cls: "longtu-label-prefecture", minZoom: 0, always: true})
 * with rows [[lat, lon, text], ...].
 */
(function () {
    "use strict";
    var GAP_PX = 6;
    // Candidate boxes relative to the point: [dx, dy] of the box's top-left, given its size.
    var SPOTS = [
        function (w, h) { return [-w / 2, -h - GAP_PX]; },
        function (w, h) { return [-w / 2, GAP_PX]; },
        function (w, h) { return [GAP_PX + 2, -h / 2]; },
        function (w, h) { return [-w - GAP_PX - 2, -h / 2]; }
    ];

    var CSS = [
        ".longtu-label-anchor { background: none; border: none; }",
        ".longtu-label { position: absolute; white-space: nowrap; pointer-events: none;",
        "  text-shadow: 0 0 3px #fff, 0 0 2px #fff, 0 0 1px #fff;",
        "  font-family: 'Longtu CJK', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif; }",
        ".longtu-label-prefecture { font-size: 12px; color: #222; font-weight: 600; }",
        ".longtu-label-county { font-size: 10.5px; color: #555; }"
    ].join("\n");

    /* The label styles, once per page (no stylesheet to load: sizes are right at once). */
    function addStyle() {
        if (document.getElementById("longtu-label-style")) { return; }
        var style = document.createElement("style");
        style.id = "longtu-label-style";
        style.textContent = CSS;
        document.head.appendChild(style);
    }

    function overlaps(a, b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }

    function Labels(map) {
        this.map = map;
        this.items = [];
        this.pending = null;
        map.on("zoomend moveend resize", this.schedule, this);
        addStyle();
        if (document.fonts && document.fonts.ready) {
            document.fonts.ready.then(this.schedule.bind(this));
        }
    }

    Labels.prototype.add = function (rows, options) {
        var self = this;
        rows.forEach(function (row) {
            var text = document.createElement("span");
            text.className = "longtu-label " + (options.cls || "");
            text.textContent = row[2];
            var marker = L.marker([row[0], row[1]], {
                interactive: false, keyboard: false,
                icon: L.divIcon({className: "longtu-label-anchor", html: text, iconSize: [0, 0]})
            });
            self.items.push({
                marker: marker, minZoom: options.minZoom || 0, always: !!options.always
            });
        });
        this.schedule();
        return this;
    };

    Labels.prototype.schedule = function () {
        var self = this;
        if (this.pending === null) {
            this.pending = setTimeout(function () { self.pending = null; self.place(); }, 0);
        }
    };

    /* Show, hide and move every label so that none overlaps another. */
    Labels.prototype.place = function () {
        var map = this.map, zoom = map.getZoom(), placed = [];
        var shown = this.items.filter(function (item) {
            if (zoom < item.minZoom) { item.marker.remove(); return false; }
            if (!map.hasLayer(item.marker)) { item.marker.addTo(map); }
            return true;
        });
        // Read every size first (one layout), then write every position.
        var sizes = shown.map(function (item) {
            var el = item.marker.getElement().firstChild;
            return [el.offsetWidth, el.offsetHeight];
        });
        shown.forEach(function (item, n) {
            var w = sizes[n][0], h = sizes[n][1], chosen = null;
            var at = map.latLngToContainerPoint(item.marker.getLatLng());
            for (var i = 0; i < SPOTS.length && chosen === null; i += 1) {
                var d = SPOTS[i](w, h);
                var box = [at.x + d[0], at.y + d[1], at.x + d[0] + w, at.y + d[1] + h];
                if (!placed.some(function (other) { return overlaps(box, other); })) {
                    chosen = [d, box];
                }
            }
            if (chosen === null && item.always) {
                var first = SPOTS[0](w, h);
                chosen = [first, [at.x + first[0], at.y + first[1], at.x + first[0] + w,
                                  at.y + first[1] + h]];
            }
            var el = item.marker.getElement().firstChild;
            el.style.visibility = chosen === null ? "hidden" : "visible";
            if (chosen === null) { return; }
            el.style.left = chosen[0][0] + "px";
            el.style.top = chosen[0][1] + "px";
            placed.push(chosen[1]);
        });
        map.fire("longtu:labelsplaced", {count: placed.length});
    };

    /* The one Labels object of `map`, made on first use. */
    window.longtuLabels = function (map) {
        if (!map._longtuLabels) { map._longtuLabels = new Labels(map); }
        return map._longtuLabels;
    };
})();
