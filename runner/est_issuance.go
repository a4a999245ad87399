package runner

import (
	"crypto/x509"
	"encoding/base64"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// issuance is a good sen or sren answer, as its event recorded it.
type issuance struct {
	ev   events.Event
	cert *x509.Certificate
}

func (i issuance) serial() string { return i.ev.Fields["serial"] }

// goodIssuances are the answers of op that carried a certificate and no
// fault.
func goodIssuances(evs []events.Event, op string) []issuance {
	var out []issuance
	for _, e := range estExchanges(evs, op) {
		if e.Fields["fault"] != "" || e.Fields["issued"] == "" {
			continue
		}
		if c := certField(e, "issued"); c != nil {
			out = append(out, issuance{ev: e, cert: c})
		}
	}
	return out
}

func firstGoodIssuance(evs []events.Event) (issuance, bool) {
	all := goodIssuances(evs, "sen")
	if len(all) == 0 {
		return issuance{}, false
	}
	return all[0], true
}

// certField parses a base64 DER certificate field.
func certField(e events.Event, field string) *x509.Certificate {
	der, err := base64.StdEncoding.DecodeString(e.Fields[field])
	if err != nil {
		return nil
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil
	}
	return c
}

// Seed 002 §10.3.3.1's default re-enrollment rule: "/est/sren requests
// are issued 30 days before the certificate expiration date, or after 90%
// of the time between its provisioning and expiration dates has passed,
// whichever is later". Provisioning is when the answer left the server.
const (
	srenNominalUsage = 0.9
	srenMaxMargin    = 30 * 24 * time.Hour
	// srenTolerance: the answer's flight to the client and a loaded
	// machine's timers.
	srenTolerance = 1500 * time.Millisecond
)

func srenDue(i issuance) time.Time {
	byMargin := i.cert.NotAfter.Add(-srenMaxMargin)
	byUsage := i.ev.Time.Add(time.Duration(float64(i.cert.NotAfter.Sub(i.ev.Time)) * srenNominalUsage))
	if byMargin.After(byUsage) {
		return byMargin
	}
	return byUsage
}

// peerLeaf is the client's certificate of the handshake of a session.
func peerLeaf(evs []events.Event, peer, session string) *x509.Certificate {
	for _, e := range evs {
		if e.Kind == events.HandshakeDone && e.Fields[harnessPeer] == peer && e.Fields["session"] == session {
			first, _, _ := strings.Cut(e.Fields["peer_chain"], ",")
			der, err := base64.StdEncoding.DecodeString(first)
			if err != nil || first == "" {
				return nil
			}
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return nil
			}
			return c
		}
	}
	return nil
}
