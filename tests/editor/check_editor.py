#!/usr/bin/env python3
"""The schema in a real editor's language server (./bootstrap.sh editor).

usage: check_editor.py SERVER SOURCE_DIR

Talks the Language Server Protocol to yaml-language-server, which VS Code's YAML extension
and Neovim run, as an editor does: opens each shipped scenario and model (no diagnostic
allowed: their first line names the schema, which the server must find and read), opens
tests/editor/mistakes.yaml (a diagnostic on each line it expects, none elsewhere), hovers
over a key (its documentation from the format's tables) and asks for completion inside a
channel (its keys).
"""
import json
import os
import pathlib
import subprocess
import sys

server_path, source = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


class Server:
    def __init__(self):
        self.process = subprocess.Popen(["node", server_path, "--stdio"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.settings = {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False}}

    def send(self, message):
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the language server stopped")
            line = line.decode().strip()
            if not line:
                break
            name, value = line.split(":", 1)
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def wait_for(self, wanted):
        """Messages until one that `wanted` accepts, answering the server's own requests."""
        while True:
            message = self.receive()
            if message.get("method") == "workspace/configuration":
                self.send({"id": message["id"], "result": [self.settings for _ in message["params"]["items"]]})
            elif "id" in message and "method" in message:
                self.send({"id": message["id"], "result": None})
            elif wanted(message):
                return message

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait_for(lambda m: m.get("id") == self.next_id and "method" not in m).get("result")

    def open(self, uri, text):
        """The diagnostics the server publishes for a document opened with `text`."""
        self.send({"method": "textDocument/didOpen",
                   "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
        message = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == uri)
        return message["params"]["diagnostics"]


server = Server()
server.request("initialize", {"processId": os.getpid(), "rootUri": source.as_uri(),
                              "capabilities": {"workspace": {"configuration": True},
                                               "textDocument": {"hover": {"contentFormat": ["plaintext"]}}}})
server.send({"method": "initialized", "params": {}})
server.send({"method": "workspace/didChangeConfiguration", "params": {"settings": {"yaml": server.settings}}})

shipped = sorted((source / "scenarios").rglob("*.yaml")) + sorted((source / "models").glob("*.yaml"))
for path in shipped:
    for diagnostic in server.open(path.as_uri(), path.read_text(encoding="utf-8")):
        fail(f"{path}:{diagnostic['range']['start']['line'] + 1}: {diagnostic['message']}")

# Each mistake's line and part of what the server says there.
expected = {6: "capactiy", 7: "receivers", 8: "Valid values: \"direct-symmetric\"", 12: "Incorrect type", 13: "timeout",
            14: "pattern", 16: "minimum", 18: "Valid values: \"blocking\""}
mistakes = source / "tests" / "editor" / "mistakes.yaml"
found = {}
for diagnostic in server.open(mistakes.as_uri(), mistakes.read_text(encoding="utf-8")):
    found.setdefault(diagnostic["range"]["start"]["line"] + 1, []).append(diagnostic["message"])
for line, part in expected.items():
    if not any(part.lower() in message.lower() for message in found.get(line, [])):
        fail(f"{mistakes}:{line}: expected a diagnostic mentioning '{part}', found {found.get(line, [])}")
for line in sorted(set(found) - set(expected)):
    fail(f"{mistakes}:{line}: an unexpected diagnostic: {found[line]}")

# Hover over `capacity` in a shipped scenario: the key's documentation.
scenario = source / "scenarios" / "bounded-buffer.yaml"
lines = scenario.read_text(encoding="utf-8").splitlines()
row = next(i for i, text in enumerate(lines) if "capacity:" in text)
hover = server.request("textDocument/hover", {"textDocument": {"uri": scenario.as_uri()},
                                              "position": {"line": row, "character": lines[row].index("capacity") + 2}})
contents = json.dumps(hover["contents"]) if hover else ""
if "Messages the buffer holds" not in contents:
    fail(f"hover over capacity in {scenario}: expected its documentation, found {contents[:200]}")

# Completion inside a channel: its keys.
draft = source / "tests" / "editor" / "draft.yaml"  # never written: the editor's unsaved buffer
server.open(draft.as_uri(), "# yaml-language-server: $schema=../../schema/scenario.schema.json\n"
                            "channels:\n  jobs:\n    \nprocesses: {p: {program: []}}\n")
completion = server.request("textDocument/completion", {"textDocument": {"uri": draft.as_uri()},
                                                        "position": {"line": 3, "character": 4}})
items = completion["items"] if isinstance(completion, dict) else (completion or [])
labels = {item["label"] for item in items}
for key in ("addressing", "capacity", "full", "receivers", "owner", "sender_buffer"):
    if key not in labels:
        fail(f"completion inside a channel: expected {key}, offered {sorted(labels)}")

server.process.kill()
print(f"yaml-language-server: {len(shipped)} shipped files clean, {len(expected)} mistakes underlined, hover and "
      f"completion: {len(failures)} failures")
sys.exit(1 if failures else 0)
