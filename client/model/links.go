package model

import (
	"strconv"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// defaultObjectVersion is the version a Register payload leaves implicit.
const defaultObjectVersion = "1.0"

// ObjectLinks is the object list of the Register and Update payloads
// (Core 1.1 §6.2.1): for each implemented object but Security, in id
// order, an object link when the object has no instance or a version
// other than 1.0 (carried as ver, as Leshan does), then one link per
// instance: </1>;ver=1.1,</1/0>,</3>;ver=1.1,</3/0>. A 1.0 client
// implements the 1.0 objects and lists no ver.
func (m *Model) ObjectLinks() []lwm2m.Link {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var links []lwm2m.Link
	for _, obj := range sortedKeys(m.defs) {
		if obj == lwm2m.ObjSecurity {
			continue
		}
		def := m.defs[obj]
		insts := sortedKeys(m.objects[obj])
		objLink := lwm2m.Link{Target: "/" + strconv.Itoa(int(obj))}
		if m.version != "1.0" && def.Version != "" && def.Version != defaultObjectVersion {
			objLink.Params = append(objLink.Params, lwm2m.TokenParam("ver", def.Version))
		}
		if len(insts) == 0 || len(objLink.Params) > 0 {
			links = append(links, objLink)
		}
		for _, id := range insts {
			links = append(links, lwm2m.Link{Target: lwm2m.NewPath(obj, id).String()})
		}
	}
	return links
}

// ContentFormatsLink is the root link a 1.1 client may put first in its
// Register payload to announce the content formats it reads and writes
// besides plain text and opaque (Core 1.1 §6.2.1: rt="oma.lwm2m" with a
// ct list). A 1.0 client announces TLV only.
func (m *Model) ContentFormatsLink() lwm2m.Link {
	formats := []string{"11542"}
	if m.version != "1.0" {
		formats = []string{"110", "112", "11542"}
	}
	return lwm2m.Link{Target: "/", Params: []lwm2m.LinkParam{
		lwm2m.QuotedParam("rt", "oma.lwm2m"),
		lwm2m.TokenParam("ct", strings.Join(formats, " ")),
	}}
}
