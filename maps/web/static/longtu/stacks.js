/*
 * Longtu: symbols drawn on top of each other are fanned out on click ("spiderfy").
 *
 * Several plan features often share one position (a county or prefecture seat). A click on a
 * point where more than one visible symbol lies moves those symbols onto a ring around it, each
 * with a thin leg back to where it belongs, and keeps their own styles (so a dashed county-level
 * symbol still reads as one). A click on a fanned-out symbol opens its popup; a click on the
 * map, a zoom or a layer switched off puts them back. Needs only Leaflet 1.9; works offline.
 *
 * Use: longtuStacks(map).add(geoJsonLayer) for every point layer whose popup is bound to the
 * layer (folium GeoJsonPopup).
 */
(function () {
    "use strict";
    var GAP_PX = 3;          // space between two fanned-out symbols
    var FIRST_RING_PX = 26;  // radius of the innermost ring

    function home(marker) {
        return marker._longtuHome || marker.getLatLng();
    }

    function Stacks(map) {
        this.map = map;
        this.groups = [];
        this.open = [];
        this.legs = L.layerGroup();
        map.on("click zoomstart overlayremove", this.collapse, this);
    }

    Stacks.prototype.add = function (group) {
        var self = this;
        if (group._openPopup) {
            group.off("click", group._openPopup);
        }
        group.on("click", function (e) { self.onClick(group, e); });
        this.groups.push(group);
        return this;
    };

    /* Visible symbols whose drawn circle covers the layer point `at`, the clicked one first. */
    Stacks.prototype.under = function (at, clicked) {
        var map = this.map, found = [clicked];
        this.groups.forEach(function (group) {
            if (!map.hasLayer(group)) { return; }
            group.eachLayer(function (layer) {
                if (layer === clicked || !layer.getRadius || !map.hasLayer(layer)) { return; }
                var centre = map.latLngToLayerPoint(home(layer));
                var reach = layer.getRadius() + (layer.options.weight || 0) / 2 + 1;
                if (centre.distanceTo(at) <= reach) { found.push(layer); }
            });
        });
        return found;
    };

    /* Ring positions (layer points) around `centre` for symbols of the given radii. */
    Stacks.prototype.ring = function (centre, radii) {
        var out = [], i = 0, ring = FIRST_RING_PX;
        while (i < radii.length) {
            var biggest = Math.max.apply(null, radii.slice(i));
            var fits = Math.max(1, Math.floor(2 * Math.PI * ring / (2 * biggest + GAP_PX)));
            var count = Math.min(fits, radii.length - i);
            for (var k = 0; k < count; k += 1) {
                var angle = -Math.PI / 2 + 2 * Math.PI * k / count;
                out.push(centre.add(L.point(ring * Math.cos(angle), ring * Math.sin(angle))));
            }
            i += count;
            ring += 2 * biggest + GAP_PX;
        }
        return out;
    };

    Stacks.prototype.spiderfy = function (markers, centre) {
        var map = this.map, self = this;
        var radii = markers.map(function (m) { return m.getRadius() + 1; });
        var spots = this.ring(map.latLngToLayerPoint(centre), radii);
        this.legs.addTo(map);
        markers.forEach(function (marker, i) {
            var from = marker.getLatLng(), to = map.layerPointToLatLng(spots[i]);
            self.legs.addLayer(L.polyline([from, to], {
                color: "#333", weight: 1, opacity: 0.8, interactive: false
            }));
            marker._longtuHome = from;
            marker.setLatLng(to);
            self.open.push(marker);
        });
        this.legs.addLayer(L.circleMarker(centre, {
            radius: 3, color: "#333", weight: 1, fillColor: "#333", fillOpacity: 1,
            interactive: false
        }));
        markers.forEach(function (marker) { marker.bringToFront(); });
        map.fire("longtu:spiderfied", {count: markers.length});
    };

    Stacks.prototype.collapse = function () {
        if (this.open.length) { this.map.closePopup(); }
        this.open.forEach(function (marker) {
            marker.setLatLng(marker._longtuHome);
            delete marker._longtuHome;
        });
        this.open = [];
        this.legs.clearLayers();
        this.legs.remove();
    };

    Stacks.prototype.onClick = function (group, e) {
        var marker = e.layer || e.propagatedFrom;
        if (marker && marker.getRadius && !marker._longtuHome) {
            var at = this.map.latLngToLayerPoint(e.latlng || marker.getLatLng());
            var stack = this.under(at, marker);
            this.collapse();
            if (stack.length > 1) {
                L.DomEvent.stop(e);
                this.spiderfy(stack, marker.getLatLng());
                return;
            }
        }
        if (group._openPopup) { group._openPopup(e); }
    };

    /* The one Stacks object of `map`, made on first use. */
    window.longtuStacks = function (map) {
        if (!map._longtuStacks) { map._longtuStacks = new Stacks(map); }
        return map._longtuStacks;
    };
})();
