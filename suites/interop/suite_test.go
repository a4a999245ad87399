package interop

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
)

func TestInterop(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "lwm2m-conform interop with Eclipse Leshan", Label("interop"))
}

// Suite-wide state, per Ginkgo process: the PKI and two Leshan servers
// with the same X.509 identity, Connection ID on and off.
var (
	pki       *certgen.Set
	mode      leshan.Mode
	leshanOn  *leshan.Server // -cid on: most specs
	leshanOff *leshan.Server // -cid off
	suiteT0   time.Time
)

var _ = BeforeSuite(func(ctx SpecContext) {
	suiteT0 = time.Now()
	requested, err := leshan.ModeFromEnv()
	Expect(err).NotTo(HaveOccurred())
	mode, err = leshan.ResolveMode(ctx, requested)
	if leshan.IsUnavailable(err) {
		if os.Getenv("CI") != "" {
			Fail(fmt.Sprintf("CI is set and Leshan cannot run here: %v", err))
		}
		Skip(err.Error())
	}
	Expect(err).NotTo(HaveOccurred())

	worlds, err := certgen.LoadDir(filepath.Join("testdata"))
	Expect(err).NotTo(HaveOccurred())
	pki, err = certgen.Materialise(worlds, time.Now())
	Expect(err).NotTo(HaveOccurred())

	// The first run builds the peers; later runs find them in the cache.
	if mode == leshan.ModeProcess {
		t0 := time.Now()
		jars, err := leshan.Fetch(ctx, "")
		Expect(err).NotTo(HaveOccurred())
		AddReportEntry("Leshan peers fetch", fmt.Sprintf("%s (built: %v) in %s", jars.Dir, jars.Built, time.Since(t0).Round(time.Millisecond)))
	}

	server := cert("server")
	root := cert("root")
	opts := func(cid string) leshan.ServerOptions {
		return leshan.ServerOptions{
			Mode: mode, CID: cid, Dir: evidenceDir("leshan-server-cid-" + cid),
			Certificate: []*x509.Certificate{server.X509, server.Issuer.X509},
			PrivateKey:  server.KeyPKCS8,
			TrustStore:  []*x509.Certificate{root.X509},
		}
	}
	var wg sync.WaitGroup
	var errOn, errOff error
	wg.Add(2)
	go func() { defer wg.Done(); leshanOn, errOn = leshan.StartServer(ctx, opts("on")) }()
	go func() { defer wg.Done(); leshanOff, errOff = leshan.StartServer(ctx, opts("off")) }()
	wg.Wait()
	Expect(errOn).NotTo(HaveOccurred())
	Expect(errOff).NotTo(HaveOccurred())
	AddReportEntry("Leshan start-up", fmt.Sprintf("server %s (cid on) %s, (cid off) %s, mode %s",
		leshan.Version, leshanOn.StartupTime().Round(time.Millisecond), leshanOff.StartupTime().Round(time.Millisecond), mode))
	fmt.Fprintf(GinkgoWriter, "Leshan %s servers up in %s and %s (%s mode)\n", leshan.Version, leshanOn.StartupTime(), leshanOff.StartupTime(), mode)
}, NodeTimeout(10*time.Minute))

var _ = AfterSuite(func() {
	for _, s := range []*leshan.Server{leshanOn, leshanOff} {
		if s != nil {
			Expect(s.Stop()).To(Succeed())
			if os.Getenv(evidenceEnv) != "" {
				AddReportEntry("Leshan server log", s.OutputFile())
			}
		}
	}
})

var _ = ReportAfterSuite("interop timings", func(r Report) {
	fmt.Fprintf(os.Stdout, "interop suite: %d specs, wall time %s\n", r.PreRunStats.SpecsThatWillRun, r.RunTime.Round(time.Millisecond))
})

// cert is a certificate of the interop world.
func cert(name string) *certgen.Cert {
	GinkgoHelper()
	c, err := pki.Cert("interop/" + name)
	Expect(err).NotTo(HaveOccurred())
	return c
}

// specCtx bounds one spec's own waiting.
func specCtx(d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	DeferCleanup(cancel)
	return ctx
}
