"""One Processing algorithm per WattBit planner, built from its manifest.

Manifest -> Processing parameters:
  inputs (GeoJSON)      feature sources filtered by the manifest's geometry types (repeatable
                        inputs: a multiple-layer parameter); exported to GeoJSON in EPSG:4326
                        from any CRS and OGR format (GeoPackage, Shapefile, PostGIS, …)
  inputs (CSV, text)    file parameters
  integer / number      number parameters with the manifest's bounds and default; unit in the label
  boolean / enum / string   boolean, enum (the choice strings, passed as strings) and string parameters
  outputs (GeoJSON)     one feature sink per role (routes, landings, hubs, gaps, …), EPSG:4326
  outputs (SVG, HTML)   one file destination
The planner runs through `wattbit NAME … --progress json -o FILE`: progress lines drive the
progress bar, cancelling stops wattbit and the planner's process group, and a failure raises
the planner's one-line error before any sink is created, so nothing is half-loaded.
"""

import csv
import json
import math
import os
import shutil
import tempfile

from qgis.core import (QgsCoordinateReferenceSystem, QgsFeature, QgsFeatureRequest, QgsFeatureSink,
                       QgsField, QgsFields, QgsGeometry, QgsJsonExporter, QgsProcessing,
                       QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterString, QgsWkbTypes)
from qgis.core import NULL
from qgis.PyQt.QtCore import QVariant

from .wattbit_cli import WattBitError, features_by_role, field_types, flag, number_text, run_planner

WGS84 = "EPSG:4326"
LAYER_TYPES = {"Point": QgsProcessing.TypeVectorPoint, "MultiPoint": QgsProcessing.TypeVectorPoint,
               "LineString": QgsProcessing.TypeVectorLine, "MultiLineString": QgsProcessing.TypeVectorLine,
               "Polygon": QgsProcessing.TypeVectorPolygon, "MultiPolygon": QgsProcessing.TypeVectorPolygon}
WKB_TYPES = {"Point": QgsWkbTypes.Point, "MultiPoint": QgsWkbTypes.MultiPoint,
             "LineString": QgsWkbTypes.LineString, "MultiLineString": QgsWkbTypes.MultiLineString,
             "Polygon": QgsWkbTypes.Polygon, "MultiPolygon": QgsWkbTypes.MultiPolygon}
FIELD_TYPES = {"integer": QVariant.LongLong, "real": QVariant.Double, "boolean": QVariant.Bool,
               "string": QVariant.String, "json": QVariant.String}
DOCUMENT_FORMATS = ("svg", "html")


def sink_name(role):
    """The output parameter of a role: route -> OUTPUT_ROUTE, hub-member -> OUTPUT_HUB_MEMBER."""
    return "OUTPUT_" + "".join(c if c.isalnum() else "_" for c in role).upper() if role else "OUTPUT"


def layer_types(geometry_types):
    kinds = {LAYER_TYPES.get(t) for t in geometry_types or []}
    if not kinds or None in kinds:
        return [QgsProcessing.TypeVectorAnyGeometry]
    return sorted(kinds)


def wkb_type(geometry_types):
    """One sink type for a role's geometry types: Point+MultiPoint -> MultiPoint; different
    families -> Unknown (any geometry); none -> NoGeometry."""
    types = [t for t in geometry_types if t]
    if not types:
        return QgsWkbTypes.NoGeometry
    families = {t.replace("Multi", "") for t in types}
    if len(families) != 1 or not all(t in WKB_TYPES for t in types):
        return QgsWkbTypes.Unknown
    family = families.pop()
    return WKB_TYPES["Multi" + family] if any(t.startswith("Multi") for t in types) else WKB_TYPES[family]


def label(text, unit=None, limit=70):
    """A parameter's label: the first sentence of its description, the unit in brackets."""
    text = " ".join(str(text or "").split())
    first = text.split(". ")[0].rstrip(".")
    if len(first) > limit:
        first = first[:limit - 1].rstrip() + "…"
    return f"{first} [{unit}]" if unit else first


