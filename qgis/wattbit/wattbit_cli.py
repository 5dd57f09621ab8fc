"""Talking to the `wattbit` command: finding it, listing and describing planners, running one.

No QGIS here, so this part runs (and is read) without QGIS. The provider builds its
algorithms from what `wattbit list --json` and `wattbit describe NAME --json` say
(docs/plugin-protocol.md, docs/manifest.schema.json), as QGIS builds its GRASS and SAGA
algorithms from description files.
"""

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

# Seconds `list`/`describe` may take (describe answers within a few seconds by the protocol;
# `list` describes every planner, concurrently).
LIST_TIMEOUT_S = 60
# After a cancel: SIGTERM to wattbit's process group (wattbit passes it on to the planner's
# own group), then SIGKILL when it has not exited within this many seconds.
CANCEL_GRACE_S = 5
ENV_EXECUTABLE = "WATTBIT_EXECUTABLE"
PATH_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wattbit_path.txt")


class WattBitError(Exception):
    """A failure with the one line a user should read (the planner's own message if it gave one)."""


def find_wattbit(configured=""):
    """The wattbit executable: the provider setting, $WATTBIT_EXECUTABLE, the path that
    `make install WITH_QGIS=1` wrote beside this plugin, then $PATH. None when not found."""
    candidates = [configured, os.environ.get(ENV_EXECUTABLE, "")]
    try:
        with open(PATH_FILE, encoding="utf-8") as handle:
            candidates.append(handle.read().strip())
    except OSError:
        pass
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("wattbit")


def _run_json(argv):
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=LIST_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise WattBitError(f"{' '.join(argv)} did not answer within {LIST_TIMEOUT_S} s")
    except OSError as error:
        raise WattBitError(f"cannot run {argv[0]}: {error.strerror}")
    if done.returncode != 0:
        raise WattBitError(last_line(done.stderr.decode("utf-8", "replace"))
                           or f"{' '.join(argv)} exited {done.returncode}")
    try:
        return json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WattBitError(f"{' '.join(argv)}: not JSON ({error})")


def list_planners(wattbit):
    """[(name, manifest)] of every usable planner wattbit finds, sorted by name. Planners
    that fail to describe are left out (`wattbit list` says why); returns also their reasons."""
    rows = _run_json([wattbit, "list", "--json"])
    names, problems = [], []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict) or row.get("status") != "ok" or not row.get("name"):
            if isinstance(row, dict) and row.get("status") == "broken":
                problems.append(f"{row.get('name')}: {row.get('reason')}")
            continue
        names.append(row["name"])

    def describe(name):
        try:
            return name, _run_json([wattbit, "describe", name, "--json"]), None
        except WattBitError as error:
            return name, None, f"{name}: {error}"

    # Describe concurrently: QGIS (and every qgis_process call) waits for this at start-up.
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(describe, names))
    planners = []
    for name, manifest, problem in answers:
        if problem:
            problems.append(problem)
        elif isinstance(manifest, dict):
            planners.append((name, manifest))
    return sorted(planners, key=lambda item: item[0]), problems


