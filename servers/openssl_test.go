package servers

import (
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// opensslPath finds the openssl CLI; CI must have it, so there its absence
// fails the test instead of skipping it.
func opensslPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("openssl not found in CI: %v", err)
		}
		t.Skipf("openssl not installed: %v", err)
	}
	return p
}

// TestOpenSSLClientPSKSuites handshakes with OpenSSL's s_client, a DTLS
// stack independent of pion that rejects a malformed ServerKeyExchange.
func TestOpenSSLClientPSKSuites(t *testing.T) {
	bin := opensslPath(t)
	for _, tc := range []struct{ cipher, suite string }{
		{"ECDHE-PSK-AES128-CBC-SHA256", "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256"},
		{"PSK-AES128-CCM8", "TLS_PSK_WITH_AES_128_CCM_8"},
	} {
		t.Run(tc.cipher, func(t *testing.T) {
			log := events.NewLog()
			s := startPSKServer(t, log, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			// stdin at EOF: s_client prints the session once the handshake
			// is done, then closes it.
			cmd := exec.CommandContext(ctx, bin, "s_client", "-dtls1_2",
				"-psk", hex.EncodeToString([]byte("secret-key-0001")), "-psk_identity", "dev1",
				"-cipher", tc.cipher, "-connect", s.Addr().String())
			cmd.Stdin = strings.NewReader("")
			cmd.WaitDelay = time.Second
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "Cipher is "+tc.cipher) {
				t.Fatalf("s_client: %v\n%s\nserver timeline:\n%s", err, out, timeline(log))
			}
			done := waitEvent(t, log, events.HandshakeDone, time.Second, nil)
			if done.Fields["suite"] != tc.suite || done.Fields["psk_identity"] != "dev1" {
				t.Errorf("HandshakeDone %v", done.Fields)
			}
		})
	}
}
