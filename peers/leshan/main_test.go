package leshan

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// The package's tests share one server: JVM start-up is the slow part.
var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		if err := shared.srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the shared server:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// requireJava skips a test that needs the peers where Java is missing,
// unless CI is set (then the missing Java is a failure).
func requireJava(t *testing.T) {
	t.Helper()
	if _, err := ResolveMode(context.Background(), ModeProcess); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and the Leshan peers cannot run: %v", err)
		}
		t.Skip(err)
	}
}

// sharedServer is a process-mode PSK server with CID on.
func sharedServer(t *testing.T) *Server {
	t.Helper()
	requireJava(t)
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		shared.srv, shared.err = StartServer(ctx, ServerOptions{Mode: ModeProcess})
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.srv
}

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