def last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def run_planner(wattbit, name, arguments, on_progress=None, on_message=None, is_canceled=None):
    """Runs `wattbit NAME ARGUMENTS… --progress json` and waits.

    stderr is read line by line: `{"progress": p, "stage": s}` calls on_progress(p, s),
    `{"warning": w}` and any other line call on_message(text, is_warning). is_canceled() is
    polled; when it turns true the process group gets SIGTERM (wattbit passes it on to the
    planner's own group), then SIGKILL after CANCEL_GRACE_S, and WattBitError("canceled")
    is raised. A non-zero exit raises WattBitError with the planner's one-line error.
    """
    argv = [wattbit, name] + list(arguments) + ["--progress", "json"]
    try:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, start_new_session=True)
    except OSError as error:
        raise WattBitError(f"cannot run {wattbit}: {error.strerror}")
    messages, errors = [], []

    def read_stderr():
        for raw in process.stderr:
            text = raw.decode("utf-8", "replace").rstrip("\n")
            if not text.strip():
                continue
            event = None
            if text.startswith("{"):
                try:
                    event = json.loads(text)
                except json.JSONDecodeError:
                    event = None
            if isinstance(event, dict) and isinstance(event.get("progress"), (int, float)):
                if on_progress:
                    on_progress(float(event["progress"]), str(event.get("stage") or ""))
            elif isinstance(event, dict) and "warning" in event:
                if on_message:
                    on_message(str(event["warning"]), True)
            elif isinstance(event, dict) and "error" in event:
                # The planner's one-line error, as --progress json delivers it.
                line = f"wattbit-{name}: error: {event['error']}"
                errors.append(line)
                if on_message:
                    on_message(line, False)
            elif isinstance(event, dict):
                # Other events (`{"summary": …}`) are information, never the error line.
                if on_message:
                    on_message("; ".join(f"{key}: {value}" for key, value in event.items()), False)
            else:
                messages.append(text)
                if on_message:
                    on_message(text, False)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    canceled = False
    while process.poll() is None:
        if not canceled and is_canceled is not None and is_canceled():
            canceled = True
            _signal_group(process.pid, signal.SIGTERM)
            deadline = time.monotonic() + CANCEL_GRACE_S
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if process.poll() is None:
                _signal_group(process.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    process.wait()
    reader.join(timeout=5)
    if canceled:
        raise WattBitError(f"wattbit {name}: canceled")
    if process.returncode != 0:
        final = errors or messages
        raise WattBitError(final[-1] if final else f"wattbit {name} exited {process.returncode}")
    return messages


def _signal_group(pid, signal_number):
    try:
        os.killpg(pid, signal_number)
    except (ProcessLookupError, PermissionError):
        pass


def flag(name):
    """The command-line spelling of a manifest name: max_rtt_ms -> --max-rtt-ms."""
    return "--" + name.replace("_", "-")


def number_text(value, integer):
    if integer:
        return str(int(round(value)))
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def features_by_role(path):
    """The features of a planner's GeoJSON output (a FeatureCollection or an RFC 8142
    sequence), grouped by their `role` property ("" when absent), in output order."""
    with open(path, "rb") as handle:
        data = handle.read().decode("utf-8")
    if data.lstrip().startswith("\x1e") or "\x1e" in data[:2]:
        features = [json.loads(record) for record in data.split("\x1e") if record.strip()]
    else:
        document = json.loads(data)
        if document.get("type") == "FeatureCollection":
            features = document.get("features") or []
        elif document.get("type") == "Feature":
            features = [document]
        else:
            features = []
    groups = {}
    for feature in features:
        properties = feature.get("properties") or {}
        groups.setdefault(str(properties.get("role") or ""), []).append(feature)
    return groups


def field_types(features):
    """[(name, kind)] over the features' properties in order of first appearance; kind is
    'integer', 'real', 'boolean', 'string' or 'json' (arrays and objects, written as JSON
    text), the widest that holds every non-null value."""
    order, kinds = [], {}
    for feature in features:
        for key, value in (feature.get("properties") or {}).items():
            if key not in kinds:
                order.append(key)
                kinds[key] = None
            if value is None:
                continue
            if isinstance(value, bool):
                kind = "boolean"
            elif isinstance(value, int):
                kind = "integer"
            elif isinstance(value, float):
                kind = "real"
            elif isinstance(value, str):
                kind = "string"
            else:
                kind = "json"
            previous = kinds[key]
            if previous is None or previous == kind:
                kinds[key] = kind
            elif {previous, kind} == {"integer", "real"}:
                kinds[key] = "real"
            else:
                kinds[key] = "string"
    return [(key, kinds[key] or "string") for key in order]
