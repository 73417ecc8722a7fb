# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real Kubernetes API server (kube-apiserver + etcd built from pinned Go modules) on loopback.

Seam: no kubelets or controllers run here; the API server validates and stores every object for
real, tests write node status themselves the way a kubelet would, and a real kube-scheduler can be
started to place pods on those nodes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import secrets
import socket
import ssl
import subprocess
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def ready(url, token, timeout=90):
    import urllib.request
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            request = urllib.request.Request(url + '/readyz', headers={'Authorization': 'Bearer ' + token})
            with urllib.request.urlopen(request, context=context, timeout=5) as response:
                if response.status == 200:
                    return True
        except Exception:  # pylint: disable=broad-except
            time.sleep(1)
    return False


class ControlPlane(object):
    def __init__(self, workdir):
        self.workdir = str(workdir)
        self.token = secrets.token_hex(16)
        self.processes = []
        self.named = []
        self.port = free_port()
        self.url = 'https://127.0.0.1:%d' % self.port
        self.kubeconfig = os.path.join(self.workdir, 'kubeconfig')

    def start(self):
        build = subprocess.run([os.path.join(REPO, 'tests', 'harness', 'build-control-plane.sh')], check=True,
                               capture_output=True, text=True)
        self.bindir = bindir = build.stdout.strip().splitlines()[-1]
        etcd_port, peer_port = free_port(), free_port()
        data = os.path.join(self.workdir, 'etcd')
        self._spawn('etcd', [os.path.join(bindir, 'etcd'), '--name', 'harness', '--data-dir', data,
                             '--listen-client-urls', 'http://127.0.0.1:%d' % etcd_port,
                             '--advertise-client-urls', 'http://127.0.0.1:%d' % etcd_port,
                             '--listen-peer-urls', 'http://127.0.0.1:%d' % peer_port,
                             '--initial-advertise-peer-urls', 'http://127.0.0.1:%d' % peer_port,
                             '--initial-cluster', 'harness=http://127.0.0.1:%d' % peer_port])
        key = os.path.join(self.workdir, 'sa.key')
        subprocess.run(['openssl', 'genrsa', '-out', key, '2048'], check=True, capture_output=True)
        subprocess.run(['openssl', 'rsa', '-in', key, '-pubout', '-out', key + '.pub'], check=True, capture_output=True)
        tokens = os.path.join(self.workdir, 'tokens.csv')
        with open(os.open(tokens, os.O_WRONLY | os.O_CREAT, 0o600), 'w') as handle:
            handle.write('%s,harness-admin,harness-admin,"system:masters"\n' % self.token)
        self._spawn('kube-apiserver', [
            os.path.join(bindir, 'kube-apiserver'), '--etcd-servers', 'http://127.0.0.1:%d' % etcd_port,
            '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--secure-port', str(self.port),
            '--cert-dir', os.path.join(self.workdir, 'certs'), '--token-auth-file', tokens,
            '--authorization-mode', 'RBAC', '--service-cluster-ip-range', '10.43.0.0/16',
            '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
            '--service-account-key-file', key + '.pub', '--service-account-signing-key-file', key,
            '--allow-privileged=true', '--disable-admission-plugins', 'ServiceAccount'])
        if not ready(self.url, self.token):
            self.stop()
            with open(os.path.join(self.workdir, 'kube-apiserver.log')) as handle:
                raise RuntimeError('kube-apiserver did not become ready:\n' + handle.read()[-3000:])
        with open(os.open(self.kubeconfig, os.O_WRONLY | os.O_CREAT, 0o600), 'w') as handle:
            handle.write(KUBECONFIG % {'url': self.url, 'token': self.token})
        return self

    def start_scheduler(self):
        """Start the real kube-scheduler (once) against this API server."""
        if 'kube-scheduler' in dict(self.named):
            return self
        self._spawn('kube-scheduler', [
            os.path.join(self.bindir, 'kube-scheduler'), '--kubeconfig', self.kubeconfig,
            '--authentication-kubeconfig', self.kubeconfig, '--authorization-kubeconfig', self.kubeconfig,
            '--leader-elect=false', '--bind-address', '127.0.0.1', '--secure-port', str(free_port())])
        return self

    def _spawn(self, name, argv):
        log = open(os.path.join(self.workdir, name + '.log'), 'w')
        self.processes.append(subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT))
        self.named.append((name, self.processes[-1]))

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


KUBECONFIG = '''apiVersion: v1
kind: Config
clusters:
  - name: harness
    cluster:
      server: %(url)s
      insecure-skip-tls-verify: true
users:
  - name: harness-admin
    user:
      token: %(token)s
contexts:
  - name: harness
    context:
      cluster: harness
      user: harness-admin
current-context: harness
'''
