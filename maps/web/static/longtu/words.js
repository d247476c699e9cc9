/*
 * Longtu: the words of Leaflet's own controls in Chinese with English beside (or English).
 *
 * Leaflet and Leaflet.draw word their buttons and tooltips in English only ("Zoom in",
 * "Layers", "Draw a polygon", "Click to start drawing shape."). longtuWords(map, language)
 * words them for one map: the zoom buttons it already has, its layer box when it is made, and
 * the drawing toolbar (Leaflet.draw reads L.drawLocal when its toolbar and tooltips are made,
 * so this runs before them). language: "zh" (Chinese, English beside) or "en".
 */
(function () {
    "use strict";
    // [Chinese, English] for each of Leaflet.draw's words, in the shape of L.drawLocal.
    var DRAW = {
        draw: {
            toolbar: {
                actions: { title: ["取消绘制", "Cancel drawing"], text: ["取消", "Cancel"] },
                finish: { title: ["完成绘制", "Finish drawing"], text: ["完成", "Finish"] },
                undo: {
                    title: ["删除最后画的点", "Delete the last point drawn"],
                    text: ["删除最后一点", "Delete last point"]
                },
                buttons: {
                    polyline: ["画线", "Draw a line"],
                    polygon: ["画多边形", "Draw a polygon"],
                    rectangle: ["画矩形", "Draw a rectangle"],
                    circle: ["画圆", "Draw a circle"],
                    marker: ["放置标记", "Place a marker"],
                    circlemarker: ["放置点", "Place a point"]
                }
            },
            handlers: {
                circle: {
                    tooltip: { start: ["按住并拖动以画圆。", "Click and drag to draw a circle."] },
                    radius: ["半径", "Radius"]
                },
                circlemarker: {
                    tooltip: { start: ["在地图上点击放置点。", "Click the map to place a point."] }
                },
                marker: {
                    tooltip: { start: ["在地图上点击放置标记。", "Click the map to place a marker."] }
                },
                polygon: {
                    tooltip: {
                        start: ["点击开始绘制。", "Click to start drawing the shape."],
                        cont: ["点击继续绘制。", "Click to continue drawing the shape."],
                        end: ["点击第一个点闭合图形。", "Click the first point to close the shape."]
                    }
                },
                polyline: {
                    error: [
                        "<strong>错误：</strong>边不能相交！",
                        "<strong>Error:</strong> shape edges cannot cross!"
                    ],
                    tooltip: {
                        start: ["点击开始画线。", "Click to start drawing the line."],
                        cont: ["点击继续画线。", "Click to continue drawing the line."],
                        end: ["点击最后一点结束。", "Click the last point to finish the line."]
                    }
                },
                rectangle: {
                    tooltip: { start: ["按住并拖动以画矩形。", "Click and drag to draw a rectangle."] }
                },
                simpleshape: {
                    tooltip: { end: ["松开鼠标完成绘制。", "Release the mouse to finish drawing."] }
                }
            }
        },
        edit: {
            toolbar: {
                actions: {
                    save: { title: ["保存更改", "Save changes"], text: ["保存", "Save"] },
                    cancel: {
                        title: ["取消编辑，放弃所有更改", "Cancel editing, discard all changes"],
                        text: ["取消", "Cancel"]
                    },
                    clearAll: { title: ["清除所有图形", "Clear all shapes"], text: ["全部清除", "Clear all"] }
                },
                buttons: {
                    edit: ["编辑图形", "Edit shapes"],
                    editDisabled: ["没有可编辑的图形", "No shapes to edit"],
                    remove: ["删除图形", "Delete shapes"],
                    removeDisabled: ["没有可删除的图形", "No shapes to delete"]
                }
            },
            handlers: {
                edit: {
                    tooltip: {
                        text: ["拖动控制点或标记以编辑。", "Drag handles or markers to edit."],
                        subtext: ["点击“取消”撤销更改。", "Click Cancel to undo the changes."]
                    }
                },
                remove: { tooltip: { text: ["点击图形以删除。", "Click a shape to delete it."] } }
            }
        }
    };
    var ZOOM_IN = ["放大", "Zoom in"];
    var ZOOM_OUT = ["缩小", "Zoom out"];
    var LAYERS = ["图层", "Layers"];

    function say(pair, language) {
        return language === "en" ? pair[1] : pair[0] + " " + pair[1];
    }

    // The words of `pairs` (leaves [zh, en]) in `language`, in the same shape.
    function worded(pairs, language) {
        var out = {};
        for (var key in pairs) {
            var value = pairs[key];
            out[key] = Array.isArray(value) ? say(value, language) : worded(value, language);
        }
        return out;
    }

    function title(element, text) {
        if (element) {
            element.title = text;
            element.setAttribute("aria-label", text);
        }
    }

    // Leaflet names the layer box "Layers" as it makes it: named here as it is made.
    var initLayout = L.Control.Layers.prototype._initLayout;
    L.Control.Layers.prototype._initLayout = function () {
        initLayout.call(this);
        if (window.longtuLayersTitle) {
            title(this._layersLink, window.longtuLayersTitle);
        }
    };

    window.longtuWords = function (map, language) {
        var zoom = map.zoomControl;
        if (zoom) {
            title(zoom._zoomInButton, say(ZOOM_IN, language));
            title(zoom._zoomOutButton, say(ZOOM_OUT, language));
        }
        window.longtuLayersTitle = say(LAYERS, language);
        if (L.drawLocal) {
            L.drawLocal = worded(DRAW, language);
        }
    };
})();
