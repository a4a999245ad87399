package sut

// BootstrapTargets: an exec profile starts its client from a bootstrap
// account (Target.Bootstrap, the est cases) when its templates name
// {{.Bootstrap}}, which tells the client that {{.ServerURI}} is a
// bootstrap server, e.g. "{{if .Bootstrap}}--bootstrap{{end}}". The
// account's credentials travel as in any case; a value the profile never
// passes skips the case at Start.
func (e *Exec) BootstrapTargets() bool { return e.p.refs["Bootstrap"] }

// BootstrapTargets: the bootstrap adapter writes an est Target's accounts
// itself (estWrites): the case's bootstrap account and the mode 4 one.
func (b *Bootstrap) BootstrapTargets() bool { return true }