def wkt(geometry):
    """WKT of a GeoJSON geometry (RFC 7946 §3.1), or None for a null geometry."""
    if not geometry:
        return None
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")

    def position(p):
        return " ".join(repr(float(v)) for v in p[:3])

    def ring(points):
        return "(" + ", ".join(position(p) for p in points) + ")"

    def polygon(rings):
        return "(" + ", ".join(ring(r) for r in rings) + ")"

    if kind == "Point":
        return f"POINT ({position(coordinates)})"
    if kind == "MultiPoint":
        return "MULTIPOINT (" + ", ".join(f"({position(p)})" for p in coordinates) + ")"
    if kind == "LineString":
        return "LINESTRING " + ring(coordinates)
    if kind == "MultiLineString":
        return "MULTILINESTRING (" + ", ".join(ring(line) for line in coordinates) + ")"
    if kind == "Polygon":
        return "POLYGON " + polygon(coordinates)
    if kind == "MultiPolygon":
        return "MULTIPOLYGON (" + ", ".join(polygon(p) for p in coordinates) + ")"
    if kind == "GeometryCollection":
        parts = [wkt(g) for g in geometry.get("geometries") or []]
        return "GEOMETRYCOLLECTION (" + ", ".join(p for p in parts if p) + ")"
    raise QgsProcessingException(f"unknown geometry type {kind!r} in the planner's output")


