/*
 * Longtu: what the map shows (layers, the features the filters keep, the legend, the view) is
 * changed in the browser, on the map already drawn, instead of drawing a new map.
 *
 * The page draws every layer once (`longtuView(map).register(key, layer)` for each one it can
 * switch). When the person ticks a layer, chooses a filter or searches, the app sends a small
 * state, and `longtuView(map).apply(state)` shows the layers that are on, keeps the features
 * whose `fid` the filters kept, replaces the legend's rows, and fits the map to what a changed
 * filter keeps. Layers are put back in the order they were registered, so symbols stay above
 * areas (and clickable). Needs only Leaflet 1.9; works offline.
 *
 * state = {
 *   layers: ["parks", ...],            // layer keys that are on
 *   keep: {"parks": ["p1", ...] | null, ...},  // feature ids kept per layer (null: all)
 *   filters: "…",                      // what the filters are, as one string
 *   fit: [[south, west], [north, east]] | null,  // where a changed filter opens the map
 *   legend: "<details>…</details>" | null,
 *   map_seq: 1765000000000 | null      // the last report of the map's layer box applied
 * }
 *
 * Ticking a layer in the map's own layer box changes the state too, and is reported to the
 * page (`report`), whose layer boxes follow: one state, whichever box was ticked.
 *
 * The view the person leaves is kept in the tab's sessionStorage with the filters it was for;
 * a map drawn anew (another page and back, another language) opens there again.
 */
