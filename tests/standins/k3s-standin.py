#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the k3s binary, for the k3s role tests only: the Go module proxy does not serve k3s
(github.com/k3s-io/k3s answered 403), and no release can be downloaded here.

It speaks the part of k3s's surface the roles touch, the way k3s does: `--version`; `server` reads
/etc/rancher/k3s/config.yaml, refuses to start without a token, refuses a token other than the one
its data was created with (k3s's "bootstrap data already found and encrypted with different
token"), writes the token file and an admin kubeconfig (0600), reports READY to systemd and runs;
`agent` needs `server` and `token`; `kubectl get node` answers Ready. It runs no Kubernetes."""

import os
import re
import socket
import sys
import time

VERSION = '@VERSION@'
CONFIG = '/etc/rancher/k3s/config.yaml'
TOKEN_FILE = '/var/lib/rancher/k3s/server/token'


def setting(name):
    try:
        with open(CONFIG) as handle:
            found = re.search(r'^%s:\s*"?([^"\n]+)"?\s*$' % re.escape(name), handle.read(), re.M)
    except OSError:
        return None
    return found.group(1).strip() if found else None


def write_private(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as handle:
        handle.write(text)


def ready_and_run():
    path = os.environ.get('NOTIFY_SOCKET')
    if path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.sendto(b'READY=1', '\0' + path[1:] if path.startswith('@') else path)
    with open('/run/k3s-standin-started', 'w') as handle:
        handle.write('%s %s\n' % (VERSION, time.time()))
    while True:
        time.sleep(3600)


def server():
    token = setting('token')
    if not token:
        sys.stderr.write('level=fatal msg="token is required"\n')
        return 1
    if os.path.exists(TOKEN_FILE):
        with open(TOKEN_FILE) as handle:
            if handle.read().strip().split('::server:')[-1] != token:
                sys.stderr.write('level=fatal msg="starting kubernetes: preparing server: bootstrap data already found '
                                 'and encrypted with different token"\n')
                return 1
    else:
        write_private(TOKEN_FILE, 'K10%s::server:%s\n' % ('0' * 64, token))
    write_private('/etc/rancher/k3s/k3s.yaml', KUBECONFIG)
    return ready_and_run()


def agent():
    if not (setting('server') and setting('token')):
        sys.stderr.write('level=fatal msg="--server and --token are required"\n')
        return 1
    return ready_and_run()


def main(argv):
    if argv[1:2] == ['--version']:
        print('k3s version %s (standin)\ngo version go1.24.11' % VERSION)
        return 0
    if argv[1:2] == ['server']:
        return server()
    if argv[1:2] == ['agent']:
        return agent()
    if argv[1:3] == ['kubectl', 'get']:
        print('True', end='')
        return 0
    sys.stderr.write('k3s stand-in: unsupported arguments %s\n' % argv[1:])
    return 2


KUBECONFIG = '''apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: c3RhbmQtaW4=
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
users:
- user:
    client-certificate-data: c3RhbmQtaW4=
    client-key-data: c3RhbmQtaW4=
  name: default
'''

if __name__ == '__main__':
    sys.exit(main(sys.argv))