class WattBitAlgorithm(QgsProcessingAlgorithm):
    def __init__(self, wattbit, name, manifest):
        super().__init__()
        self.wattbit = wattbit
        self.planner = name
        self.manifest = manifest
        outputs = manifest.get("outputs") or [{"format": "geojson"}]
        self.roles = {}
        self.document = None
        for output in outputs:
            if output.get("when"):
                continue  # written only with a flag (e.g. a tile list for GNU parallel): not a QGIS output
            fmt = output.get("format", "geojson")
            if fmt in ("geojson", "geojsonseq"):
                for role, types in (output.get("roles") or {"": []}).items():
                    self.roles.setdefault(role, [])
                    self.roles[role] += [t for t in types or [] if t not in self.roles[role]]
            elif fmt in DOCUMENT_FORMATS and self.document is None:
                self.document = output

    # ---- identity and help

    def createInstance(self):  # noqa: N802
        return WattBitAlgorithm(self.wattbit, self.planner, self.manifest)

    def name(self):
        return self.planner

    def displayName(self):  # noqa: N802
        return f"{self.planner} — {self.manifest.get('summary', '')}".rstrip(" —")

    def shortDescription(self):  # noqa: N802
        return self.manifest.get("summary", "")

    def group(self):
        return "Planners"

    def groupId(self):  # noqa: N802
        return "planners"

    def tags(self):
        return ["wattbit", self.planner] + [role for role in self.roles if role]

    def shortHelpString(self):  # noqa: N802
        m = self.manifest
        parts = [f"<p><b>wattbit {self.planner}</b> {m.get('version', '')}: {m.get('summary', '')}</p>"]
        if m.get("description"):
            parts.append(f"<p>{_html(m['description'])}</p>")
        rows = []
        for spec in m.get("inputs") or []:
            types = ", ".join(spec.get("geometry_types") or []) or "any geometry"
            rows.append(f"<li><b>{spec['name']}</b> ({types}): {_html(spec.get('description', ''))}</li>")
        for spec in m.get("parameters") or []:
            rows.append(f"<li><b>{spec['name']}</b>: {_html(_parameter_help(spec))}</li>")
        if rows:
            parts.append("<ul>" + "".join(rows) + "</ul>")
        if self.roles:
            roles = ", ".join(f"{sink_name(r)} ({r or 'all'}: {'/'.join(t) or 'any geometry'})"
                              for r, t in self.roles.items())
            parts.append(f"<p>Outputs, one layer per role in EPSG:4326: {roles}.</p>")
        if m.get("examples"):
            parts.append("<p>On the command line:</p><pre>" + "\n".join(_html(e) for e in m["examples"]) + "</pre>")
        return "".join(parts)

    # ---- parameters

    def initAlgorithm(self, config=None):  # noqa: N802
        for spec in self.manifest.get("inputs") or []:
            name = spec["name"]
            optional = not spec.get("required", True)
            description = label(spec.get("description") or name)
            formats = spec.get("formats") or ["geojson"]
            if "geojson" in formats:
                types = layer_types(spec.get("geometry_types"))
                if "csv" in formats:
                    # Also tables without geometry (e-Stat mesh CSV: KEY_CODE, values).
                    types = [QgsProcessing.TypeVector]
                if spec.get("multiple"):
                    parameter = QgsProcessingParameterMultipleLayers(
                        name, description, layerType=types[0] if len(types) == 1 else QgsProcessing.TypeVectorAnyGeometry,
                        optional=optional)
                else:
                    parameter = QgsProcessingParameterFeatureSource(name, description, types=types, optional=optional)
            else:
                parameter = QgsProcessingParameterFile(name, description, optional=optional)
            parameter.setHelp(spec.get("description", ""))
            self.addParameter(parameter)
        for spec in self.manifest.get("parameters") or []:
            self.addParameter(self._parameter(spec))
        if self.document is not None:
            self.addParameter(QgsProcessingParameterFileDestination(
                "OUTPUT", label(self.document.get("description") or "Document"),
                fileFilter="HTML page (*.html);;SVG image (*.svg)"))
        for role, types in self.roles.items():
            description = f"{self.planner} {role}".strip() if role else f"{self.planner} output"
            self.addParameter(QgsProcessingParameterFeatureSink(
                sink_name(role), description, type=layer_types(types)[0] if len(layer_types(types)) == 1 else QgsProcessing.TypeVectorAnyGeometry,
                optional=True, createByDefault=True))

    def _parameter(self, spec):
        name, kind = spec["name"], spec.get("type")
        default = spec.get("default")
        optional = default is None and not spec.get("required", False)
        description = label(spec.get("description") or name, spec.get("unit"))
        if kind in ("integer", "number"):
            bounds = {}
            if isinstance(spec.get("minimum"), (int, float)):
                bounds["minValue"] = float(spec["minimum"])
            if isinstance(spec.get("maximum"), (int, float)) and math.isfinite(spec["maximum"]):
                bounds["maxValue"] = float(spec["maximum"])
            parameter = QgsProcessingParameterNumber(
                name, description,
                type=QgsProcessingParameterNumber.Integer if kind == "integer" else QgsProcessingParameterNumber.Double,
                defaultValue=default, optional=optional, **bounds)
        elif kind == "boolean":
            parameter = QgsProcessingParameterBoolean(name, description, defaultValue=bool(default), optional=True)
        elif kind == "enum":
            # The choices themselves, not indices (qgis_process … format=svg), as the manifest says.
            choices = list(spec.get("choices") or [])
            parameter = QgsProcessingParameterEnum(
                name, description, options=choices, allowMultiple=False,
                defaultValue=default if default in choices else None, optional=optional, usesStaticStrings=True)
        else:
            parameter = QgsProcessingParameterString(name, description, defaultValue=default, optional=optional)
        parameter.setHelp(_parameter_help(spec))
        return parameter

    # ---- running

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        work = tempfile.mkdtemp(prefix="wattbit-qgis-")
        try:
            arguments = self._input_arguments(parameters, context, feedback, work)
            arguments += self._parameter_arguments(parameters, context)
            if self.document is not None:
                document_path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
                arguments += ["-o", document_path]
            output_path = os.path.join(work, "output.geojson")
            if self.roles and self.document is None:
                arguments += ["-o", output_path]
            feedback.pushCommandInfo("wattbit " + " ".join([self.planner] + [_quote(a) for a in arguments]))

            stages = []

            def progress(fraction, stage):
                feedback.setProgress(max(0.0, min(100.0, 100.0 * fraction)))
                if stage and (not stages or stages[-1] != stage):
                    stages.append(stage)
                    feedback.setProgressText(stage)

            def message(text, warning):
                if warning:
                    feedback.pushWarning(text)
                else:
                    feedback.pushInfo(text)

            try:
                run_planner(self.wattbit, self.planner, arguments, on_progress=progress, on_message=message,
                            is_canceled=feedback.isCanceled)
            except WattBitError as error:
                if feedback.isCanceled():
                    return {}
                raise QgsProcessingException(str(error))
            if self.document is not None:
                return {"OUTPUT": document_path}
            return self._write_sinks(parameters, context, feedback, output_path)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _input_arguments(self, parameters, context, feedback, work):
        arguments = []
        for index, spec in enumerate(self.manifest.get("inputs") or []):
            name = spec["name"]
            if "geojson" not in (spec.get("formats") or ["geojson"]):
                path = self.parameterAsFile(parameters, name, context)
                if path:
                    arguments += [flag(name), path]
                continue
            raw = parameters.get(name)
            if "csv" in (spec.get("formats") or []) and isinstance(raw, str) \
                    and raw.lower().endswith(".csv") and os.path.isfile(raw):
                arguments += [flag(name), raw]   # a CSV file the planner reads itself, as given
                continue
            if spec.get("multiple"):
                sources = self.parameterAsLayerList(parameters, name, context) or []
            else:
                source = self.parameterAsSource(parameters, name, context)
                sources = [source] if source is not None else []
            if not sources and spec.get("required", True):
                raise QgsProcessingException(f"{name}: a layer is required")
            for number, source in enumerate(sources):
                if "csv" in (spec.get("formats") or []) and source.wkbType() == QgsWkbTypes.NoGeometry:
                    path = os.path.join(work, f"input-{index}-{number}-{name}.csv")
                    export_csv(source, path, feedback)
                else:
                    path = os.path.join(work, f"input-{index}-{number}-{name}.geojson")
                    export_geojson(source, path, context, feedback)
                arguments += [flag(name), path]
        return arguments

    def _parameter_arguments(self, parameters, context):
        """Each parameter the user set to something other than the manifest's default, as the
        command line spells it (--max-rtt-ms 2, --no-exclude-metro, --format svg)."""
        arguments = []
        for spec in self.manifest.get("parameters") or []:
            name, kind, default = spec["name"], spec.get("type"), spec.get("default")
            if parameters.get(name) is None:
                continue
            if kind == "boolean":
                value = self.parameterAsBoolean(parameters, name, context)
                if default is None or bool(default) != value:
                    arguments.append(flag(name) if value else "--no-" + name.replace("_", "-"))
            elif kind in ("integer", "number"):
                value = (self.parameterAsInt if kind == "integer" else self.parameterAsDouble)(parameters, name, context)
                if default is None or float(default) != float(value):
                    arguments += [flag(name), number_text(value, kind == "integer")]
            elif kind == "enum":
                value = self.parameterAsEnumString(parameters, name, context)
                if value and value in (spec.get("choices") or []) and value != default:
                    arguments += [flag(name), value]
            else:
                value = self.parameterAsString(parameters, name, context)
                if value != "" and value != default:
                    arguments += [flag(name), value]
        return arguments

    def _write_sinks(self, parameters, context, feedback, output_path):
        try:
            groups = features_by_role(output_path)
        except (OSError, ValueError) as error:
            raise QgsProcessingException(f"wattbit {self.planner}: output unreadable ({error})")
        crs = QgsCoordinateReferenceSystem(WGS84)
        # Build every layer's features before creating any sink: nothing is half-loaded.
        prepared = []
        for role, types in self.roles.items():
            features = groups.get(role, []) if role else [f for fs in groups.values() for f in fs]
            actual = sorted({(f.get("geometry") or {}).get("type") for f in features} - {None})
            sink_type = wkb_type(types or actual)
            fields = QgsFields()
            kinds = field_types(features)
            for field_name, kind in kinds:
                fields.append(QgsField(field_name, FIELD_TYPES[kind]))
            built = []
            for feature in features:
                qgs = QgsFeature(fields)
                text = wkt(feature.get("geometry"))
                if text is not None and sink_type != QgsWkbTypes.NoGeometry:
                    geometry = QgsGeometry.fromWkt(text)
                    if geometry.isNull():
                        raise QgsProcessingException(f"wattbit {self.planner}: a {role} geometry QGIS cannot read")
                    if QgsWkbTypes.isMultiType(sink_type) and not geometry.isMultipart():
                        geometry.convertToMultiType()
                    qgs.setGeometry(geometry)
                properties = feature.get("properties") or {}
                qgs.setAttributes([_attribute(properties.get(field_name), kind) for field_name, kind in kinds])
                built.append(qgs)
            prepared.append((role, fields, sink_type, built))
        results = {}
        for role, fields, sink_type, built in prepared:
            sink, destination = self.parameterAsSink(parameters, sink_name(role), context, fields, sink_type, crs)
            if sink is None:
                continue  # the user chose to skip this layer
            for qgs in built:
                if feedback.isCanceled():
                    return {}
                sink.addFeature(qgs, QgsFeatureSink.FastInsert)
            results[sink_name(role)] = destination
        return results


