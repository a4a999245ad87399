package sut

import (
	"errors"
	"strings"
	"text/template/parse"
)

// SkipError is returned by Start for a case the adapter cannot provision;
// the case is to be reported as SKIP with Reason, not as an error.
type SkipError struct{ Reason string }

func (e *SkipError) Error() string { return "case skipped: " + e.Reason }

// IsSkip reports whether err is a *SkipError, and its reason.
func IsSkip(err error) (string, bool) {
	var s *SkipError
	if errors.As(err, &s) {
		return s.Reason, true
	}
	return "", false
}

// carrier is a value a case may provision and the template fields that
// can hand it to a SUT. A profile naming none of them would run the case
// as if provisioned, and be judged on a value its SUT never saw.
type carrier struct {
	what   string
	fields []string
	set    func(Target) bool
	// outOfBand: no LwM2M 1.1 resource holds it, so even a client
	// provisioned through bootstrap needs it on its command line.
	outOfBand bool
}

var trustStoreCarrier = carrier{what: "the trust store", fields: []string{"TrustStorePEM", "TrustStoreDir"}, outOfBand: true,
	set: func(t Target) bool { return len(t.TrustStore) > 0 }}

var carriers = []carrier{
	trustStoreCarrier,
	{what: "the SNI", fields: []string{"SNI"},
		set: func(t Target) bool { return t.SNI != "" }},
	{what: "the cipher suites", fields: []string{"CipherSuites", "CipherSuiteNames"},
		set: func(t Target) bool { return t.CipherSuites != nil }},
	{what: "the certificate usage", fields: []string{"Usage"},
		set: func(t Target) bool { return t.Usage >= 0 }},
	{what: "the Server Public Key", fields: []string{"ServerCertPEM", "ServerCertDER"},
		set: func(t Target) bool { return t.ServerPublicKey != nil }},
	{what: "the Connection ID request", fields: []string{"CID"}, outOfBand: true,
		set: func(t Target) bool { return t.ConnectionID }},
	{what: "the PSK identity", fields: []string{"PSKIdentity", "PSKIdentityHex"},
		set: func(t Target) bool { return t.Mode == "psk" && t.PSKIdentity != "" }},
	{what: "the PSK key", fields: []string{"PSKKeyHex"},
		set: func(t Target) bool { return t.Mode == "psk" && len(t.PSKKey) > 0 }},
	{what: "the client certificate", fields: []string{"ClientCertPEM", "ClientCertDER"},
		set: func(t Target) bool { return t.Mode == "cert" && len(t.ClientCertDER) > 0 }},
	{what: "the client private key", fields: []string{"ClientKeyPEM", "ClientKeyDER"},
		set: func(t Target) bool { return t.Mode == "cert" && len(t.ClientKeyPKCS8) > 0 }},
}

// passes reports whether the profile names any field that carries c.
func (p *Profile) passes(c carrier) bool {
	for _, f := range c.fields {
		if p.refs[f] {
			return true
		}
	}
	return false
}

// neverPassed names the values t sets that the profile never passes,
// among the carriers keep selects; "" when it passes them all.
func (p *Profile) neverPassed(t Target, keep func(carrier) bool) string {
	var missing []string
	for _, c := range carriers {
		if !keep(c) || !c.set(t) || p.passes(c) {
			continue
		}
		names := make([]string, len(c.fields))
		for i, f := range c.fields {
			names[i] = "{{." + f + "}}"
		}
		missing = append(missing, c.what+" ("+strings.Join(names, " or ")+")")
	}
	if len(missing) == 0 {
		return ""
	}
	return "the profile never passes " + strings.Join(missing, ", ")
}

func allCarriers(carrier) bool { return true }

// fieldRefs collects every field and method name the profile's templates
// name, in any branch: a dry rendering sees only the branches the sample
// case takes.
func (p *Profile) fieldRefs() map[string]bool {
	refs := map[string]bool{}
	all := append([]tmpl(nil), p.command...)
	if p.workdir != nil {
		all = append(all, *p.workdir)
	}
	for _, e := range p.env {
		all = append(all, e.value)
	}
	for _, t := range all {
		for _, tt := range t.t.Templates() { // with any {{define}}d ones
			if tt.Tree != nil {
				walkRefs(tt.Tree.Root, refs)
			}
		}
	}
	return refs
}

func walkRefs(n parse.Node, refs map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkRefs(c, refs)
		}
	case *parse.ActionNode:
		walkRefs(n.Pipe, refs)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, refs)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, refs)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, refs)
	case *parse.TemplateNode:
		walkRefs(n.Pipe, refs)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walkRefs(c, refs)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walkRefs(a, refs)
		}
	case *parse.ChainNode:
		walkRefs(n.Node, refs)
		for _, f := range n.Field {
			refs[f] = true
		}
	case *parse.FieldNode:
		for _, f := range n.Ident {
			refs[f] = true
		}
	case *parse.VariableNode: // $.SNI or $x.SNI
		for _, f := range n.Ident[1:] {
			refs[f] = true
		}
	}
}

func walkBranch(b *parse.BranchNode, refs map[string]bool) {
	walkRefs(b.Pipe, refs)
	walkRefs(b.List, refs)
	walkRefs(b.ElseList, refs)
}
