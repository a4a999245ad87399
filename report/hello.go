package report

import (
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// codeName is one code point with its IANA name.
type codeName struct {
	Hex  string
	Name string
	Flag string // why this entry deserves attention, e.g. not configured
}

// helloView is one distinct ClientHello: retransmissions and the
// cookie-carrying retry are folded into it, their times listed in Seen.
type helloView struct {
	Seen         []string
	Version      string
	HasSNI       bool   // the server_name extension is present
	SNI          string // its value
	SessionID    string
	Cookies      []string
	ConnectionID bool
	Suites       []codeName
	Extensions   []codeName
	Groups       []codeName
	key          string
}

// helloViews summarises the ClientHello events. configured is the
// provisioned cipher-suite list (/0/x/16); offered suites outside it are
// flagged, since a client must offer only what it was told to.
func helloViews(es []events.Event, configured []uint16) []helloView {
	first := firstEventTime(es)
	var views []helloView
	for _, e := range es {
		if e.Kind != events.ClientHello || e.Hello == nil {
			continue
		}
		h := e.Hello
		v := helloView{
			Version:      cleanText(h.Version),
			HasSNI:       h.HasSNI || h.SNI != "",
			SNI:          cleanText(h.SNI),
			SessionID:    hex.EncodeToString(h.SessionID),
			ConnectionID: h.ConnectionID,
			Suites:       suiteNames(h.CipherSuites, configured),
			Extensions:   names(dtlswire.ExtensionName, h.Extensions),
			Groups:       names(dtlswire.GroupName, h.SupportedGroups),
		}
		v.key = helloKey(h)
		seen := offset(e.Time, first)
		cookie := strconv.Itoa(h.CookieLen)
		if n := len(views); n > 0 && views[n-1].key == v.key {
			views[n-1].Seen = append(views[n-1].Seen, seen)
			views[n-1].Cookies = append(views[n-1].Cookies, cookie)
			continue
		}
		v.Seen = []string{seen}
		v.Cookies = []string{cookie}
		views = append(views, v)
	}
	return views
}

// helloKey identifies what a ClientHello offers, ignoring the cookie, so a
// retry after HelloVerifyRequest folds into the first hello.
func helloKey(h *events.Hello) string {
	var b strings.Builder
	b.WriteString(h.Version + "|" + h.SNI + "|" + strconv.FormatBool(h.HasSNI) + "|" + hex.EncodeToString(h.SessionID) + "|" + strconv.FormatBool(h.ConnectionID))
	for _, list := range [][]uint16{h.CipherSuites, h.Extensions, h.SupportedGroups} {
		b.WriteByte('|')
		for _, v := range list {
			b.WriteString(strconv.Itoa(int(v)) + ",")
		}
	}
	return b.String()
}

func names(name func(uint16) string, vs []uint16) []codeName {
	out := make([]codeName, 0, len(vs))
	for _, v := range vs {
		out = append(out, codeName{Hex: codeHex(v), Name: name(v)})
	}
	return out
}

func suiteNames(offered, configured []uint16) []codeName {
	out := names(dtlswire.CipherSuiteName, offered)
	if configured == nil {
		return out
	}
	for i, v := range offered {
		if !slices.Contains(configured, v) && !isSignallingSuite(v) {
			out[i].Flag = "not in the configured list (/0/x/16)"
		}
	}
	return out
}

// isSignallingSuite reports the SCSVs, which are not real suites and may be
// offered whatever the configuration.
func isSignallingSuite(v uint16) bool { return v == 0x00FF || v == 0x5600 || isGREASE(v) }