def export_geojson(source, path, context, feedback):
    """Writes a feature source (any OGR format, any CRS: GeoPackage, Shapefile, PostGIS…) as a
    GeoJSON FeatureCollection in EPSG:4326, lon/lat order (RFC 7946), attributes as decoded by
    the provider (so a Shift_JIS Shapefile's names arrive as UTF-8)."""
    request = QgsFeatureRequest()
    request.setDestinationCrs(QgsCoordinateReferenceSystem(WGS84), context.transformContext())
    exporter = QgsJsonExporter()
    exporter.setTransformGeometries(False)   # the request already transformed them
    exporter.setPrecision(9)
    exporter.setIncludeRelated(False)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"type":"FeatureCollection","features":[\n')
        first = True
        for feature in source.getFeatures(request):
            if feedback.isCanceled():
                raise QgsProcessingException("canceled")
            handle.write(("" if first else ",\n") + exporter.exportFeature(feature))
            first = False
        handle.write("\n]}\n")


def export_csv(source, path, feedback):
    """Writes a table without geometry (a CSV or spreadsheet layer) as CSV, header first."""
    names = [field.name() for field in source.fields()]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for feature in source.getFeatures():
            if feedback.isCanceled():
                raise QgsProcessingException("canceled")
            writer.writerow(["" if value is None or value == NULL else value for value in feature.attributes()])


def _attribute(value, kind):
    if value is None:
        return None
    if kind == "json" or (kind == "string" and not isinstance(value, str)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str) else value
    if kind == "real":
        return float(value)
    return value


def _parameter_help(spec):
    parts = [str(spec.get("description") or "").strip()]
    if spec.get("unit"):
        parts.append(f"Unit: {spec['unit']}.")
    if spec.get("choices"):
        parts.append("One of: " + ", ".join(spec["choices"]) + ".")
    low, high = spec.get("minimum"), spec.get("maximum")
    if low is not None or high is not None:
        parts.append(f"Range: {low if low is not None else '−∞'} to {high if high is not None else '∞'}.")
    if spec.get("default") is not None:
        parts.append(f"Default: {spec['default']}.")
    return " ".join(p for p in parts if p)


def _html(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quote(argument):
    return argument if argument and all(c.isalnum() or c in "-_./:,=" for c in argument) else "'" + argument.replace("'", "'\\''") + "'"
