#!/usr/bin/env python3
"""ipcsim timeline's three formats, read by the programs people open them with (issue 16).

usage: check_timeline.py IPCSIM

The scenario worked out by hand in hand.yaml and a rendezvous ping-pong are run with --events
and drawn:
- the SVG parses as XML, has the expected lanes, bars and arrows at the expected coordinates,
  and rsvg-convert (librsvg, as GNOME and many viewers use) renders it;
- the Chrome trace is JSON of the trace-event format: each B has its E on its thread, in
  order; each flow start has its finish;
- pj_dump (pajeng) reads the Paje trace and lists the expected containers, states and links.
"""
import json
import pathlib
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

ipcsim = sys.argv[1]
failures = []


def check(holds, message):
    if not holds:
        failures.append(message)
        print("FAIL:", message)


HAND = (pathlib.Path(__file__).parent / "hand.yaml").read_text(encoding="utf-8")

PINGPONG = """name: pingpong
model: {network: {link: {latency: 1ms, bandwidth: 1MB/s}}}
channels:
  pair: {addressing: direct-symmetric, between: [ping, pong], capacity: 0}
processes:
  ping: {host: a, program: [{repeat: 2, do: [{send: {to: pong, size: 1000B}}, {recv: {from: pong}}]}]}
  pong: {host: b, program: [{repeat: 2, do: [{recv: {from: ping}}, {send: {to: ping, size: 1000B}}]}]}
"""


def draw(folder, name, text):
    scenario = folder / f"{name}.yaml"
    scenario.write_text(text, encoding="utf-8")
    events = folder / f"{name}.events.csv"
    subprocess.run([ipcsim, "run", "-q", str(scenario), "-o", str(folder / f"{name}.csv"), "--events", str(events)],
                   check=True)
    outputs = {}
    for extension in ("svg", "json", "paje"):
        outputs[extension] = folder / f"{name}.{extension}"
        subprocess.run([ipcsim, "timeline", str(events), "-o", str(outputs[extension])], check=True,
                       stdout=subprocess.DEVNULL)
    return outputs


SVG = "{http://www.w3.org/2000/svg}"


def svg_checks(path):
    root = ElementTree.parse(path).getroot()
    check(root.tag == SVG + "svg", f"{path}: not an SVG document")
    # The window runs from 0 to 7 ms over 1000 px from x = 170; lanes p and q at y = 82 and 118.
    def x(ms):
        return 170 + 1000 * ms / 7
    bars = {}
    for rect in root.iter(SVG + "rect"):
        if rect.get("class") == "state":
            bars.setdefault(rect.find(SVG + "title").text.split(":")[0], []).append(
                (round(float(rect.get("x")), 2), round(float(rect.get("width")), 2), rect.get("y")))
    expected = {"p": [(round(x(0), 2), round(x(5) - x(0), 2), "75.0"), (round(x(5), 2), round(x(6) - x(5), 2), "75.0")],
                "q": [(round(x(0), 2), round(x(5) - x(0), 2), "111.0"),
                      (round(x(5), 2), round(x(7) - x(5), 2), "111.0")]}
    check(bars == expected, f"{path}: state bars {bars}, expected {expected}")
    arrows = []
    for group in root.iter(SVG + "g"):
        if (group.get("class") or "").startswith("message "):
            line = group.find(SVG + "line")
            arrows.append((group.get("class").split()[1], round(float(line.get("x1")), 2), float(line.get("y1")),
                           round(float(line.get("x2")), 2), float(line.get("y2"))))
    expected_arrows = [("buffered", 170.0, 82.0, round(x(5), 2), 118.0), ("buffered", 170.0, 82.0, round(x(5), 2), 118.0),
                       ("lost", round(x(6), 2), 82.0, round(x(7), 2), 96.4),
                       ("failed", round(x(6), 2), 82.0, round(x(6), 2), 96.4)]
    check(arrows == expected_arrows, f"{path}: arrows {arrows}, expected {expected_arrows}")
    titles = [t.text for t in root.iter(SVG + "title")]
    check("message 3 on box: sent 6 ms, would_block 6 ms" in titles, f"{path}: no title for the failed message")


