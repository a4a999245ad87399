package client

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

// account is one LwM2M server the client registers with: a non-bootstrap
// Security instance and the Server instance with the same Short Server ID.
type account struct {
	t   target
	srv model.Server
}

func (a account) ssid() uint16 { return a.srv.ShortServerID }

// serverAccounts lists the usable server accounts and, separately, why each
// other Security instance is not one.
func serverAccounts(m *model.Model) ([]account, []error) {
	servers := map[uint16]model.Server{}
	for _, s := range m.Servers() {
		servers[s.ShortServerID] = s
	}
	var out []account
	var problems []error
	for _, sec := range m.Security() {
		if sec.Bootstrap {
			continue
		}
		if sec.ShortServerID == 0 {
			problems = append(problems, fmt.Errorf("security instance /0/%d has no Short Server ID (/0/%d/10)", sec.Instance, sec.Instance))
			continue
		}
		srv, ok := servers[sec.ShortServerID]
		if !ok {
			problems = append(problems, fmt.Errorf("security instance /0/%d: no Server instance with Short Server ID %d", sec.Instance, sec.ShortServerID))
			continue
		}
		t, err := resolveTarget(sec)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		out = append(out, account{t: t, srv: srv})
	}
	return out, problems
}

// bootstrapSecurity returns the bootstrap server's Security instance.
func bootstrapSecurity(m *model.Model) (model.Security, bool) {
	for _, s := range m.Security() {
		if s.Bootstrap {
			return s, true
		}
	}
	return model.Security{}, false
}

// checkBootstrapResult is what Bootstrap-Finish validates (Core §6.1.7):
// at least one usable server account must exist; unusable ones are listed.
func checkBootstrapResult(m *model.Model) error {
	accts, problems := serverAccounts(m)
	if len(accts) > 0 {
		return nil
	}
	if len(problems) == 0 {
		return errors.New("no LwM2M server account: the configuration has no non-bootstrap Security instance")
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Error()
	}
	return fmt.Errorf("no usable LwM2M server account: %s", strings.Join(msgs, "; "))
}

// defaultLifetime applies when the Server instance has no lifetime
// (Core Appendix E.2 gives 86400 s as the usual default).
const defaultLifetime = 86400 * time.Second

// maxTransmitWait is MAX_TRANSMIT_WAIT with the default CoAP transmission
// parameters (RFC 7252 §4.8.2): the longest a confirmable exchange takes.
const maxTransmitWait = 93 * time.Second

// updateDelay is when to send the periodic Update after the last
// successful Register/Update. The margin before expiry covers one full CoAP
// exchange with retransmissions (MAX_TRANSMIT_WAIT) and is at least 10% of
// the lifetime; short lifetimes, where that margin would eat most of the
// period, update at half-time. E.g. 300 s → 207 s, 86400 s → 77760 s,
// 60 s → 30 s.
func updateDelay(lifetime time.Duration) time.Duration {
	margin := max(lifetime/10, min(maxTransmitWait, lifetime/2))
	return lifetime - margin
}
