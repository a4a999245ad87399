package dtlswire

import (
	"context"
	"encoding/hex"
	"net"
	"reflect"
	"testing"
	"time"

	"github.com/pion/dtls/v2"
	"github.com/pion/dtls/v2/pkg/protocol/handshake"
)

// capturePionClientHello runs a real pion client against a bare UDP socket
// and returns the first datagram it sends.
func capturePionClientHello(t *testing.T, cfg *dtls.Config) []byte {
	t.Helper()
	srv, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cli, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if c, err := dtls.ClientWithContext(ctx, cli, srv.LocalAddr(), cfg); err == nil {
			_ = c.Close()
		}
	}()
	defer func() { cancel(); _ = cli.Close(); <-done }()
	buf := make([]byte, 2048)
	_ = srv.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, err := srv.ReadFrom(buf)
	if err != nil {
		t.Fatalf("no ClientHello from pion: %v", err)
	}
	return buf[:n]
}

func pionPSKConfig() *dtls.Config {
	return &dtls.Config{
		PSK:                   func([]byte) ([]byte, error) { return []byte{1, 2, 3, 4}, nil },
		PSKIdentityHint:       []byte("urn:imei:123"),
		CipherSuites:          []dtls.CipherSuiteID{dtls.TLS_PSK_WITH_AES_128_CCM_8, dtls.TLS_PSK_WITH_AES_128_GCM_SHA256},
		ServerName:            "lwm2m.example.org",
		ConnectionIDGenerator: func() []byte { return []byte{0xc1, 0xd2, 0xe3, 0xf4} },
		ExtendedMasterSecret:  dtls.RequireExtendedMasterSecret,
	}
}

// pionClientHelloGolden is the first datagram pion v2.2.8-0.20240501061905
// sends for pionPSKConfig, with the 32-byte random zeroed.
const pionClientHelloGolden = `
16 fefd 0000 000000000000 008c                 // record: handshake, DTLS 1.2, epoch 0, seq 0
01 000080 0000 000000 000080                   // client_hello, whole, msg_seq 0
fefd
0000000000000000000000000000000000000000000000000000000000000000
00 00                                          // no session id, no cookie yet
0004 c0a8 00a8                                 // PSK_AES_128_CCM_8, PSK_AES_128_GCM_SHA256
01 00
0052
  000d 0010 000e 0403 0503 0603 0401 0501 0601 0807 // signature_algorithms
  ff01 0001 00                                 // renegotiation_info
  000a 0008 0006 001d 0017 0018                // supported_groups x25519, P-256, P-384
  000b 0002 01 00                              // ec_point_formats uncompressed
  0017 0000                                    // extended_master_secret
  0000 0016 0014 00 0011 6c776d326d2e6578616d706c652e6f7267 // server_name
  0036 0005 04 c1d2e3f4                        // connection_id
`

func TestPionClientHelloExactBytes(t *testing.T) {
	got := capturePionClientHello(t, pionPSKConfig())
	if len(got) < 13+12+34 {
		t.Fatalf("datagram of %d bytes", len(got))
	}
	zeroed := append([]byte(nil), got...)
	copy(zeroed[13+12+2:13+12+34], make([]byte, 32))
	if want := unhex(t, pionClientHelloGolden); !reflect.DeepEqual(zeroed, want) {
		t.Fatalf("pion ClientHello changed:\n got %s\nwant %s", hex.EncodeToString(zeroed), hex.EncodeToString(want))
	}
}

func TestParseClientHelloMatchesPion(t *testing.T) {
	dgram := capturePionClientHello(t, pionPSKConfig())
	recs, err := ParseRecords(dgram, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].ContentType != ContentHandshake || recs[0].Epoch != 0 {
		t.Fatalf("records %+v", recs)
	}
	h, err := ParseClientHello(recs[0].Fragment)
	if err != nil {
		t.Fatal(err)
	}
	// What the client was configured to offer ...
	if !h.HasSNI || h.SNI != "lwm2m.example.org" || !h.ConnectionID || h.CookieLen != 0 || h.Version != "DTLS 1.2" {
		t.Fatalf("%+v", h)
	}
	if !reflect.DeepEqual(h.CipherSuites, []uint16{0xc0a8, 0x00a8}) {
		t.Fatalf("suites %x", h.CipherSuites)
	}
	if !reflect.DeepEqual(h.SupportedGroups, []uint16{0x1d, 0x17, 0x18}) {
		t.Fatalf("groups %x", h.SupportedGroups)
	}
	// ... and what pion's own decoder reads from the same bytes.
	var ref handshake.MessageClientHello
	if err := ref.Unmarshal(recs[0].Fragment[HandshakeHeaderLen:]); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h.CipherSuites, ref.CipherSuiteIDs) {
		t.Errorf("suites %x, pion %x", h.CipherSuites, ref.CipherSuiteIDs)
	}
	var refExt []uint16
	for _, e := range ref.Extensions {
		refExt = append(refExt, uint16(e.TypeValue()))
	}
	if !reflect.DeepEqual(h.Extensions, refExt) {
		t.Errorf("extensions %v, pion %v", h.Extensions, refExt)
	}
}
