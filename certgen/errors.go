package certgen

import "github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"

// SpecError is a problem in a world spec, located by file, line and field
// path (for example "certs[2].key"). Line is 0 when the spec was built in
// code rather than parsed, and File is then "<world spec>".
type SpecError = yamlpos.Error

// unnamed stands for the file of a spec that has none.
const unnamed = "<world spec>"
