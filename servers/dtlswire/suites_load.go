package dtlswire

import (
	"fmt"
	"strconv"
	"strings"
)

// tsvRows yields the data rows of an embedded table with their 1-based line
// numbers, skipping blank lines and # comments, so errors can name the line.
func tsvRows(text string, columns int, each func(line int, f []string) error) error {
	for i, raw := range strings.Split(text, "\n") {
		raw = strings.TrimRight(raw, "\r")
		if strings.TrimSpace(raw) == "" || strings.HasPrefix(raw, "#") {
			continue
		}
		f := strings.Split(raw, "\t")
		if len(f) != columns {
			return fmt.Errorf("line %d: %d tab-separated columns, want %d", i+1, len(f), columns)
		}
		for j, v := range f {
			if v == "" {
				return fmt.Errorf("line %d: column %d is empty", i+1, j+1)
			}
		}
		if err := each(i+1, f); err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	return nil
}

var suiteModes = map[string]bool{"stream": true, "CBC": true, "AEAD": true, "NULL": true, "-": true}

// parseSuites reads the registry table; codes must be unique and ascending
// (as in the registry) and names unique.
func parseSuites(file, text string) ([]Suite, error) {
	var out []Suite
	names := map[string]int{}
	err := tsvRows(text, 11, func(line int, f []string) error {
		if len(f[0]) != 6 || !strings.HasPrefix(f[0], "0x") {
			return fmt.Errorf("code %q is not 0xHHHH", f[0])
		}
		id, err := strconv.ParseUint(f[0][2:], 16, 16)
		if err != nil {
			return fmt.Errorf("code %q is not 0xHHHH", f[0])
		}
		if n := len(out); n > 0 && uint16(id) <= out[n-1].ID {
			return fmt.Errorf("code %s is not above the previous row's 0x%04X (duplicate or out of order)", f[0], out[n-1].ID)
		}
		if !strings.HasPrefix(f[1], "TLS_") {
			return fmt.Errorf("name %q does not start with TLS_", f[1])
		}
		if prev, dup := names[f[1]]; dup {
			return fmt.Errorf("name %s already on line %d", f[1], prev)
		}
		names[f[1]] = line
		if !suiteModes[f[5]] {
			return fmt.Errorf("mode %q is not stream, CBC, AEAD, NULL or -", f[5])
		}
		export, err1 := yesNo("export", f[7])
		dtlsOK, err2 := yesNo("dtls_ok", f[8])
		if err := firstErr(err1, err2); err != nil {
			return err
		}
		if f[9] != "Y" && f[9] != "N" && f[9] != "D" {
			return fmt.Errorf("recommended %q is not Y, N or D", f[9])
		}
		out = append(out, Suite{ID: uint16(id), Name: f[1], KeyExchange: f[2], Auth: f[3],
			Cipher: f[4], Mode: f[5], MAC: f[6], Export: export, DTLSOK: dtlsOK,
			Recommended: f[9], Reference: f[10]})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s %w", file, err)
	}
	return out, nil
}

func yesNo(column, v string) (bool, error) {
	switch v {
	case "Y":
		return true, nil
	case "N":
		return false, nil
	}
	return false, fmt.Errorf("%s %q is not Y or N", column, v)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
