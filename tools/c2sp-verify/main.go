// c2sp-verify checks a published Strongroom log with an implementation that
// shares no code with Strongroom: Go's golang.org/x/mod/sumdb/note (C2SP
// signed-note) and golang.org/x/mod/sumdb/tlog (RFC 6962 trees and tiles),
// both from Debian's golang-golang-x-mod-dev package.
//
// Usage: c2sp-verify [-witness VKEY]... [-quorum N] DIR|URL VKEY [EARLIER_CHECKPOINT_FILE]
//
// With -witness, it also requires that -quorum (default: all) of the given
// witnesses cosigned the checkpoint (C2SP tlog-cosignature, Ed25519
// cosignature/v1), checked here with Go's crypto/ed25519 from the spec.
//
// A URL (http:// or https://) is read with Go's net/http: the CA bundle
// comes from $SSL_CERT_FILE as usual, and $C2SP_BEARER_TOKEN, if set, is
// sent as "Authorization: Bearer ..." (strongroomd serves entry bundles
// only to people allowed to read the log).
//
// It verifies the checkpoint signature, authenticates every hash tile it
// reads against the checkpoint's root, checks that every entry in the entry
// bundles hashes to its leaf, and, given an earlier checkpoint, proves that
// the current tree is consistent with it.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type tileReader struct{ dir string }

// read returns the file at path below the log's location (a directory or a URL).
func read(location, path string) ([]byte, error) {
	if !strings.HasPrefix(location, "http://") && !strings.HasPrefix(location, "https://") {
		return os.ReadFile(location + "/" + path)
	}
	req, err := http.NewRequest("GET", strings.TrimSuffix(location, "/")+"/"+path, nil)
	if err != nil {
		return nil, err
	}
	if token := os.Getenv("C2SP_BEARER_TOKEN"); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, bytes.TrimSpace(body))
	}
	return body, nil
}

func (r tileReader) Height() int { return 8 }

// C2SP tlog-tiles paths are Go's tile paths without the height element.
func c2spPath(t tlog.Tile) string {
	return strings.Replace(t.Path(), "tile/8/", "tile/", 1)
}

