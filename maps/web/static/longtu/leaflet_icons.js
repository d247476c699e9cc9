/*
 * Longtu: Leaflet's default marker icon from the vendored copy beside this file.
 *
 * Leaflet 1.9 guesses the icon folder from leaflet.css, which fails when the CSS is inlined or
 * served under another path (it then asks for "marker-icon.png" at the page's own address).
 * This script, loaded right after leaflet.js, sets the folder from its own address instead.
 */
(function () {
    "use strict";
    var script = document.currentScript;
    if (script && script.src) {
        L.Icon.Default.imagePath = new URL("../vendor/leaflet/images/", script.src).href;
    }
})();
