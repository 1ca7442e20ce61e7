#!/usr/bin/env python3
"""ipcsim report's page in a real browser: headless Chromium, driven over the DevTools protocol
(issue 16). Run by ./bootstrap.sh browser.

usage: check_report.py IPCSIM [SCREENSHOT.png]

Three pages are made and opened from their files:
- the run worked out by hand (tests/timeline/hand.yaml, with its events, trace and series);
- a sweep (scenarios/capacity-sweep.yaml: six capacities by two send modes);
- a summary whose every text cell is hostile markup (a script, an image with an event handler).
For each: the page loads with no console message, no exception, no dialog and no request but
its own file and its data: images; every image decodes; the sections, the inline sequence
chart and the process bars are where the hand-worked run puts them; laid out for print (A4),
nothing is wider than the paper, and Chromium prints it to a PDF. The hand-worked page's
screenshot is written to SCREENSHOT.png when given (the README's picture).
"""
import base64
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ipcsim = sys.argv[1]
screenshot_file = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None
failures = []


def check(holds, message):
    if not holds:
        failures.append(message)
        print("FAIL:", message)


class Browser:
    """Chromium with its DevTools protocol on a pipe (fd 3 in, fd 4 out: NUL-ended JSON)."""

    def __init__(self, profile):
        to_browser, self.commands = os.pipe()
        self.replies, from_browser = os.pipe()
        # The pipe ends go to fds 3 and 4 of the child, as --remote-debugging-pipe expects
        # (through copies, in case one of them is 3 or 4 already).
        def child_fds():
            reading, writing = os.dup(to_browser), os.dup(from_browser)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [browser_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--hide-scrollbars", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=child_fds, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def close(self):
        # Browser.close ends every process of it; the group's kill is for a browser that hangs.
        try:
            self.send("Browser.close")
            self.process.wait(timeout=20)
        except (RuntimeError, TimeoutError, OSError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive(deadline=time.monotonic() + 60)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def receive(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self.replies, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method, session, seconds=60):
        deadline = time.monotonic() + seconds
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self.receive(deadline))


def browser_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    sys.exit("check_report: no Chromium found: ./bootstrap.sh browser installs it (apt-get install chromium)")


def open_page(browser, path):
    """Loads the file in a fresh tab; returns the session and what the page reported while loading."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.events.clear()
    browser.send("Page.navigate", {"url": path.as_uri()}, session=session)
    browser.wait_for("Page.loadEventFired", session)
    time.sleep(0.3)  # messages logged just after load
    browser.send("Runtime.evaluate", {"expression": "1"}, session=session)  # flush what is queued
    return session, [e for e in browser.events if e.get("sessionId") == session]


def evaluate(browser, session, expression):
    reply = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
    if "exceptionDetails" in reply:
        raise RuntimeError(f"{expression}: {reply['exceptionDetails']}")
    return reply["result"].get("value")


def check_loaded_cleanly(name, path, events):
    complaints = [e for e in events if e["method"] in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown",
                                                       "Page.javascriptDialogOpening")]
    complaints += [e for e in events if e["method"] == "Log.entryAdded"]
    check(not complaints, f"{name}: the page logged {json.dumps(complaints)[:600]}")
    requests = [e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"]
    others = [url for url in requests if url != path.as_uri() and not url.startswith("data:image/svg+xml;base64,")]
    check(requests and requests[0] == path.as_uri() and not others,
          f"{name}: requests other than its file and its images: {others[:3]}")


IMAGES_DECODED = """Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"""

# Laid out as printed on A4 (794 CSS px less the default margins): nothing sticks out.
PRINT_OVERFLOW = """(() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName + (e.className ? '.' + e.className : '')).slice(0, 5);
})()"""


def check_print(browser, session, name, folder):
    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": 718, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session=session)
    overflowing = evaluate(browser, session, PRINT_OVERFLOW)
    check(overflowing == [], f"{name}: printed on A4, these stick out of the paper: {overflowing}")
    check(evaluate(browser, session, "getComputedStyle(document.querySelector('nav')).display") == "none",
          f"{name}: the navigation is printed")
    browser.send("Emulation.clearDeviceMetricsOverride", session=session)
    browser.send("Emulation.setEmulatedMedia", {"media": ""}, session=session)
    pdf = base64.b64decode(browser.send("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69},
                                        session=session)["data"])
    (folder / f"{name}.pdf").write_bytes(pdf)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    check(pdf.startswith(b"%PDF") and 1 <= pages <= 12, f"{name}: printed to {pages} PDF pages")


def run(arguments):
    subprocess.run([ipcsim, *map(str, arguments)], check=True, stdout=subprocess.DEVNULL)


def hand_page(folder):
    summary = folder / "hand.csv"
    run(["run", "-q", pathlib.Path(__file__).parent.parent / "timeline" / "hand.yaml", "-o", summary, "--events",
         folder / "hand.events.csv", "--trace", folder / "hand.trace.csv", "--series", "1ms"])
    run(["report", summary, "--events", folder / "hand.events.csv", "--trace", folder / "hand.trace.csv"])
    return folder / "hand.html"


def sweep_page(folder):
    scenario = pathlib.Path(__file__).parent.parent.parent / "scenarios" / "capacity-sweep.yaml"
    run(["run", "-q", scenario, "-o", folder / "sweep.csv", "--series", "100ms"])
    run(["report", folder / "sweep.csv"])
    return folder / "sweep.html"


EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)><style>body{display:none}</style>"


def hostile_page(folder):
    cell = '"' + EVIL.replace('"', '""') + '"'
    header = ("scenario,point,sweep_points,seed,model,stop_reason,messages_sent,messages_delivered,messages_failed,"
              "messages_lost,deadlock,scenario_file,overrides,ipcsim_version")
    row = f"{cell},1,1,7,{cell},{cell},1,1,0,0,{cell},{cell},{cell},{cell}"
    (folder / "evil.csv").write_text(header + "\n" + row + "\n", encoding="utf-8")
    (folder / "evil.events.csv").write_text(
        f"time_s,process,kind,channel,message,detail\n0,{cell},start,,,\n0,{cell},send_call,{cell},0,10\n",
        encoding="utf-8")
    run(["report", folder / "evil.csv", "--events", folder / "evil.events.csv"])
    return folder / "evil.html"


def check_hand(browser, session):
    sections = evaluate(browser, session, "Array.from(document.querySelectorAll('section')).map(s => s.id)")
    check(sections == ["outcome", "channels", "processes", "series", "latency", "sequence", "columns"],
          f"hand: sections {sections}")
    check(evaluate(browser, session, "document.querySelectorAll('section svg').length") == 1,
          "hand: the sequence chart is not inline")
    check(evaluate(browser, session, "document.querySelectorAll('svg g.message').length") == 4,
          "hand: the chart does not draw the 4 messages")
    check(evaluate(browser, session, "document.images.length") == 2, "hand: not 2 plots (series, latency)")
    # q waits in receives 2 ms of the run's 7 and sleeps 5: its bar's spans as laid out.
    widths = evaluate(browser, session, """Array.from(document.querySelectorAll('#processes tbody tr')[1]
        .querySelectorAll('.shares span')).map(s => s.getBoundingClientRect().width)""")
    check(len(widths) == 2 and abs(widths[0] - 260 * 2 / 7) < 1.5 and abs(widths[1] - 260 * 5 / 7) < 1.5,
          f"hand: q's bar is {widths}, expected {260 * 2 / 7:.1f} (receiving) and {260 * 5 / 7:.1f} px (sleeping)")
    text = evaluate(browser, session, "document.querySelector('#outcome').innerText")
    check("Every message is accounted for: 4 sent = 2 delivered + 1 failed + 1 lost." in text,
          "hand: the accounting line")


def check_sweep(browser, session):
    rows = evaluate(browser, session, "document.querySelectorAll('#outcome tbody tr').length")
    check(rows == 12, f"sweep: {rows} rows, expected one per point (12)")
    check(evaluate(browser, session, "document.images.length") == 2, "sweep: not 2 plots (the sweep, the series)")


def check_hostile(browser, session):
    check(evaluate(browser, session, "document.images.length") == 0, "hostile: an <img> from the CSV was made")
    check(evaluate(browser, session, "document.querySelectorAll('body script, body style').length") == 0,
          "hostile: a <script> or <style> from the CSV was made")
    check(EVIL in evaluate(browser, session, "document.querySelector('h1').textContent"),
          "hostile: the name is not shown as the text it is")
    check(evaluate(browser, session, "getComputedStyle(document.body).display") == "block", "hostile: body hidden")


def main():
    with tempfile.TemporaryDirectory() as temporary:
        folder = pathlib.Path(temporary)
        pages = [("hand", hand_page(folder), check_hand), ("sweep", sweep_page(folder), check_sweep),
                 ("hostile", hostile_page(folder), check_hostile)]
        browser = Browser(folder / "profile")
        try:
            for name, path, specific in pages:
                session, events = open_page(browser, path)
                check_loaded_cleanly(name, path, events)
                check(evaluate(browser, session, IMAGES_DECODED), f"{name}: an image does not decode")
                specific(browser, session)
                if name == "hand":
                    browser.send("Emulation.setDeviceMetricsOverride",
                                 {"width": 1100, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                                 session=session)
                    shot = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png",
                                                         "captureBeyondViewport": True}, session=session)["data"])
                    browser.send("Emulation.clearDeviceMetricsOverride", session=session)
                    check(shot.startswith(b"\x89PNG") and len(shot) > 50_000, f"hand: screenshot of {len(shot)} bytes")
                    if screenshot_file:
                        screenshot_file.write_bytes(shot)
                check_print(browser, session, name, folder)
        finally:
            browser.close()
    if failures:
        sys.exit(f"check_report: {len(failures)} failure(s)")
    print(f"check_report: {len(pages)} pages loaded in Chromium without a message, their images decoded, laid "
          "out as worked out, printed to PDF")


main()