(function () {
    "use strict";
    var STORE = "longtu:view";

    function View(map) {
        var self = this;
        this.map = map;
        this.keys = [];
        this.layers = {};
        this.order = [];  // every registered layer, switched or not: the drawing order
        this.filters = null;
        map.on("moveend", function () { self.save(); });
        map.on("overlayadd overlayremove", function () { self.report(); });
    }

    /* `source`: the URL of the layer's features, loaded the first time the layer is shown (by
     * `apply`, or by the layer control). `switched` false: a base layer, which `apply` neither
     * shows nor hides, loaded as soon as it is on the map. */
    View.prototype.register = function (key, layer, source, switched) {
        var self = this;
        if (switched !== false && !(key in this.layers)) { this.keys.push(key); }
        if (switched !== false) { this.layers[key] = layer; }
        if (this.order.indexOf(layer) < 0) { this.order.push(layer); }
        if (layer.getLayers) { layer._longtuAll = layer.getLayers(); }
        if (source) {
            layer._longtuSource = source;
            // A switched layer drawn with the map waits for the first state (which may hide
            // it); after that, or for a base layer, being added to the map loads it.
            layer.on("add", function () {
                if (switched === false || self.state) { self.load(key, layer); }
            });
        } else if (!("_longtuSource" in layer)) {
            layer._longtuSource = null;
        }
        return this;
    };

    View.prototype.load = function (key, layer) {
        var self = this;
        if (!layer._longtuSource || layer._longtuLoading) { return; }
        layer._longtuLoading = true;
        var early = (window.longtuPreloaded || {})[layer._longtuSource];  // script_bundle's
        if (early) { delete window.longtuPreloaded[layer._longtuSource]; }
        (early || window.fetch(layer._longtuSource)
            .then(function (response) { return response.json(); }))
            .then(function (data) {
                layer._longtuSource = null;
                layer.addData(data);
                layer._longtuAll = layer.getLayers();
                if (self.state && self.layers[key] === layer) {
                    self.keep(layer, (self.state.keep || {})[key]);
                    self.show(self.state.layers || []);
                }
                self.restack();
                self.map.fire("longtu:loaded", {key: key});
            })
            .catch(function (error) {
                layer._longtuLoading = false;
                window.console.error("Longtu: layer " + key + " could not be loaded: " + error);
            });
    };

    View.prototype.save = function () {
        if (this.filters === null) { return; }
        try {
            var centre = this.map.getCenter();
            window.sessionStorage.setItem(STORE, JSON.stringify({
                filters: this.filters, lat: centre.lat, lng: centre.lng, zoom: this.map.getZoom()
            }));
        } catch (e) { /* storage refused (private mode): the view is simply not kept */ }
    };

    View.prototype.saved = function (filters) {
        try {
            var view = JSON.parse(window.sessionStorage.getItem(STORE) || "null");
            return view && view.filters === filters ? view : null;
        } catch (e) {
            return null;
        }
    };

    /* Keep in `layer` only the features whose fid is in `ids` (null: every feature). */
    View.prototype.keep = function (layer, ids) {
        var all = layer._longtuAll;
        if (!all) { return; }
        var wanted = ids === null || ids === undefined ? null : {};
        (ids || []).forEach(function (id) { wanted[id] = true; });
        layer.clearLayers();
        all.forEach(function (feature) {
            var fid = feature.feature && feature.feature.properties.fid;
            if (wanted === null || wanted[fid]) { layer.addLayer(feature); }
        });
    };

    View.prototype.show = function (on) {
        var map = this.map, self = this;
        this.showing = true;  // layers added and removed here are not the person's doing
        try {
            this.keys.forEach(function (key) {
                var layer = self.layers[key], wanted = on.indexOf(key) >= 0;
                if (wanted) { self.load(key, layer); }  // its file, the first time
                if (wanted && !map.hasLayer(layer)) { map.addLayer(layer); }
                if (!wanted && map.hasLayer(layer)) { map.removeLayer(layer); }
            });
        } finally {
            this.showing = false;
        }
        this.restack();
    };

    /* The person ticked a layer in the map's own layer box: that is the state now, and the
     * page is told (its layer boxes and the URL follow), through the value st_folium's
     * frontend gives the page: the boxes ticked or unticked here since the page last took a
     * report (`changes`, so that a box ticked in the sidebar meanwhile stays as it is), and
     * when (`at`, which names the report: the page sends back the last one it took,
     * `state.map_seq`). */
    View.prototype.report = function () {
        var map = this.map, self = this;
        if (this.showing || !this.state) { return; }
        var before = this.state.layers || [];
        var on = this.keys.filter(function (key) { return map.hasLayer(self.layers[key]); });
        var changes = Object.assign({}, this.changes);
        this.keys.forEach(function (key) {
            var now = on.indexOf(key) >= 0;
            if (now !== (before.indexOf(key) >= 0)) { changes[key] = now; }
        });
        if (on.slice().sort().join() === before.slice().sort().join()) { return; }
        this.state.layers = on;
        this.changes = changes;
        var last = this.reported ? this.reported.at : 0;
        this.reported = {changes: changes, at: Math.max(Date.now(), last + 1)};
        var global = window.__GLOBAL_DATA__, streamlit = window.Streamlit;
        if (!global || !streamlit) { return; }  // a map outside the app
        this.carryReport(streamlit);
        streamlit.setComponentValue(Object.assign({}, global.previous_data || {}));
    };

    /* Every value the map gives the page carries the last layer report, and a value equal to
     * the one before is not sent. st_folium's frontend sends its own value (clicks, and 250 ms
     * after each layer change) without it: each was one more run of the page, which, started
     * while the page still showed the boxes as they were, put the old layers back. */
    View.prototype.carryReport = function (streamlit) {
        var self = this;
        if (streamlit._longtuSend) { return; }
        var send = streamlit.setComponentValue, last = null;
        streamlit._longtuSend = send;
        streamlit.setComponentValue = function (value) {
            var carried = Object.assign({}, value, {
                longtu_changes: self.reported.changes, longtu_layers_at: self.reported.at
            });
            var text = JSON.stringify(carried);
            if (text === last) { return; }
            last = text;
            window.__GLOBAL_DATA__.previous_data = carried;
            send.call(streamlit, carried);
        };
    };

    /* Layers drawn in the order they were registered (boundaries under areas under symbols),
     * whatever order their files arrived in. */
    View.prototype.restack = function () {
        var map = this.map;
        this.order.forEach(function (layer) {
            if (map.hasLayer(layer) && layer.bringToFront && !layer.setUrl) {
                layer.bringToFront();
            }
        });
    };

    View.prototype.legend = function (body) {
        var box = this.map.getContainer().ownerDocument.querySelector(".longtu-legend");
        if (!box || !body) { return; }
        var before = box.querySelector("details");
        var open = before ? before.open : true;
        box.innerHTML = body;
        var after = box.querySelector("details");
        if (after) { after.open = open; }
    };

    View.prototype.place = function (state) {
        var first = this.filters === null;
        if (!first && state.filters === this.filters) { return; }
        var saved = first ? this.saved(state.filters) : null;
        this.filters = state.filters;
        if (saved) {
            this.map.setView([saved.lat, saved.lng], saved.zoom);
        } else if (state.fit && (!first || state.filtered)) {
            this.map.fitBounds(state.fit);
        }
    };

    /* A state from a run that started before the map's last layer report (`map_seq` older):
     * the map keeps the boxes the person ticked in it, and that run's successor brings them.
     * A state that has the last report: the changes are the page's now. */
    View.prototype.apply = function (state) {
        var self = this;
        var reported = this.reported, changes = this.changes || {};
        if (reported && (state.map_seq || 0) < reported.at) {
            var layers = (state.layers || []).filter(function (key) {
                return changes[key] !== false;
            });
            Object.keys(changes).forEach(function (key) {
                if (changes[key] && layers.indexOf(key) < 0) { layers.push(key); }
            });
            state = Object.assign({}, state, {layers: layers});
        } else {
            this.changes = {};
        }
        this.state = state;
        if (this.map._longtuStacks) { this.map._longtuStacks.collapse(); }
        Object.keys(state.keep || {}).forEach(function (key) {
            if (self.layers[key]) { self.keep(self.layers[key], state.keep[key]); }
        });
        this.show(state.layers || []);
        this.legend(state.legend);
        this.place(state);
        this.map.fire("longtu:applied", {filters: state.filters});
        return this;
    };

    /* The one View of `map`, made on first use. */
    window.longtuView = function (map) {
        if (!map._longtuView) { map._longtuView = new View(map); }
        return map._longtuView;
    };
})();
