package certgen

import (
	"crypto/x509/pkix"
	"encoding/asn1"
)

var oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}

// sanExtension encodes the subjectAltName extension by hand when it holds
// directory names, which crypto/x509 cannot write. DNS names and IP
// addresses come first, as Go would write them, then the directory names.
func sanExtension(s *CertSpec) (pkix.Extension, error) {
	var names []asn1.RawValue
	for _, d := range s.DNS {
		names = append(names, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte(d)})
	}
	for _, ip := range s.IPs {
		if v4 := ip.To4(); v4 != nil {
			ip = v4
		}
		names = append(names, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 7, Bytes: ip})
	}
	for _, d := range s.DirNames {
		dn, err := asn1.Marshal(pkix.Name{CommonName: d.CN, Organization: nonEmpty(d.O), OrganizationalUnit: nonEmpty(d.OU)}.ToRDNSequence())
		if err != nil {
			return pkix.Extension{}, err
		}
		// directoryName is [4] EXPLICIT Name.
		names = append(names, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: dn})
	}
	val, err := asn1.Marshal(names)
	return pkix.Extension{Id: oidSubjectAltName, Value: val}, err
}
