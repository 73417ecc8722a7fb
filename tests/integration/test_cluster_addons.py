# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cert_manager, traefik_config and keda against a real kube-apiserver that knows the real upstream
CRDs (k3s's helm-controller HelmChart/HelmChartConfig, cert-manager's, KEDA's). Seam: no
helm-controller runs, so no chart is installed; the test installs the charts' CRDs itself, which is
what the roles wait for."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import yaml

PLAY = '''
- name: Cluster add-ons
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: llmops.baremetal.%s
      vars: %s
'''


@pytest.fixture(scope='module')
def custom(control_plane, crds):
    kubernetes = pytest.importorskip('kubernetes')
    return kubernetes.client.CustomObjectsApi(kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig))


def apply(ansible, control_plane, role, **variables):
    variables['%s_kubeconfig' % role] = control_plane.kubeconfig
    result = ansible('ansible-playbook', '-i', 'localhost,', playbook=PLAY % (role, json.dumps(variables)))
    return result.returncode, ' '.join((result.stdout + result.stderr).split())


def test_cert_manager_chart_and_issuer(ansible, control_plane, custom):
    rc, output = apply(ansible, control_plane, 'cert_manager', cert_manager_acme_email='ops@example.com',
                       cert_manager_poll_seconds=1)
    assert rc == 0, output
    chart = custom.get_namespaced_custom_object('helm.cattle.io', 'v1', 'kube-system', 'helmcharts', 'cert-manager')
    assert (chart['spec']['chart'], chart['spec']['version'], chart['spec']['repo']) == \
        ('cert-manager', 'v1.21.2', 'https://charts.jetstack.io')
    assert yaml.safe_load(chart['spec']['valuesContent'])['crds'] == {'enabled': True, 'keep': True}
    issuer = custom.get_cluster_custom_object('cert-manager.io', 'v1', 'clusterissuers', 'llmops-issuer')
    assert issuer['spec']['acme']['email'] == 'ops@example.com'
    assert issuer['spec']['acme']['solvers'] == [{'http01': {'ingress': {'ingressClassName': 'traefik'}}}]
    rc, output = apply(ansible, control_plane, 'cert_manager', cert_manager_acme_email='ops@example.com')
    assert rc == 0 and 'changed=0' in output, output


def test_cert_manager_refuses_acme_without_email_and_floating_versions(ansible, control_plane, custom):
    rc, output = apply(ansible, control_plane, 'cert_manager')
    assert rc != 0 and "the acme issuer needs cert_manager_acme_email" in output, output
    rc, output = apply(ansible, control_plane, 'cert_manager', cert_manager_issuer='selfsigned',
                       cert_manager_chart_version='latest')
    assert rc != 0 and "the chart version must be an exact release such as v1.21.2 (got 'latest')" in output, output


def test_traefik_timeouts_through_helmchartconfig(ansible, control_plane, custom):
    rc, output = apply(ansible, control_plane, 'traefik_config', traefik_config_write_timeout_seconds=7200,
                       traefik_config_values={'logs': {'access': {'enabled': True}}})
    assert rc == 0, output
    config = custom.get_namespaced_custom_object('helm.cattle.io', 'v1', 'kube-system', 'helmchartconfigs', 'traefik')
    values = yaml.safe_load(config['spec']['valuesContent'])
    timeouts = {'readTimeout': '600s', 'writeTimeout': '7200s', 'idleTimeout': '900s'}
    assert values['ports']['websecure']['transport']['respondingTimeouts'] == timeouts
    assert values['ports']['web']['redirections']['entryPoint'] == {'to': 'websecure', 'scheme': 'https', 'permanent': True}
    assert values['logs'] == {'access': {'enabled': True}}
    rc, output = apply(ansible, control_plane, 'traefik_config', traefik_config_write_timeout_seconds=7200,
                       traefik_config_values={'logs': {'access': {'enabled': True}}})
    assert rc == 0 and 'changed=0' in output, output


