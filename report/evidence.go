package report

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
)

// maxEvidenceFiles bounds the listing of one evidence directory.
const maxEvidenceFiles = 200

// evidenceLink is one file of a case's evidence directory.
type evidenceLink struct {
	Name string       // path relative to the evidence directory
	Href template.URL // relative link when under the report, else file:// URL
	Size string
	Kind string // what the file is, guessed from its name
}

// evidenceListing is what a case page shows about its evidence.
type evidenceListing struct {
	Dir   string
	Files []evidenceLink
	More  int    // files not listed
	Note  string // why the listing is missing or partial
}

// listEvidence lists the files under evDir. Links are relative to pageDir
// when the file lies inside reportDir (so the report directory can be moved
// or archived whole), else absolute file:// URLs. Problems are reported in
// Note: a missing evidence directory must not stop the report.
func listEvidence(evDir, reportDir, pageDir string) evidenceListing {
	l := evidenceListing{Dir: evDir}
	if evDir == "" {
		return l
	}
	absEv, err := filepath.Abs(evDir)
	if err != nil {
		l.Note = err.Error()
		return l
	}
	absReport, err := filepath.Abs(reportDir)
	if err != nil {
		l.Note = err.Error()
		return l
	}
	err = filepath.WalkDir(absEv, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == absEv {
				return err
			}
			l.Note = fmt.Sprintf("some entries could not be read: %v", err)
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if len(l.Files) == maxEvidenceFiles {
			l.More++
			return nil
		}
		rel, _ := filepath.Rel(absEv, path)
		link := evidenceLink{Name: filepath.ToSlash(rel), Kind: evidenceKind(d.Name())}
		if info, err := d.Info(); err == nil {
			link.Size = formatSize(info.Size())
		}
		link.Href = fileHref(path, absReport, pageDir)
		l.Files = append(l.Files, link)
		return nil
	})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			l.Note = "evidence directory does not exist"
		} else {
			l.Note = err.Error()
		}
	}
	return l
}

// fileHref links to the absolute path target from a page in pageDir.
func fileHref(target, absReport, pageDir string) template.URL {
	if within(target, absReport) {
		absPage, err := filepath.Abs(pageDir)
		if err == nil {
			if rel, err := filepath.Rel(absPage, target); err == nil {
				u := url.URL{Path: filepath.ToSlash(rel)}
				return template.URL(u.String())
			}
		}
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(target)}
	return template.URL(u.String())
}

// within reports whether path lies inside dir (both absolute and clean).
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// evidenceKind names the usual evidence files so a reader finds the
// capture or the key log without opening each one.
func evidenceKind(name string) string {
	lower := strings.ToLower(name)
	switch {
	case lower == "capture.pcapng":
		return "packet capture, the harness server's key log embedded"
	case strings.HasSuffix(lower, ".pcap"), strings.HasSuffix(lower, ".pcapng"):
		return "packet capture"
	case strings.Contains(lower, "keylog"), strings.HasSuffix(lower, ".keys"):
		return "TLS key log (SSLKEYLOGFILE)"
	case lower == "psk.key":
		return "the case's PSK (hex), readable by the owner only"
	case strings.HasSuffix(lower, ".pem"), strings.HasSuffix(lower, ".der"), strings.HasSuffix(lower, ".crt"):
		return "certificate / key material"
	case strings.HasSuffix(lower, ".log"), strings.HasSuffix(lower, ".txt"):
		return "log"
	case strings.HasSuffix(lower, ".json"), strings.HasSuffix(lower, ".yaml"), strings.HasSuffix(lower, ".yml"):
		return "data"
	}
	return ""
}

func formatSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
