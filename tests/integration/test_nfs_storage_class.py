# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nfs_storage_class against a real kube-apiserver: the NFS CSI driver objects and the StorageClass are
accepted, k3s's local-path stays the default, a second run changes nothing, and a parameter change
is refused before anything is applied. (No kubelet runs here: the driver's pods are not started.)"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

PLAY = '''
- name: NFS StorageClass
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: llmops.baremetal.nfs_storage_class
      vars: %s
'''
DEFAULT = 'storageclass.kubernetes.io/is-default-class'


@pytest.fixture(scope='module')
def kube(control_plane):
    kubernetes = pytest.importorskip('kubernetes')
    client = kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig)
    storage = kubernetes.client.StorageV1Api(client)
    # What k3s ships: local-path, the default class.
    storage.create_storage_class({'apiVersion': 'storage.k8s.io/v1', 'kind': 'StorageClass',
                                  'metadata': {'name': 'local-path', 'annotations': {DEFAULT: 'true'}},
                                  'provisioner': 'rancher.io/local-path', 'volumeBindingMode': 'WaitForFirstConsumer'})
    yield storage, kubernetes.client.AppsV1Api(client)
    storage.delete_storage_class('local-path')


def apply(ansible, control_plane, **variables):
    variables = dict({'nfs_storage_class_kubeconfig': control_plane.kubeconfig, 'nfs_storage_class_server': '10.10.0.10',
                      'nfs_storage_class_share': '/srv/nfs/models'}, **variables)
    result = ansible('ansible-playbook', '-i', 'localhost,', playbook=PLAY % json.dumps(variables))
    return result.returncode, result.stdout + result.stderr


def test_driver_and_class_accepted_then_idempotent(ansible, control_plane, kube):
    storage, apps = kube
    rc, output = apply(ansible, control_plane)
    assert rc == 0, output
    assert storage.read_csi_driver('nfs.csi.k8s.io').spec.attach_required is False
    node = apps.read_namespaced_daemon_set('csi-nfs-node', 'kube-system')
    assert [t.operator for t in node.spec.template.spec.tolerations] == ['Exists']
    images = [c.image for c in node.spec.template.spec.containers]
    assert 'registry.k8s.io/sig-storage/nfsplugin:v4.13.1' in images
    assert apps.read_namespaced_deployment('csi-nfs-controller', 'kube-system').spec.template.spec.host_network

    klass = storage.read_storage_class('llmops-nfs')
    assert klass.provisioner == 'nfs.csi.k8s.io'
    assert klass.parameters == {'server': '10.10.0.10', 'share': '/srv/nfs/models',
                                'subDir': '${pvc.metadata.namespace}/${pvc.metadata.name}'}
    assert klass.reclaim_policy == 'Retain' and 'nfsvers=4.2' in klass.mount_options
    assert klass.metadata.annotations[DEFAULT] == 'false'
    assert storage.read_storage_class('local-path').metadata.annotations[DEFAULT] == 'true'

    rc, output = apply(ansible, control_plane)
    assert rc == 0 and 'changed=0' in output, output


def test_parameter_change_is_refused(ansible, control_plane, kube):
    rc, output = apply(ansible, control_plane)
    assert rc == 0, output
    rc, output = apply(ansible, control_plane, nfs_storage_class_server='10.10.0.99')
    assert rc != 0
    text = ' '.join(output.split())
    assert 'Kubernetes cannot change these in place: delete the StorageClass' in text, output
    assert 'Apply the NFS CSI driver' not in output
    assert kube[0].read_storage_class('llmops-nfs').parameters['server'] == '10.10.0.10'


def test_default_on_request_demotes_local_path(ansible, control_plane, kube):
    storage = kube[0]
    rc, output = apply(ansible, control_plane, nfs_storage_class_name='llmops-nfs-default', nfs_storage_class_default=True)
    assert rc == 0, output
    assert storage.read_storage_class('llmops-nfs-default').metadata.annotations[DEFAULT] == 'true'
    assert storage.read_storage_class('local-path').metadata.annotations[DEFAULT] == 'false'
    storage.delete_storage_class('llmops-nfs-default')
    storage.patch_storage_class('local-path', {'metadata': {'annotations': {DEFAULT: 'true'}}})


def test_latest_image_is_refused(ansible, control_plane, kube):
    rc, output = apply(ansible, control_plane, nfs_storage_class_images={
        'nfsplugin': 'registry.k8s.io/sig-storage/nfsplugin:latest', 'csi_provisioner': 'x:v1',
        'node_driver_registrar': 'y:v1', 'livenessprobe': 'z:v1'})
    assert rc != 0
    assert 'every image pinned to a tag other than latest' in ' '.join(output.split()), output
