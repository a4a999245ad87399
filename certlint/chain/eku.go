package chain

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/certlint/lints"
)

func init() {
	register("chain_eku_nested", "An issuer with an extendedKeyUsage extension lists every usage of the certificates it issues.", ekuNested)
}

func ekuNested(in Input) []Problem {
	var out []Problem
	for i := 1; i < len(in.Certs); i++ {
		have, present, err := lints.EKUs(in.Certs[i])
		if err != nil {
			out = append(out, Problem{Cert: i, Msg: "unparseable extendedKeyUsage extension: " + err.Error()})
			continue
		}
		if !present {
			continue // an issuer without the extension does not constrain
		}
		child, _, _ := lints.EKUs(in.Certs[i-1])
		var missing []string
		for _, oid := range child {
			if !slices.Contains(have, oid) {
				missing = append(missing, lints.EKUName(oid))
			}
		}
		if len(missing) > 0 {
			out = append(out, Problem{Cert: i, Msg: fmt.Sprintf("extendedKeyUsage lacks %s, which the certificate it issues carries", strings.Join(missing, ", "))})
		}
	}
	return out
}
