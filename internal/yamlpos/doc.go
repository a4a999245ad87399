// Package yamlpos reads gopkg.in/yaml.v3 node trees so that every problem
// is reported as "file:line: field: message": the case tables, the PKI
// world specs and the SUT profiles all go through it.
//
// A Source names the file and says how its package words each kind of
// mistake; Source.Root wraps the top node, and every Node handed out from
// there carries its line and its field path ("certs[2].subject.cn").
// Mappings are walked with unknown and repeated keys rejected, and the
// typed accessors (string, list, bool, int, float, duration) fail with a
// located *Error.
package yamlpos
