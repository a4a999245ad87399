package sut

import (
	"path/filepath"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/certlint"
	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
)

// checkCertificateProfile loads the declared certificate profile once at
// load time, so a misspelt name is a file:line error rather than a FAIL in
// every case. A file name is taken relative to the profile.
func checkCertificateProfile(caps yamlpos.Node, c *Capabilities, profileDir string) error {
	name := c.CertificateProfile
	if name == "" {
		return nil
	}
	if strings.ContainsRune(name, '/') || strings.HasSuffix(name, ".yaml") {
		if !filepath.IsAbs(name) {
			name = filepath.Join(profileDir, name)
		}
		c.CertificateProfile = name
	}
	if _, err := certlint.Load(name); err != nil {
		return caps.Errorf("certificate_profile: %v", err)
	}
	return nil
}
