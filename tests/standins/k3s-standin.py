#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the k3s binary, for tests only: the Go module proxy does not serve k3s
(github.com/k3s-io/k3s answered 403), and no release can be downloaded here.

It speaks the part of k3s's surface the roles touch, the way k3s does: `--version`; `server` reads
/etc/rancher/k3s/config.yaml, refuses to start without a token, refuses a token other than the one
its data was created with (k3s's "bootstrap data already found and encrypted with different
token"), writes the token file and an admin kubeconfig (0600), reports READY to systemd and runs;
`agent` needs `server` and `token`, and a token the server accepts; `kubectl` runs kubectl.

Alone (molecule/k3s) it runs no Kubernetes. In the lab (tests/lab), where the real components
built from k8s.io/kubernetes are mounted at /opt/llmops-lab, it runs a real node with them as k3s
does in-process (the kubelet of this release's version, the control plane of the lab's current
one): a server runs etcd, kube-apiserver, kube-controller-manager and kube-scheduler (a server with
`server:` joins the first one's etcd), every node runs containerd (Debian's) and the kubelet,
registered with the config's node-ip, node-label and node-taint. What it does not do like k3s: no
flannel (a bridge CNI config makes the runtime report its network ready), no kube-proxy, CoreDNS or
Traefik, and HelmCharts only get their charts' CRDs applied (tests/lab/helm-controller-standin.py),
since no image can be pulled here."""

import base64
import ctypes
import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

VERSION = '@VERSION@'
CONFIG = '/etc/rancher/k3s/config.yaml'
DATA = '/var/lib/rancher/k3s'
TOKEN_FILE = DATA + '/server/token'
KUBECONFIG_FILE = '/etc/rancher/k3s/k3s.yaml'
LAB = '/opt/llmops-lab'
CONTAINERD_SOCKET = '/run/k3s/containerd/containerd.sock'
KUBELET_TUNABLES = {'vm/overcommit_memory': '1', 'vm/panic_on_oom': '0', 'kernel/panic': '10',
                    'kernel/panic_on_oops': '1', 'kernel/keys/root_maxkeys': '1000000',
                    'kernel/keys/root_maxbytes': '25000000'}


def settings():
    """config.yaml as the roles write it (to_nice_yaml: scalars and block lists at top level)."""
    found, key = {}, None
    try:
        with open(CONFIG) as handle:
            lines = handle.read().splitlines()
    except OSError:
        return found
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            continue
        if stripped.startswith('- ') and key:
            found.setdefault(key, []).append(unquote(stripped[2:]))
        elif ':' in line and not line[0].isspace():
            key, value = line.split(':', 1)
            found[key] = unquote(value) if value.strip() else []
    return found


def unquote(value):
    value = value.strip()
    if len(value) > 1 and value[0] == value[-1] and value[0] in '\'"':
        value = value[1:-1]
    return {'true': True, 'false': False}.get(value, value)


def as_list(value):
    return value if isinstance(value, list) else [value] if value else []


def write_private(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as handle:
        handle.write(text)


def read(path):
    with open(path) as handle:
        return handle.read().strip()


def notify_ready():
    path = os.environ.get('NOTIFY_SOCKET')
    if path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.sendto(b'READY=1', '\0' + path[1:] if path.startswith('@') else path)
    with open('/run/k3s-standin-started', 'w') as handle:
        handle.write('%s %s\n' % (VERSION, time.time()))


def idle():
    notify_ready()
    while True:
        time.sleep(3600)


def fatal(message):
    sys.stderr.write('level=fatal msg="%s"\n' % message)
    return 1


def lab():
    return os.path.isfile(os.path.join(LAB, 'bin', 'kubelet'))


def server():
    config = settings()
    token = config.get('token')
    if not token:
        return fatal('token is required')
    if os.path.exists(TOKEN_FILE):
        if read(TOKEN_FILE).split('::server:')[-1] != token:
            return fatal('starting kubernetes: preparing server: bootstrap data already found and encrypted with '
                         'different token')
    else:
        write_private(TOKEN_FILE, 'K10%s::server:%s\n' % ('0' * 64, token))
    if not lab():
        write_private(KUBECONFIG_FILE, KUBECONFIG % {'url': 'https://127.0.0.1:6443', 'token': 'c3RhbmQtaW4='})
        return idle()
    return Node(config, server=True).run()


def agent():
    config = settings()
    if not (config.get('server') and config.get('token')):
        return fatal('--server and --token are required')
    if not lab():
        return idle()
    try:
        api(config['server'], config['token'], '/version')
    except urllib.error.HTTPError as error:
        return fatal('failed to get CA certs: %s (token rejected by %s)' % (error, config['server']))
    except OSError as error:
        return fatal('failed to contact server %s: %s' % (config['server'], error))
    return Node(config, server=False).run()


def api(url, token, path):
    """GET from an API server with a bearer token (the lab's serving certificates are self-signed)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(url + path, headers={'Authorization': 'Bearer ' + token})
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        text = response.read().decode()
        return json.loads(text) if response.headers.get_content_type() == 'application/json' else text


def die_with_parent():
    ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Node(object):
    """One k3s node: the control plane on servers, containerd and the kubelet everywhere."""

    def __init__(self, config, server):
        self.config = config
        self.server = server
        self.name = config.get('node-name') or socket.gethostname()
        self.ip = config.get('node-ip') or socket.gethostbyname(socket.gethostname())
        # Servers' kubelets use their own API server; a joining server asks the one in `server` to join.
        self.url = 'https://127.0.0.1:6443' if server else config['server']
        self.join = config.get('server') if server else None
        self.children = []

    def spawn(self, name, argv):
        log = open('/var/log/k3s-%s.log' % name, 'ab')
        env = dict(os.environ)
        env.pop('NOTIFY_SOCKET', None)
        child = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env, preexec_fn=die_with_parent)
        self.children.append((name, child))

    def run(self):
        signal.signal(signal.SIGTERM, self.stop)
        try:
            if self.server:
                self.start_control_plane()
            self.start_node()
        except (Exception, SystemExit):  # pylint: disable=broad-except
            # Like k3s, nothing of a failed start keeps running (the unit's KillMode=process spares children).
            for dummy, child in self.children:
                child.kill()
            raise
        notify_ready()
        while True:
            self.check_children()
            if self.server:
                self.label_new_nodes()
            time.sleep(5)

    def check_children(self):
        for name, child in self.children:
            if child.poll() is not None:
                sys.stderr.write('level=error msg="%s exited with %s, see /var/log/k3s-%s.log"\n'
                                 % (name, child.returncode, name))
                self.stop()

    def stop(self, *unused):
        for dummy, child in reversed(self.children):
            child.terminate()
        for dummy, child in self.children:
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(0 if unused else 1)

    def bin(self, name):
        return os.path.join(LAB, 'bin', name)

    def start_control_plane(self):
        tls, cred = DATA + '/server/tls', DATA + '/server/cred'
        os.makedirs(tls, exist_ok=True)
        if self.join and not os.path.exists(tls + '/service.key'):
            self.fetch_bootstrap(tls, cred)
        if not os.path.exists(tls + '/service.key'):
            subprocess.run(['openssl', 'ecparam', '-name', 'prime256v1', '-genkey', '-noout',
                            '-out', tls + '/service.key'], check=True)
            subprocess.run(['openssl', 'ec', '-in', tls + '/service.key', '-pubout', '-out', tls + '/service.pub'],
                           check=True, capture_output=True)
        if not os.path.exists(cred + '/admin.token'):
            write_private(cred + '/admin.token', secrets.token_hex(32))
        admin = read(cred + '/admin.token')
        write_private(cred + '/tokens.csv', '%s,system:admin,system:admin,"system:masters"\n'
                      '%s,k3s-node,k3s-node,"system:masters"\n' % (admin, self.config['token']))
        write_private(KUBECONFIG_FILE, KUBECONFIG % {'url': 'https://127.0.0.1:6443', 'token': admin})
        self.start_etcd()
        self.spawn('kube-apiserver', [
            self.bin('kube-apiserver'), '--etcd-servers', 'http://127.0.0.1:2379', '--secure-port', '6443',
            '--advertise-address', self.ip, '--cert-dir', tls + '/serving', '--token-auth-file', cred + '/tokens.csv',
            '--authorization-mode', 'RBAC', '--service-cluster-ip-range', '10.43.0.0/16',
            '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
            '--service-account-key-file', tls + '/service.pub',
            '--service-account-signing-key-file', tls + '/service.key', '--allow-privileged=true',
            '--anonymous-auth=false', '--profiling=false'])
        self.wait_api(admin)
        for name, argv in (('kube-controller-manager', [
                '--service-account-private-key-file', tls + '/service.key', '--use-service-account-credentials=false',
                '--allocate-node-cidrs=true', '--cluster-cidr', '10.42.0.0/16',
                '--service-cluster-ip-range', '10.43.0.0/16']), ('kube-scheduler', [])):
            self.spawn(name, [self.bin(name), '--kubeconfig', KUBECONFIG_FILE, '--leader-elect=true',
                              '--authentication-kubeconfig', KUBECONFIG_FILE,
                              '--authorization-kubeconfig', KUBECONFIG_FILE, '--bind-address', '127.0.0.1'] + argv)
        if self.join:
            return
        self.store_bootstrap(tls, cred)
        # k3s ships its helm-controller's CRDs (HelmChart, HelmChartConfig) and Traefik's.
        self.kubectl('apply', '--server-side', '--force-conflicts', '-f', os.path.join(LAB, 'crds', 'k3s'))
        self.spawn('helm-controller', [sys.executable, os.path.join(LAB, 'helm-controller-standin.py'),
                                       KUBECONFIG_FILE, os.path.join(LAB, 'crds')])

    # k3s keeps the cluster's shared keys as bootstrap data in its datastore, encrypted with the token,
    # and hands them to joining servers that present the token. Here: a Secret only the token can read.
    BOOTSTRAP = '/api/v1/namespaces/kube-system/secrets/k3s-lab-bootstrap'

    def store_bootstrap(self, tls, cred):
        files = {'service.key': tls + '/service.key', 'service.pub': tls + '/service.pub',
                 'admin.token': cred + '/admin.token'}
        secret = {'apiVersion': 'v1', 'kind': 'Secret', 'metadata': {'name': 'k3s-lab-bootstrap', 'namespace': 'kube-system'},
                  'data': {key: base64.b64encode(open(path, 'rb').read()).decode() for key, path in files.items()}}
        subprocess.run([self.bin('kubectl'), '--kubeconfig', KUBECONFIG_FILE, 'apply', '-f', '-'],
                       input=json.dumps(secret), text=True, capture_output=True, check=True)

    def fetch_bootstrap(self, tls, cred):
        try:
            data = api(self.join, self.config['token'], self.BOOTSTRAP)['data']
        except urllib.error.HTTPError as error:
            raise SystemExit(fatal('failed to get bootstrap data from %s: %s (token rejected?)' % (self.join, error)))
        except OSError as error:
            raise SystemExit(fatal('failed to contact server %s: %s' % (self.join, error)))
        for key, path in (('service.key', tls + '/service.key'), ('service.pub', tls + '/service.pub'),
                          ('admin.token', cred + '/admin.token')):
            write_private(path, base64.b64decode(data[key]).decode())

    def start_etcd(self):
        db = DATA + '/server/db/etcd'
        peer = 'http://%s:2380' % self.ip
        argv = [self.bin('etcd'), '--name', self.name, '--data-dir', db,
                '--listen-client-urls', 'http://127.0.0.1:2379,http://%s:2379' % self.ip,
                '--advertise-client-urls', 'http://%s:2379' % self.ip,
                '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer]
        if os.path.isdir(db + '/member'):
            pass  # a member already: etcd knows its cluster from its data
        elif self.join:
            argv += ['--initial-cluster', self.join_etcd(peer), '--initial-cluster-state', 'existing']
        else:
            argv += ['--initial-cluster', '%s=%s' % (self.name, peer)]
        self.spawn('etcd', argv)

    def join_etcd(self, peer):
        """Become an etcd member through the first server's etcd gateway (k3s does it over its supervisor)."""
        gateway = 'http://%s:2379/v3/cluster/member/' % urllib.parse.urlparse(self.join).hostname

        def call(verb, body):
            request = urllib.request.Request(gateway + verb, data=json.dumps(body).encode(), method='POST')
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())['members']

        members = call('list', {})
        if not any(peer in member.get('peerURLs', []) for member in members):
            members = call('add', {'peerURLs': [peer]})
        return ','.join('%s=%s' % (member.get('name') or self.name, member['peerURLs'][0]) for member in members)

    def wait_api(self, token, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                api('https://127.0.0.1:6443', token, '/readyz')
                return
            except OSError:
                self.check_children()
                time.sleep(1)
        raise SystemExit(fatal('kube-apiserver not ready after %d s' % timeout))

    def kubectl(self, *args):
        return subprocess.run([self.bin('kubectl'), '--kubeconfig', KUBECONFIG_FILE] + list(args),
                              capture_output=True, text=True, check=False)

    def label_new_nodes(self):
        # k3s labels its servers itself (the kubelet may not set node-role labels).
        self.kubectl('label', 'node', self.name, '--overwrite', 'node-role.kubernetes.io/control-plane=true',
                     'node-role.kubernetes.io/master=true', 'node-role.kubernetes.io/etcd=true')

    def start_node(self):
        agent = DATA + '/agent'
        os.makedirs(agent + '/etc/cni/net.d', exist_ok=True)
        os.makedirs(agent + '/etc/containerd', exist_ok=True)
        with open(agent + '/etc/containerd/config.toml', 'w') as handle:
            handle.write(CONTAINERD % {'agent': agent})
        with open(agent + '/etc/cni/net.d/10-flannel.conflist', 'w') as handle:
            handle.write(CNI % {'subnet': '10.42.%d.0/24' % int(self.ip.split('.')[-1])})
        self.spawn('containerd', ['containerd', '--config', agent + '/etc/containerd/config.toml'])
        self.import_images(agent)
        write_private(agent + '/kubelet.kubeconfig', KUBECONFIG % {'url': self.url, 'token': self.config['token']})
        with open(agent + '/etc/kubelet.conf.yaml', 'w') as handle:
            handle.write(KUBELET)
        self.fake_kernel_tunables()
        labels = as_list(self.config.get('node-label'))
        taints = as_list(self.config.get('node-taint'))
        kubelet = os.path.join(LAB, 'kubelet', VERSION, 'kubelet')
        if not os.path.isfile(kubelet):
            raise SystemExit(fatal('the lab has no kubelet for %s (%s)' % (VERSION, kubelet)))
        self.spawn('kubelet', [kubelet, '--config', agent + '/etc/kubelet.conf.yaml',
                               '--kubeconfig', agent + '/kubelet.kubeconfig', '--hostname-override', self.name,
                               '--node-ip', self.ip, '--root-dir', '/var/lib/kubelet']
                   + (['--node-labels', ','.join(labels)] if labels else [])
                   + (['--register-with-taints', ','.join(taints)] if taints else []))

    def import_images(self, agent):
        """Import the air-gap images as k3s does at start (its agent/images directory), and the lab's pause image."""
        for directory in (agent + '/images', os.path.join(LAB, 'images')):
            for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
                if name.endswith('.tar'):
                    self.ctr_import(os.path.join(directory, name))

    def ctr_import(self, archive, timeout=60):
        deadline = time.time() + timeout
        while True:
            done = subprocess.run(['/usr/bin/ctr', '--address', CONTAINERD_SOCKET, '-n', 'k8s.io', 'images', 'import',
                                   '--snapshotter', 'native', archive], capture_output=True, text=True, check=False)
            if done.returncode == 0:
                return
            if time.time() > deadline:
                raise SystemExit(fatal('importing %s: %s' % (archive, done.stderr.strip())))
            self.check_children()
            time.sleep(1)

    @staticmethod
    def fake_kernel_tunables():
        """The kubelet insists on six host-wide sysctls (vm.overcommit_memory=1, kernel.panic=10, ...)
        and fails when it cannot set them. Setting them would change the test machine's kernel, so
        inside this node's mount namespace their /proc/sys files are covered with the values it wants."""
        for name, value in KUBELET_TUNABLES.items():
            path = '/proc/sys/' + name
            if read(path) == value:
                continue
            cover = '/run/k3s-lab-sysctl/' + name.replace('/', '.')
            os.makedirs(os.path.dirname(cover), exist_ok=True)
            with open(cover, 'w') as handle:
                handle.write(value + '\n')
            subprocess.run(['mount', '--bind', cover, path], check=True)


def main(argv):
    # A multi-call binary like k3s: the role links kubectl and ctr to it.
    called = os.path.basename(argv[0])
    if called in ('kubectl', 'ctr'):
        argv = [argv[0], called] + argv[1:]
    if argv[1:2] == ['ctr'] and lab():
        return subprocess.call(['/usr/bin/ctr', '--address', CONTAINERD_SOCKET] + argv[2:])
    if argv[1:2] == ['--version']:
        print('k3s version %s (standin)\ngo version go1.24.11' % VERSION)
        return 0
    if argv[1:2] == ['server']:
        return server()
    if argv[1:2] == ['agent']:
        return agent()
    if argv[1:2] == ['kubectl']:
        if lab():
            return subprocess.call([os.path.join(LAB, 'bin', 'kubectl'), '--kubeconfig', KUBECONFIG_FILE] + argv[2:])
        if argv[2:3] == ['get']:
            print('True', end='')
            return 0
    sys.stderr.write('k3s stand-in: unsupported arguments %s\n' % argv[1:])
    return 2


KUBECONFIG = '''apiVersion: v1
kind: Config
clusters:
- cluster:
    insecure-skip-tls-verify: true
    server: %(url)s
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
users:
- user:
    token: %(token)s
  name: default
'''

CONTAINERD = '''version = 2
root = "%(agent)s/containerd"
state = "/run/k3s/containerd"
[grpc]
  address = "/run/k3s/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10.1"
  # No CAP_SYS_RESOURCE in the lab's containers: sandboxes keep an OOM score they may set.
  restrict_oom_score_adj = true
[plugins."io.containerd.grpc.v1.cri".containerd]
  snapshotter = "native"
  default_runtime_name = "runc"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = "%(agent)s/etc/cni/net.d"
'''

CNI = '''{"cniVersion": "1.0.0", "name": "cbr0", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "%(subnet)s"}]]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
'''

KUBELET = '''apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
containerRuntimeEndpoint: unix:///run/k3s/containerd/containerd.sock
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
authorization: {mode: Webhook}
clusterDomain: cluster.local
clusterDNS: [10.43.0.10]
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%}
'''

if __name__ == '__main__':
    sys.exit(main(sys.argv))
