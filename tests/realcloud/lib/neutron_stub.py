"""Neutron stand-in: every collection is empty. Nova needs a network endpoint even for a server booted
with "networks": "none" (delete lists its ports)."""
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split('?')[0].rstrip('/')
        m = re.match(r'^(?:/v2\.0)?/([a-z_-]+)$', path)
        if path == '':
            return self._send(200, {'versions': [{'id': 'v2.0', 'status': 'CURRENT'}]})
        if m:
            return self._send(200, {m.group(1).replace('-', '_'): []})
        self._send(404, {'NeutronError': {'message': 'not found'}})

    def do_POST(self):
        self._send(400, {'NeutronError': {'message': 'neutron stub: read-only'}})

    do_PUT = do_DELETE = do_POST

    def log_message(self, *args):
        pass


ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