def test_keda_chart(ansible, control_plane, custom):
    rc, output = apply(ansible, control_plane, 'keda', keda_poll_seconds=1)
    assert rc == 0, output
    chart = custom.get_namespaced_custom_object('helm.cattle.io', 'v1', 'kube-system', 'helmcharts', 'keda')
    assert (chart['spec']['version'], chart['spec']['targetNamespace']) == ('2.21.0', 'keda')
    rc, output = apply(ansible, control_plane, 'keda', keda_chart_version='2.x')
    assert rc != 0 and "keda_chart_version must be an exact chart version such as 2.21.0 (got '2.x')" in output, output


def test_device_plugin_gfd_and_nfd_target_gpu_nodes_only(ansible, control_plane, custom):
    rc, output = apply(ansible, control_plane, 'nvidia_device_plugin', nvidia_device_plugin_time_slicing_replicas=4)
    assert rc == 0, output
    chart = custom.get_namespaced_custom_object('helm.cattle.io', 'v1', 'kube-system', 'helmcharts', 'nvidia-device-plugin')
    assert (chart['spec']['chart'], chart['spec']['version']) == ('nvidia-device-plugin', '0.20.0')
    values = yaml.safe_load(chart['spec']['valuesContent'])
    assert values['image'] == {'repository': 'nvcr.io/nvidia/k8s-device-plugin', 'tag': 'v0.20.0'}
    assert values['runtimeClassName'] == 'nvidia'
    assert values['gfd'] == {'enabled': True} and values['nfd'] == {'enabled': True}
    assert {'key': 'nvidia.com/gpu', 'operator': 'Exists', 'effect': 'NoSchedule'} in values['tolerations']
    terms = values['affinity']['nodeAffinity']['requiredDuringSchedulingIgnoredDuringExecution']['nodeSelectorTerms']
    keys = [t['matchExpressions'][0]['key'] for t in terms]
    assert keys == ['nvidia.com/gpu.present', 'feature.node.kubernetes.io/pci-10de.present']
    sharing = yaml.safe_load(values['config']['map']['default'])
    assert sharing['sharing']['timeSlicing']['resources'] == [{'name': 'nvidia.com/gpu', 'replicas': 4}]
    rc, output = apply(ansible, control_plane, 'nvidia_device_plugin', nvidia_device_plugin_time_slicing_replicas=4)
    assert rc == 0 and 'changed=0' in output, output
    rc, output = apply(ansible, control_plane, 'nvidia_device_plugin', nvidia_device_plugin_version='latest')
    assert rc != 0 and "the version must be exact, such as 0.20.0 (got 'latest')" in output, output


def test_monitoring_stack_and_dcgm_exporter(ansible, control_plane, custom):
    password = 'grafana-' + 'p' * 16
    rc, output = apply(ansible, control_plane, 'monitoring', monitoring_grafana_admin_password=password,
                       monitoring_poll_seconds=1)
    assert rc == 0, output
    assert password not in output
    stack = custom.get_namespaced_custom_object('helm.cattle.io', 'v1', 'kube-system', 'helmcharts', 'kube-prometheus-stack')
    assert (stack['spec']['chart'], stack['spec']['version']) == ('kube-prometheus-stack', '84.1.1')
    values = yaml.safe_load(stack['spec']['valuesContent'])
    assert values['prometheus']['prometheusSpec']['serviceMonitorSelectorNilUsesHelmValues'] is False
    assert values['grafana']['admin']['existingSecret'] == 'grafana-admin' and password not in stack['spec']['valuesContent']
    dcgm = custom.get_namespaced_custom_object('helm.cattle.io', 'v1', 'kube-system', 'helmcharts', 'dcgm-exporter')
    values = yaml.safe_load(dcgm['spec']['valuesContent'])
    assert values['runtimeClassName'] == 'nvidia' and values['nodeSelector'] == {'nvidia.com/gpu.present': 'true'}
    assert values['serviceMonitor']['enabled'] is True and values['image']['tag'] == '4.5.3-4.8.2-distroless'
    rc, output = apply(ansible, control_plane, 'monitoring', monitoring_grafana_admin_password=password)
    assert rc == 0 and 'changed=0' in output, output
    rc, output = apply(ansible, control_plane, 'monitoring')
    assert rc != 0 and 'Grafana needs monitoring_grafana_admin_password' in output, output
