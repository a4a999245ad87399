package certlint

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/zmap/zlint/v3/lint"

	"github.com/lwm2m-conform/lwm2m-conform/fixtures/certprofiles"
)

// Profile is a parsed certificate profile: rules naming checks, ready to lint.
type Profile struct {
	Name, Description string
	File              string // where it was read from ("builtin:NAME" for embedded ones)
	Rules             []*Rule

	scopes [2]*scope // per-certificate lints for the leaf and for issuers
	chain  []*Rule   // chain checks
}

// Rule is one entry of a profile.
type Rule struct {
	ID       string
	Check    string // zlint lint name or chain check name
	Certs    string // leaf | issuers | all; "chain" for chain checks
	Severity string
	Basis    string // seed | rfc | implementation
	Source   string
	Says     string
	Params   map[string]any
	Line     int
}

// Scopes of per-certificate rules.
const (
	CertsLeaf    = "leaf"
	CertsIssuers = "issuers"
	CertsAll     = "all"
	CertsChain   = "chain"
)

var (
	certScopes = []string{CertsLeaf, CertsIssuers, CertsAll}
	bases      = []string{"seed", "rfc", "implementation"}
)

// Load reads a profile by built-in name (see Names) or from a YAML file:
// an argument with a path separator or a .yaml/.yml suffix is a file.
func Load(nameOrFile string) (*Profile, error) {
	if strings.ContainsRune(nameOrFile, filepath.Separator) || strings.ContainsRune(nameOrFile, '/') ||
		strings.HasSuffix(nameOrFile, ".yaml") || strings.HasSuffix(nameOrFile, ".yml") {
		data, err := os.ReadFile(nameOrFile)
		if err != nil {
			return nil, fmt.Errorf("certlint: %w", err)
		}
		return Parse(nameOrFile, data)
	}
	data, err := certprofiles.Files.ReadFile(nameOrFile + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("certlint: unknown profile %q (built in: %s; or give a .yaml file)", nameOrFile, strings.Join(Names(), ", "))
	}
	p, err := Parse(certprofiles.Dir+"/"+nameOrFile+".yaml", data)
	if err != nil {
		return nil, err
	}
	if p.Name != nameOrFile {
		return nil, fmt.Errorf("certlint: built-in profile file %s.yaml names itself %q", nameOrFile, p.Name)
	}
	return p, nil
}

// Names lists the built-in profiles, sorted.
func Names() []string {
	entries, _ := certprofiles.Files.ReadDir(".")
	var out []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// excludedSources are zlint sources a profile may not draw on: the CA/Browser
// Forum and root-program lints judge web PKI certificates, and OCF identity
// certificates, which carry serverAuth, would be judged as such.
var excludedSources = []lint.LintSource{
	lint.CABFBaselineRequirements, lint.CABFCSBaselineRequirements, lint.CABFSMIMEBaselineRequirements,
	lint.CABFEVGuidelines, lint.MozillaRootStorePolicy, lint.AppleRootStorePolicy, lint.ChromeRootStorePolicy,
	lint.EtsiEsi,
}
