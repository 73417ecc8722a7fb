#!/usr/bin/env bash
# Prove the nfs_server role for real: boot a Debian VM under QEMU (software emulation; the test
# containers share a kernel without nfsd), apply the role to it over SSH, then mount the export
# again (it must change nothing), then mount the export over NFSv4 on the VM's loopback and
# write and read a file through it.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache=$(tests/vm/build-vm-image.sh)
port=${LLMOPS_VM_SSH_PORT:-2222}
work=$(mktemp -d)
overlay="$work/disk.img"
cp --sparse=always "$cache/disk.img" "$overlay"

qemu-system-x86_64 -machine pc,accel=tcg -cpu max -m 1536 -smp 2 \
  -kernel "$cache/vmlinuz" -initrd "$cache/initrd.img" -append "root=/dev/vda rw console=ttyS0 quiet" \
  -drive "file=$overlay,format=raw,if=virtio" \
  -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:${port}-:22" -device virtio-net-pci,netdev=n0 \
  -display none -serial "file:$work/console.log" -daemonize -pidfile "$work/qemu.pid"
stop() {
  kill "$(cat "$work/qemu.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT

ssh_opts=(-i "$cache/id_ed25519" -p "$port" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
  -o LogLevel=ERROR -o ConnectTimeout=5)
for attempt in $(seq 1 60); do
  ssh "${ssh_opts[@]}" root@127.0.0.1 true 2>/dev/null && break
  [ "$attempt" = 60 ] && { echo "VM did not answer on SSH; console:" >&2; tail -30 "$work/console.log" >&2; exit 1; }
  sleep 3
done
echo "VM is up (SSH after $((attempt * 3)) s at most)"

cat >"$work/inventory.yml" <<INV
all:
  hosts:
    nfs-vm:
      ansible_host: 127.0.0.1
      ansible_port: ${port}
      ansible_user: root
      ansible_ssh_private_key_file: ${cache}/id_ed25519
      ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
  children:
    storage:
      hosts:
        nfs-vm:
INV
export ANSIBLE_CONFIG=$PWD/ansible.cfg
ansible-playbook -i "$work/inventory.yml" tests/vm/nfs-export-apply.yml
echo "second run: must change nothing"
ansible-playbook -i "$work/inventory.yml" tests/vm/nfs-export-apply.yml | tee "$work/second.log"
grep -Eq 'nfs-vm +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$work/second.log" ||
  { echo "the second run changed something" >&2; exit 1; }
ansible-playbook -i "$work/inventory.yml" tests/vm/nfs-export-check.yml
