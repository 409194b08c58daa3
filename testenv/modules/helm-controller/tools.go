//go:build tools

// Package tools pins the helm-controller this module builds.
package tools

import _ "github.com/fluxcd/helm-controller"
