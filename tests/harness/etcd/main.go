// Command etcd is the etcd server, built from the pinned go.etcd.io/etcd/server/v3 module for the
// test harness (the real kube-apiserver needs a real etcd). Test tooling only, never shipped.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
