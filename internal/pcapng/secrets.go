package pcapng

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
)

// maxFile bounds what EmbedKeyLog reads: a capture within its limit, its
// markers and headers.
const maxFile = 64 << 20

// EmbedKeyLog rewrites the capture at path with keylog (NSS key log lines)
// in a Decryption Secrets Block ahead of the first packet, where Wireshark
// needs it. An empty key log leaves the file as it is. The file stays
// readable by the owner only.
func EmbedKeyLog(path string, keylog []byte) error {
	if len(keylog) == 0 {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("pcapng: %w", err)
	}
	if st.Size() > maxFile {
		return fmt.Errorf("pcapng: %s is %d bytes, more than a capture of this harness can be", path, st.Size())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("pcapng: %w", err)
	}
	at, err := firstPacketOffset(b)
	if err != nil {
		return fmt.Errorf("pcapng: %s: %w", path, err)
	}
	out := append(append(append(make([]byte, 0, len(b)+len(keylog)+32), b[:at]...), decryptionSecrets(keylog)...), b[at:]...)
	tmp, err := os.CreateTemp(filepath.Dir(path), ".capture-*.pcapng") // mode 0600
	if err != nil {
		return fmt.Errorf("pcapng: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return fmt.Errorf("pcapng: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("pcapng: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("pcapng: %w", err)
	}
	return nil
}

// firstPacketOffset is where the first block after the section header and
// interface descriptions starts (the end of the file if there is none).
func firstPacketOffset(b []byte) (int, error) {
	off := 0
	for off < len(b) {
		if len(b)-off < 12 {
			return 0, fmt.Errorf("truncated block at offset %d", off)
		}
		typ := binary.LittleEndian.Uint32(b[off:])
		total := int(binary.LittleEndian.Uint32(b[off+4:]))
		if total < 12 || total%4 != 0 || off+total > len(b) {
			return 0, fmt.Errorf("bad block length %d at offset %d", total, off)
		}
		switch {
		case off == 0 && (typ != blockSHB || binary.LittleEndian.Uint32(b[8:]) != byteOrderMagic):
			return 0, fmt.Errorf("not a little-endian pcapng file")
		case off == 0, typ == blockIDB:
			off += total
		default:
			return off, nil
		}
	}
	return off, nil
}
