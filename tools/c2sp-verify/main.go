// c2sp-verify checks a published Strongroom log with an implementation that
// shares no code with Strongroom: Go's golang.org/x/mod/sumdb/note (C2SP
// signed-note) and golang.org/x/mod/sumdb/tlog (RFC 6962 trees and tiles),
// both from Debian's golang-golang-x-mod-dev package.
//
// Usage: c2sp-verify DIR|URL VKEY [EARLIER_CHECKPOINT_FILE]
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
	"encoding/base64"
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

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "c2sp-verify: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 3 {
		fail("usage: c2sp-verify DIR|URL VKEY [EARLIER_CHECKPOINT_FILE]")
	}
	dir := os.Args[1]
	v, err := note.NewVerifier(os.Args[2])
	if err != nil {
		fail("verifier key: %v", err)
	}
	raw, err := read(dir, "checkpoint")
	if err != nil {
		fail("%v", err)
	}
	size, root := openCheckpoint(raw, v)
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
	if len(os.Args) > 3 {
		prevRaw, err := os.ReadFile(os.Args[3])
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
	fmt.Printf("OK: %d entries verified against %s\n", size, v.Name())
}
