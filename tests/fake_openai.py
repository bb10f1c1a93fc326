"""A scripted OpenAI-compatible server on 127.0.0.1 for fault injection.

Each request to ``/v1/chat/completions`` takes the next behaviour from a script; when the
script is used up, the last behaviour repeats. Behaviours: ``("ok", content)``,
``("length", content)`` (finish_reason "length"), ``("status", code)``, ``("sleep", seconds)``.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["FakeOpenAI"]


class FakeOpenAI:
    def __init__(self, script: list[tuple]):
        self.script = list(script)
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                kind, value = fake.script[min(len(fake.requests), len(fake.script)) - 1]
                if kind == "sleep":
                    time.sleep(value)
                    kind, value = "ok", "{}"
                if kind == "status":
                    payload = json.dumps({"error": {"message": f"scripted {value}", "type": "fake"}})
                    self.send_response(value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(payload.encode())
                    return
                response = {
                    "id": f"fake-{len(fake.requests)}",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": value},
                                 "finish_reason": "length" if kind == "length" else "stop"}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                }
                payload = json.dumps(response).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
