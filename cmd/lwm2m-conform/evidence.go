package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/sut"
)

// printEvidence lists a case's evidence files and the command that shows
// its capture decrypted, runnable as printed: the harness server's key log
// is embedded in the capture and the server shown on port 5684, so tshark
// needs no other file and no option.
func printEvidence(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	var names []string
	if ents, err := os.ReadDir(abs); err == nil {
		for _, e := range ents {
			if !e.IsDir() {
				names = append(names, e.Name())
			}
		}
	}
	fmt.Printf("evidence %s (%s)\n", abs, strings.Join(names, ", "))
	if capture := filepath.Join(abs, "capture.pcapng"); exists(capture) {
		fmt.Printf("capture  %s\n", sut.Command{Args: []string{"tshark", "-r", capture, "-Y", "coap"}})
		fmt.Println("         (the harness server's key log is inside: Wireshark opens it decrypted too)")
	}
	if keys := filepath.Join(abs, "sslkeylog.txt"); exists(keys) {
		fmt.Printf("key log  %s (the harness server's, readable by the owner only)\n", keys)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
