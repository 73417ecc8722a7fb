# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for vLLM's OpenAI-compatible server behind the ingress, on loopback over TLS.

It speaks the parts of the protocol the verification uses, the way vLLM does: /health without a key;
/v1/models and /v1/chat/completions only with `Authorization: Bearer <key>` (401 otherwise); a
streamed completion as server-sent events (`data: {chunk}` lines, then `data: [DONE]`)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Behaviour(object):
    def __init__(self, key, model):
        self.key = key
        self.model = model
        self.require_key = True
        self.first_token_delay = 0.05
        self.healthy = True


def make_handler(behaviour):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):  # keep the test output quiet
            pass

        def _json(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self):
            if not behaviour.require_key or self.headers.get('Authorization') == 'Bearer ' + behaviour.key:
                return True
            self._json(401, {'error': 'Unauthorized'})
            return False

        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path == '/health':
                return self._json(200 if behaviour.healthy else 503, {})
            if self.path == '/v1/models':
                if self._authorized():
                    self._json(200, {'object': 'list', 'data': [{'id': behaviour.model, 'object': 'model'}]})
                return None
            return self._json(404, {'error': 'not found'})

        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers.get('Content-Length', 0))) or b'{}')
            if self.path != '/v1/chat/completions':
                return self._json(404, {'error': 'not found'})
            if not self._authorized():
                return None
            if body.get('model') != behaviour.model:
                return self._json(404, {'error': 'The model `%s` does not exist.' % body.get('model')})
            self.send_response(200)
            self.send_header('Content-Type', 'text/event-stream')
            self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            time.sleep(behaviour.first_token_delay)
            for piece in ['O', 'K', '.']:
                self._chunk('data: %s\n\n' % json.dumps({'object': 'chat.completion.chunk', 'model': behaviour.model,
                                                         'choices': [{'index': 0, 'delta': {'content': piece}}]}))
            self._chunk('data: [DONE]\n\n')
            self.wfile.write(b'0\r\n\r\n')
            return None

        def _chunk(self, text):
            data = text.encode()
            self.wfile.write(b'%x\r\n%s\r\n' % (len(data), data))
            self.wfile.flush()

    return Handler


class StandIn(object):
    """HTTPS on 127.0.0.1 with a throwaway CA; `ca_path` verifies it for the name 127.0.0.1."""

    def __init__(self, workdir, key, model):
        self.behaviour = Behaviour(key, model)
        self.ca_path = os.path.join(str(workdir), 'ca.pem')
        cert, pkey = os.path.join(str(workdir), 'server.pem'), os.path.join(str(workdir), 'server.key')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
                        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', pkey, '-out', cert],
                       check=True, capture_output=True)
        with open(cert) as src, open(self.ca_path, 'w') as dst:
            dst.write(src.read())
        self.server = ThreadingHTTPServer(('127.0.0.1', 0), make_handler(self.behaviour))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, pkey)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = 'https://127.0.0.1:%d' % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
