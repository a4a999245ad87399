package report

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// CopyEvidence copies the evidence of every merged result into
// out/evidence/<case id> and points the result there, so the merged
// report directory holds its evidence and its links stay relative. A
// shard's evidence is looked for under its report directory first (CI
// artifacts move between machines), then where the shard recorded it; a
// result whose evidence is found in neither keeps its recorded path.
func CopyEvidence(out string, in []ShardRun, merged *Run) error {
	from := map[string]string{}
	for _, s := range in {
		for _, res := range s.Run.Results {
			from[res.Case.ID] = s.From
		}
	}
	root := filepath.Join(out, "evidence")
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	for i := range merged.Results {
		res := &merged.Results[i]
		if res.EvidenceDir == "" {
			continue
		}
		rel := filepath.FromSlash(res.Case.ID)
		src := filepath.Join(from[res.Case.ID], "evidence", rel)
		if _, err := os.Stat(src); err != nil {
			src = res.EvidenceDir
		}
		if _, err := os.Stat(src); err != nil {
			continue
		}
		dst := filepath.Join(root, rel)
		if err := copyTree(dst, src); err != nil {
			return err
		}
		res.EvidenceDir = dst
	}
	return nil
}

// copyTree copies the regular files under src to dst, overwriting.
func copyTree(dst, src string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(target, path)
	})
}

// copyFile copies src with its permissions: key logs, captures and key
// files are the owner's only and must stay so. An existing dst is
// replaced, since opening it would keep its mode.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.Remove(dst); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, st.Mode().Perm())
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}
