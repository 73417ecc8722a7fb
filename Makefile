# llmops.baremetal: `make setup` prepares the controller, `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

MOLECULE_SCENARIOS ?= base nvidia_driver nvidia_container_toolkit

.PHONY: setup test lint sanity unit integration molecule images docker lab lab-down clean

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

.collections/ansible_collections/llmops/baremetal:
	mkdir -p $(@D)
	ln -sfn ../../.. $@

## setup: controller venv with pinned ansible and tools, and this checkout linked as llmops.baremetal
setup: $(VENV)/.installed .collections/ansible_collections/llmops/baremetal

## test: everything, with a per-stage time summary (the README's test command)
test:
	tests/run.sh all

lint: setup
	tests/run.sh yamllint ansible-lint

sanity: setup
	tests/run.sh sanity

unit: setup
	tests/run.sh unit

integration: setup
	tests/run.sh integration

molecule: setup
	tests/run.sh docker images molecule

images:
	tests/run.sh docker images

## lab: the local container lab (inventories/lab; LAB=ha: inventories/lab-ha), site.yml on it end to end, a summary
LAB ?=
LAB_INVENTORY := inventories/lab$(if $(LAB),-$(LAB))
lab: setup
	tests/docker/ensure-docker.sh
	tests/lab/lab.sh up $(LAB)
	ansible-playbook site.yml -i $(LAB_INVENTORY)
	ansible-playbook playbooks/summary.yml -i $(LAB_INVENTORY)

## lab-down: remove the lab's containers and network
lab-down:
	tests/lab/lab.sh down

clean:
	rm -rf $(VENV) .collections tests/output .pytest_cache