func (r tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := read(r.dir, c2spPath(t))
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

func (r tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

func openCheckpoint(raw []byte, v note.Verifier) (int64, tlog.Hash) {
	n, err := note.Open(raw, note.VerifierList(v))
	if err != nil {
		fail("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] != v.Name() {
		fail("checkpoint body is malformed or has the wrong origin")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		fail("checkpoint root is not a base64 hash")
	}
	var h tlog.Hash
	copy(h[:], root)
	return size, h
}

type witness struct {
	name string
	id   []byte
	key  ed25519.PublicKey
}

type witnessList []witness

func (w *witnessList) String() string { return fmt.Sprint(len(*w)) }

// Set parses a cosignature/v1 vkey: name+hex(id)+base64(0x04 || key).
func (w *witnessList) Set(vkey string) error {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return fmt.Errorf("witness key is not name+id+key")
	}
	id, err := hex.DecodeString(parts[1])
	raw, err2 := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || err2 != nil || len(id) != 4 || len(raw) != 33 || raw[0] != 0x04 {
		return fmt.Errorf("witness key is not an Ed25519 cosignature/v1 vkey")
	}
	sum := sha256.Sum256(append([]byte(parts[0]+"\n"), raw...))
	if !bytes.Equal(sum[:4], id) {
		return fmt.Errorf("witness key id does not match its key")
	}
	*w = append(*w, witness{parts[0], id, ed25519.PublicKey(raw[1:])})
	return nil
}

// cosigners returns the names of the witnesses whose cosignature on the
// checkpoint note verifies.
func cosigners(note []byte, ws witnessList) []string {
	split := bytes.LastIndex(note, []byte("\n\n"))
	if split < 0 {
		fail("checkpoint note has no signatures")
	}
	text := note[:split+1]
	var names []string
	for _, line := range strings.Split(string(note[split+2:]), "\n") {
		fields := strings.Fields(strings.TrimPrefix(line, "\u2014 "))
		if len(fields) != 2 {
			continue
		}
		blob, err := base64.StdEncoding.DecodeString(fields[1])
		if err != nil || len(blob) != 4+8+64 {
			continue
		}
		for _, w := range ws {
			if w.name != fields[0] || !bytes.Equal(w.id, blob[:4]) {
				continue
			}
			ts := binary.BigEndian.Uint64(blob[4:12])
			msg := append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", ts)), text...)
			if !ed25519.Verify(w.key, msg, blob[12:]) {
				fail("the cosignature of %s does not verify", w.name)
			}
			names = append(names, w.name)
		}
	}
	return names
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "c2sp-verify: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	var witnesses witnessList
	flag.Var(&witnesses, "witness", "a trusted witness's cosignature/v1 vkey (repeatable)")
	quorum := flag.Int("quorum", -1, "how many witnesses must have cosigned (default: all)")
	flag.Parse()
	args := append([]string{os.Args[0]}, flag.Args()...)
	if len(args) < 3 {
		fail("usage: c2sp-verify [-witness VKEY]... [-quorum N] DIR|URL VKEY [EARLIER_CHECKPOINT_FILE]")
	}
	dir := args[1]
	v, err := note.NewVerifier(args[2])
	if err != nil {
		fail("verifier key: %v", err)
	}
	raw, err := read(dir, "checkpoint")
	if err != nil {
		fail("%v", err)
	}
	size, root := openCheckpoint(raw, v)
	if *quorum < 0 {
		*quorum = len(witnesses)
	}
	cosigned := cosigners(raw, witnesses)
	if len(cosigned) < *quorum {
		fail("the checkpoint is cosigned by %d of the trusted witnesses; the quorum is %d", len(cosigned), *quorum)
	}
	tree := tlog.Tree{N: size, Hash: root}
	reader := tlog.TileHashReader(tree, tileReader{dir})

	th, err := tlog.TreeHash(size, reader)
	if err != nil || th != root {
		fail("tree hash from tiles does not match the checkpoint: %v", err)
	}
	for start := int64(0); start < size; start += 256 {
		width := size - start
		if width > 256 {
			width = 256
		}
		t := tlog.Tile{H: 8, L: -1, N: start / 256, W: int(width)}
		path := strings.Replace(c2spPath(t), "tile/data/", "tile/entries/", 1)
		path = strings.Replace(path, "tile/-1/", "tile/entries/", 1)
		bundle, err := read(dir, path)
		if err != nil {
			fail("entry bundle: %v", err)
		}
		indexes := make([]int64, width)
		for i := range indexes {
			indexes[i] = tlog.StoredHashIndex(0, start+int64(i))
		}
		leaves, err := reader.ReadHashes(indexes)
		if err != nil {
			fail("leaf hashes for bundle %d: %v", start/256, err)
		}
		for i := int64(0); i < width; i++ {
			if len(bundle) < 2 {
				fail("entry bundle %s is truncated", path)
			}
			n := int(bundle[0])<<8 | int(bundle[1])
			if len(bundle) < 2+n {
				fail("entry bundle %s is truncated", path)
			}
			entry := bundle[2 : 2+n]
			bundle = bundle[2+n:]
			if tlog.RecordHash(entry) != leaves[i] {
				fail("entry %d does not hash to its leaf", start+i)
			}
			if !bytes.HasPrefix(entry, []byte("{")) {
				fail("entry %d is not a JSON object", start+i)
			}
		}
		if len(bundle) != 0 {
			fail("entry bundle %s has trailing bytes", path)
		}
	}
	if len(args) > 3 {
		prevRaw, err := os.ReadFile(args[3])
		if err != nil {
			fail("%v", err)
		}
		prevSize, prevRoot := openCheckpoint(prevRaw, v)
		proof, err := tlog.ProveTree(size, prevSize, reader)
		if err != nil {
			fail("consistency proof: %v", err)
		}
		if err := tlog.CheckTree(proof, size, root, prevSize, prevRoot); err != nil {
			fail("not consistent with the earlier checkpoint: %v", err)
		}
		fmt.Printf("consistent with the earlier checkpoint of size %d\n", prevSize)
	}
	if len(cosigned) > 0 {
		fmt.Printf("cosigned by %s\n", strings.Join(cosigned, " "))
	}
	fmt.Printf("OK: %d entries verified against %s\n", size, v.Name())
}
