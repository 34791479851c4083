"""Deployment helpers: HAProxy's configuration for `make cluster` and the check that its
services answer; the Helm values for Kubernetes are in `helm/`."""