def render(path):
    png = path.with_suffix(".png")
    result = subprocess.run(["rsvg-convert", str(path), "-o", str(png)], capture_output=True, text=True)
    check(result.returncode == 0 and png.stat().st_size > 1000, f"{path}: rsvg-convert: {result.stderr.strip()}")


def chrome_checks(path):
    trace = json.loads(path.read_text(encoding="utf-8"))
    events = trace["traceEvents"]
    names = {e["tid"]: e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    open_slices, flows = {}, {}
    for e in events:
        check({"ph", "pid"} <= e.keys(), f"{path}: an event without ph or pid: {e}")
        if e["ph"] == "B":
            check(e["tid"] not in open_slices, f"{path}: a B inside another on thread {e['tid']}")
            open_slices[e["tid"]] = e
        elif e["ph"] == "E":
            begin = open_slices.pop(e["tid"], None)
            check(begin is not None and begin["name"] == e["name"] and begin["ts"] <= e["ts"],
                  f"{path}: an E without its B: {e}")
        elif e["ph"] in ("s", "f"):
            flows.setdefault(e["id"], []).append(e["ph"])
    check(not open_slices, f"{path}: B without E: {open_slices}")
    check(all(sorted(phases) == ["f", "s"] for phases in flows.values()), f"{path}: unmatched flows {flows}")
    return names, len(flows)


def paje_checks(path, expected_lines):
    dump = subprocess.run(["pj_dump", str(path)], capture_output=True, text=True)
    check(dump.returncode == 0, f"{path}: pj_dump: {dump.stderr.strip()}")
    lines = {", ".join(part.strip() for part in line.split(",")) for line in dump.stdout.splitlines()}
    for line in expected_lines:
        check(line in lines, f"{path}: pj_dump lists no '{line}'")


with tempfile.TemporaryDirectory() as scratch:
    folder = pathlib.Path(scratch)
    hand = draw(folder, "hand", HAND)
    svg_checks(hand["svg"])
    render(hand["svg"])
    names, flows = chrome_checks(hand["json"])
    check(names == {1: "p", 2: "q"} and flows == 2, f"{hand['json']}: threads {names}, {flows} flows")
    paje_checks(hand["paje"], ["Container, run, Process, 0, 0.007, 0.007, p",
                               "State, p, State, 0.000000, 0.005000, 0.005000, 0.000000, blocked_send",
                               "State, p, State, 0.005000, 0.006000, 0.001000, 0.000000, computing",
                               "State, q, State, 0.000000, 0.005000, 0.005000, 0.000000, sleeping",
                               "State, q, State, 0.005000, 0.007000, 0.002000, 0.000000, waiting_receive",
                               "Link, run, Message, 0.000000, 0.005000, 0.005000, buffered, p, q, m0",
                               "Link, run, Message, 0.000000, 0.005000, 0.005000, buffered, p, q, m1"])
    # Ping-pong at a rendezvous over 1 ms / 1 MB/s: each 1000-byte message takes 2 ms.
    pingpong = draw(folder, "pingpong", PINGPONG)
    render(pingpong["svg"])
    names, flows = chrome_checks(pingpong["json"])
    check(flows == 4, f"{pingpong['json']}: {flows} flows, expected 4")
    paje_checks(pingpong["paje"], ["Link, run, Message, 0.000000, 0.002000, 0.002000, rendezvous, ping, pong, m0",
                                   "Link, run, Message, 0.002000, 0.004000, 0.002000, rendezvous, pong, ping, m1"])

print(f"timeline: SVG, Chrome trace and Paje checked: {len(failures)} failures")
sys.exit(1 if failures else 0)
