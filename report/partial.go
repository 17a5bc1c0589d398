package report

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report/internal/exact"
)

// PartialFormat names the version of the partial-result file format.
const PartialFormat = "drsim.partial/v2"

// partialMagic starts every partial file (after gzip decompression).
const partialMagic = PartialFormat + "\n"

// PartialHeader is the self-describing header of a partial result: what
// scenario and trials it holds. The rest of the file is the trials'
// compact records and sums (WritePartial).
type PartialHeader struct {
	Format string `json:"format"`
	// Scenario is the scenario's name and File the file or bundled name
	// it was loaded from (the report shows both).
	Scenario string `json:"scenario"`
	File     string `json:"file,omitempty"`
	// Digest is Digest(ResolvedTOML): partials with the same digest are
	// of the same scenario, whatever path it was read from.
	Digest string `json:"digest"`
	Seed   uint64 `json:"seed"`
	// Trials is the run's trial count; the file holds trials [From, To).
	Trials int `json:"trials"`
	From   int `json:"from"`
	To     int `json:"to"`
	// Shard is "i/n" when the file is shard i of n.
	Shard string `json:"shard,omitempty"`
	// Drsim names the drsim build that wrote the partial (cmd/drsim: the
	// module version, the VCS revision and whether the tree was modified
	// when recorded, and the Go version): merge refuses partials of
	// different builds, whose trials need not be the same.
	Drsim string `json:"drsim,omitempty"`
	// ResolvedTOML is the resolved scenario (scenarios.Resolved.TOML):
	// what merge computes the cost from and replays the representative
	// trial with. Locator is the scenario's positions
	// (scenarios.MarshalLocator), for findings that point at its lines.
	ResolvedTOML string          `json:"resolved_toml"`
	Locator      json.RawMessage `json:"locator,omitempty"`
	// Overrides are the --set overrides the run was made with (applied in
	// ResolvedTOML already; the report lists them).
	Overrides []Override `json:"overrides,omitempty"`
	// Stores, Ops, Regions, Keys and Reasons size the records and sums.
	Stores  int `json:"stores"`
	Ops     int `json:"ops"`
	Regions int `json:"regions"`
	Keys    int `json:"keys"`
	Reasons int `json:"reasons"`
}

// Digest returns "sha256:" and the hex SHA-256 of a resolved scenario,
// without its leading comment lines: they say which path it was read
// from and how the overrides were spelt, which do not change the results
// (the same scenario read as team/a.toml on one machine and /src/team/a.toml
// on another is one scenario; the values an override sets are in the
// TOML itself).
func Digest(resolvedTOML []byte) string {
	b := resolvedTOML
	for bytes.HasPrefix(b, []byte("#")) {
		_, rest, ok := bytes.Cut(b, []byte("\n"))
		if !ok {
			rest = nil
		}
		b = rest
	}
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

// WritePartial writes t as a partial result: gzip of the magic line, the
// header (JSON, its length first), then the records, the per-store and
// per-op values, the rare details and the sums, little-endian. The rare
// details are renumbered in trial order, so the file depends only on the
// trials, not on the workers that ran them. h gives what t does not know
// (the resolved scenario, the run's trial count, the shard); its sizes and
// range are set from t.
func WritePartial(w io.Writer, t *Trials, h PartialHeader) error {
	h.Format = PartialFormat
	h.Seed = t.Seed
	h.From, h.To = t.from, t.from+t.N()
	h.Stores, h.Ops, h.Regions, h.Keys, h.Reasons = t.nStores, t.nOps, t.nR, t.nKeys, int(kms.NumReasons)
	if h.Scenario == "" {
		h.Scenario = t.Cfg.Name
	}
	hdr, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("report: partial header: %w", err)
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(zw, 1<<16)
	var b []byte
	b = append(b, partialMagic...)
	b = binary.AppendUvarint(b, uint64(len(hdr)))
	b = append(b, hdr...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	// Rare details in trial order: old offset → new.
	var arena []byte
	remap := map[uint32]uint32{}
	for k := range t.recs {
		off := t.recs[k].Rare
		if off == 0 {
			continue
		}
		if _, ok := remap[off]; ok {
			continue
		}
		e := t.rare.entry(off)
		remap[off] = uint32(len(arena)) + 1
		arena = binary.AppendUvarint(arena, uint64(len(e)))
		arena = append(arena, e...)
	}
	var buf [8]byte
	u64 := func(v uint64) error {
		binary.LittleEndian.PutUint64(buf[:], v)
		_, err := bw.Write(buf[:])
		return err
	}
	for k := range t.recs {
		r := &t.recs[k]
		rare := uint32(0)
		if r.Rare != 0 {
			rare = remap[r.Rare]
		}
		for _, v := range [...]uint64{uint64(r.T0), uint64(r.RTO), uint64(r.RPO), math.Float64bits(r.Unavailable),
			math.Float64bits(r.Success), math.Float64bits(r.IncidentSuccess), uint64(rare) | uint64(r.Flags)<<32} {
			if err := u64(v); err != nil {
				return err
			}
		}
	}
	for _, v := range t.stores {
		if err := u64(v); err != nil {
			return err
		}
	}
	for _, v := range t.ops {
		if err := u64(uint64(v)); err != nil {
			return err
		}
	}
	b = binary.AppendUvarint(b[:0], uint64(len(arena)))
	b = append(b, arena...)
	b = appendSums(b, &t.sums)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

func appendSums(b []byte, s *Sums) []byte {
	b = binary.AppendUvarint(b, uint64(s.Bad))
	b = appendSum(b, &s.Offered)
	for _, v := range [][]exact.Sum{s.Failures, s.ByKey, s.ByStore} {
		for k := range v {
			b = appendSum(b, &v[k])
		}
	}
	for k := range s.Ops {
		o := &s.Ops[k]
		for _, v := range [...]int{o.NotStarted, o.Started, o.Done, o.Failed, o.Abandoned, o.Refused} {
			b = binary.AppendUvarint(b, uint64(v))
		}
		b = appendCount(b, &o.Attempts)
		b = appendExactCounts(b, o.Errors)
		b = appendCounts(b, o.LastErrors)
	}
	return b
}

func appendSum(b []byte, s *exact.Sum) []byte {
	for _, w := range s.Words() {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

// appendCount writes an exact count: its halves as uvarints, low first.
func appendCount(b []byte, c *exact.Count) []byte {
	w := c.Words()
	b = binary.AppendUvarint(b, w[0])
	return binary.AppendUvarint(b, w[1])
}

// appendExactCounts writes a map of exact counts, keys sorted.
func appendExactCounts(b []byte, m map[string]exact.Count) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(b, k)
		c := m[k]
		b = appendCount(b, &c)
	}
	return b
}

// appendCounts writes a count map, keys sorted.
func appendCounts(b []byte, m map[string]int) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(b, k)
		b = binary.AppendUvarint(b, uint64(m[k]))
	}
	return b
}

// Partial is a decoded partial result: its header and its trials, whose
// Cfg is nil until the caller sets it (the resolved scenario is in the
// header; package report does not parse scenarios).
type Partial struct {
	Header PartialHeader
	Trials *Trials
}

// maxPartialHeader bounds the header (the resolved scenario is a few KB).
const maxPartialHeader = 64 << 20

// NotPartialError is a file that is not a partial result at all (not
// gzip, or without the drsim.partial header): a report, a scenario, an
// empty file.
type NotPartialError struct{ What string }

func (e *NotPartialError) Error() string { return "report: not a partial result (" + e.What + ")" }

// DamagedError is a partial result whose bytes are not what WritePartial
// wrote: truncated (a copy cut short, a full disk) or corrupted. What
// says where the decoder found it, in words; the cure is to run the shard
// again.
type DamagedError struct{ What string }

func (e *DamagedError) Error() string { return "report: damaged or truncated partial: " + e.What }

// damaged returns a DamagedError for a failure while reading part (the
// records, the sums...): err's end of data reads "the data ends early".
func damaged(part string, err error) error {
	switch {
	case err == nil:
		return &DamagedError{part}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &DamagedError{"the data ends early, in " + part}
	case errors.Is(err, gzip.ErrChecksum):
		return &DamagedError{"the compressed data's checksum does not match"}
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) {
		return &DamagedError{"the compressed data is corrupt, in " + part}
	}
	return &DamagedError{part + ": " + err.Error()}
}

// PartialReader reads a partial result in two steps: OpenPartial reads
// the header (it comes first, so that a merge knows every partial's range
// and the run's trial count before it allocates anything), then a Merger
// (or ReadPartial) decodes the trials straight into place.
type PartialReader struct {
	Header PartialHeader
	zr     *gzip.Reader // nil for decompressed content
	br     *bufio.Reader
}

// OpenPartial reads the header of the partial result r. Errors are
// *NotPartialError (not a partial result) or *DamagedError.
func OpenPartial(r io.Reader) (*PartialReader, error) {
	br := bufio.NewReader(r)
	// A file cut short in its gzip header is damaged only if it began as
	// gzip does (RFC 1952: ID1 0x1f, ID2 0x8b); a short text file is not a
	// partial at all.
	head, _ := br.Peek(2)
	gzipStart := len(head) > 0 && head[0] == 0x1f && (len(head) == 1 || head[1] == 0x8b)
	zr, err := gzip.NewReader(br)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) && gzipStart {
			return nil, damaged("the gzip header", err)
		}
		if !gzipStart && len(head) > 0 {
			return nil, &NotPartialError{"not gzip-compressed, as every partial result is"}
		}
		return nil, &NotPartialError{fmt.Sprintf("gzip: %v", err)}
	}
	p, err := openRaw(zr)
	if err != nil {
		zr.Close()
		return nil, err
	}
	p.zr = zr
	return p, nil
}

// Close releases the decompressor (not the underlying reader).
func (p *PartialReader) Close() error {
	if p.zr != nil {
		return p.zr.Close()
	}
	return nil
}

// openRaw reads the header from the decompressed content r.
func openRaw(r io.Reader) (*PartialReader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic := make([]byte, len(partialMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != partialMagic {
		if err == nil && string(magic[:len("drsim.partial/")]) == "drsim.partial/" {
			v, _, _ := bytes.Cut(magic, []byte("\n"))
			return nil, &NotPartialError{fmt.Sprintf("format %s, this drsim reads %s", v, PartialFormat)}
		}
		if err != nil && len(magic) > 0 && magic[0] == 'd' {
			return nil, damaged("the header", err)
		}
		return nil, &NotPartialError{"no " + PartialFormat + " header"}
	}
	n, err := binary.ReadUvarint(br)
	if err != nil || n > maxPartialHeader {
		return nil, damaged("the header's length", err)
	}
	hb, err := readN(br, int(n))
	if err != nil {
		return nil, damaged("the header", err)
	}
	var h PartialHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, damaged("the header", errors.New("not valid JSON"))
	}
	if h.Format != PartialFormat {
		return nil, &NotPartialError{fmt.Sprintf("format %q, this drsim reads %q", h.Format, PartialFormat)}
	}
	switch {
	case h.From < 0 || h.To < h.From || h.Trials < 0 || h.To > h.Trials:
		return nil, damaged(fmt.Sprintf("the header: trials [%d, %d) of %d", h.From, h.To, h.Trials), nil)
	case h.Stores < 0 || h.Ops < 0 || h.Regions < 0 || h.Keys < 0 || h.Stores > 1<<16 || h.Ops > 1<<16 || h.Regions > 1<<12 || h.Keys > 1<<16:
		return nil, damaged(fmt.Sprintf("the header: %d stores, %d ops, %d regions, %d keys", h.Stores, h.Ops, h.Regions, h.Keys), nil)
	case h.Reasons != int(kms.NumReasons):
		return nil, damaged(fmt.Sprintf("the header: %d failure reasons, this drsim has %d", h.Reasons, kms.NumReasons), nil)
	}
	return &PartialReader{Header: h, br: br}, nil
}

// ReadPartial decodes a partial result written by WritePartial. Every
// length and index is checked: a truncated, corrupt or hostile file is an
// error (*NotPartialError or *DamagedError), never a panic or an
// allocation beyond what its decompressed size justifies.
func ReadPartial(r io.Reader) (*Partial, error) {
	p, err := OpenPartial(r)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return p.readAll()
}

// decodePartial decodes the decompressed content of a partial file.
func decodePartial(r io.Reader) (*Partial, error) {
	p, err := openRaw(r)
	if err != nil {
		return nil, err
	}
	return p.readAll()
}

// readAll decodes the trials of p into a Trials of their own.
func (p *PartialReader) readAll() (*Partial, error) {
	h := &p.Header
	t := &Trials{Seed: h.Seed, from: h.From, nStores: h.Stores, nOps: h.Ops, nR: h.Regions, nKeys: h.Keys}
	t.sums = newSums(h.Regions, h.Ops, h.Keys, h.Stores)
	if err := p.readInto(context.Background(), t, true); err != nil {
		return nil, err
	}
	return &Partial{Header: *h, Trials: t}, nil
}

// recordWords is the size of a Record in the file, in uint64s.
const recordWords = 7

// readInto decodes p's trials into t at their trial indices (t holds
// trials from t.from on; grow, when set, appends them as they arrive,
// otherwise t already has room for them), interning the rare details in
// t's table and adding the sums to t's. Nothing is allocated per trial
// beyond t's own slices. It stops with ctx's error when ctx is done.
func (p *PartialReader) readInto(ctx context.Context, t *Trials, grow bool) error {
	h := &p.Header
	br := p.br
	count := h.To - h.From
	k0 := h.From - t.from
	// Fixed-size parts are read in chunks, so that a header claiming many
	// trials costs nothing until the bytes are there (grow) and an
	// interruption is seen within a chunk.
	const chunk = 4096
	buf := make([]byte, 8*recordWords*chunk)
	for done := 0; done < count; {
		if err := ctx.Err(); err != nil {
			return err
		}
		m := min(chunk, count-done)
		if _, err := io.ReadFull(br, buf[:8*recordWords*m]); err != nil {
			return damaged("the records", err)
		}
		if grow {
			t.recs = growTo(t.recs, k0+done+m)
		}
		for i := 0; i < m; i++ {
			var w [recordWords]uint64
			for j := range w {
				w[j] = binary.LittleEndian.Uint64(buf[8*(recordWords*i+j):])
			}
			if w[6]>>48 != 0 {
				return damaged(fmt.Sprintf("the record of trial %d", h.From+done+i), nil)
			}
			t.recs[k0+done+i] = Record{T0: int64(w[0]), RTO: int64(w[1]), RPO: int64(w[2]), Unavailable: math.Float64frombits(w[3]),
				Success: math.Float64frombits(w[4]), IncidentSuccess: math.Float64frombits(w[5]),
				Rare: uint32(w[6]), Flags: uint16(w[6] >> 32)}
		}
		done += m
	}
	if err := readWordsInto(ctx, br, buf, "the per-store values", &t.stores, k0, count, h.Stores, grow); err != nil {
		return err
	}
	if err := readWordsInto(ctx, br, buf, "the per-op values", &t.ops, k0, count, h.Ops, grow); err != nil {
		return err
	}
	an, err := binary.ReadUvarint(br)
	if err != nil || an > 1<<32-2 {
		return damaged("the rare details' length", err)
	}
	arena, err := readN(br, int(an))
	if err != nil {
		return damaged("the rare details", err)
	}
	valid, err := validateArena(arena, h.Stores, h.Ops)
	if err != nil {
		return damaged("the rare details", err)
	}
	// Intern each entry in t's table; renumber the records.
	remap := make(map[uint32]uint32, len(valid))
	for off := 0; off < len(arena); {
		n, w := binary.Uvarint(arena[off:])
		remap[uint32(off)+1] = t.rare.intern(arena[off+w : off+w+int(n)])
		off += w + int(n)
	}
	for k := k0; k < k0+count; k++ {
		r := &t.recs[k]
		if r.Rare == 0 {
			continue
		}
		n, ok := remap[r.Rare]
		if !ok {
			return damaged(fmt.Sprintf("the record of trial %d (no rare detail at %d)", t.from+k, r.Rare), nil)
		}
		r.Rare = n
	}
	sums := newSums(h.Regions, h.Ops, h.Keys, h.Stores)
	if err := readSums(br, &sums); err != nil {
		return damaged("the sums", err)
	}
	switch _, err := br.ReadByte(); {
	case err == nil:
		return damaged("data after the end of the partial result", nil)
	case err != io.EOF:
		return damaged("the end of the file", err)
	}
	t.sums.merge(&sums)
	return nil
}

// readWordsInto reads count×per little-endian words into (*dst)[k0·per:],
// in chunks of buf (growing *dst as they arrive when grow is set).
func readWordsInto[T uint64 | int64](ctx context.Context, br io.Reader, buf []byte, part string, dst *[]T, k0, count, per int, grow bool) error {
	total := count * per
	if count > 0 && total/count != per {
		return damaged(part, errors.New("too many values"))
	}
	at := k0 * per
	for done := 0; done < total; {
		if err := ctx.Err(); err != nil {
			return err
		}
		m := min(len(buf)/8, total-done)
		if _, err := io.ReadFull(br, buf[:8*m]); err != nil {
			return damaged(part, err)
		}
		if grow {
			*dst = growTo(*dst, at+done+m)
		}
		for i := 0; i < m; i++ {
			(*dst)[at+done+i] = T(binary.LittleEndian.Uint64(buf[8*i:]))
		}
		done += m
	}
	return nil
}

// readN reads n bytes, growing the buffer as bytes arrive (a bad length
// fails at the end of the data, without a huge allocation first).
func readN(r io.Reader, n int) ([]byte, error) {
	var b bytes.Buffer
	if _, err := io.CopyN(&b, r, int64(n)); err != nil {
		return nil, fmt.Errorf("truncated: %w", err)
	}
	return b.Bytes(), nil
}

// validateArena walks every entry of a rare-details arena, checks that
// each parses (known tags, lengths in bounds, store and op indices in
// range) and returns the valid entry offsets (+1).
func validateArena(arena []byte, nStores, nOps int) (map[uint32]bool, error) {
	valid := map[uint32]bool{}
	for off := 0; off < len(arena); {
		n, w := binary.Uvarint(arena[off:])
		if w <= 0 || n > uint64(len(arena)-off-w) {
			return nil, fmt.Errorf("entry at %d: bad length", off)
		}
		if err := checkEntry(arena[off+w:off+w+int(n)], nStores, nOps); err != nil {
			return nil, fmt.Errorf("entry at %d: %w", off, err)
		}
		valid[uint32(off)+1] = true
		off += w + int(n)
	}
	return valid, nil
}

// checkEntry checks that b parses as rareOf parses it.
func checkEntry(b []byte, nStores, nOps int) error {
	uv := func() (uint64, error) {
		v, w := binary.Uvarint(b)
		if w <= 0 {
			return 0, errors.New("bad varint")
		}
		b = b[w:]
		return v, nil
	}
	sv := func() error {
		_, w := binary.Varint(b)
		if w <= 0 {
			return errors.New("bad varint")
		}
		b = b[w:]
		return nil
	}
	str := func() error {
		n, err := uv()
		if err != nil {
			return err
		}
		if n > uint64(len(b)) {
			return errors.New("string past the end")
		}
		b = b[n:]
		return nil
	}
	for len(b) > 0 {
		tag := b[0]
		b = b[1:]
		switch tag {
		case tagUpTime, tagFailoverAt:
			if err := sv(); err != nil {
				return err
			}
		case tagFailures:
			if len(b) < 8*int(kms.NumReasons) {
				return errors.New("failures past the end")
			}
			b = b[8*int(kms.NumReasons):]
		case tagStoreRPO:
			n, err := uv()
			if err != nil {
				return err
			}
			for ; n > 0; n-- {
				s, err := uv()
				if err != nil {
					return err
				}
				if s >= uint64(nStores) {
					return fmt.Errorf("store %d of %d", s, nStores)
				}
				if err := sv(); err != nil {
					return err
				}
			}
		case tagOpErrors:
			n, err := uv()
			if err != nil {
				return err
			}
			for ; n > 0; n-- {
				op, err := uv()
				if err != nil {
					return err
				}
				if op >= uint64(nOps) {
					return fmt.Errorf("op %d of %d", op, nOps)
				}
				if len(b) < 1 {
					return errors.New("op flags past the end")
				}
				b = b[1:]
				if err := str(); err != nil {
					return err
				}
				if err := str(); err != nil {
					return err
				}
			}
		case tagCauses:
			n, err := uv()
			if err != nil {
				return err
			}
			for ; n > 0; n-- {
				if _, err := uv(); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("unknown tag %d", tag)
		}
	}
	return nil
}

func readSums(r *bufio.Reader, s *Sums) error {
	uv := func() (int, error) {
		v, err := binary.ReadUvarint(r)
		if err != nil || v > math.MaxInt64/2 {
			return 0, errors.New("bad count")
		}
		return int(v), nil
	}
	sum := func(x *exact.Sum) error {
		var w [4]uint64
		var buf [32]byte
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return err
		}
		for i := range w {
			w[i] = binary.LittleEndian.Uint64(buf[8*i:])
		}
		*x = exact.FromWords(w)
		return nil
	}
	count := func() (exact.Count, error) {
		lo, err1 := binary.ReadUvarint(r)
		hi, err2 := binary.ReadUvarint(r)
		if err1 != nil || err2 != nil {
			return exact.Count{}, errors.New("bad count")
		}
		return exact.CountFromWords([2]uint64{lo, hi}), nil
	}
	var err error
	if s.Bad, err = uv(); err != nil {
		return err
	}
	if err := sum(&s.Offered); err != nil {
		return err
	}
	for _, v := range [][]exact.Sum{s.Failures, s.ByKey, s.ByStore} {
		for k := range v {
			if err := sum(&v[k]); err != nil {
				return err
			}
		}
	}
	for k := range s.Ops {
		o := &s.Ops[k]
		for _, p := range []*int{&o.NotStarted, &o.Started, &o.Done, &o.Failed, &o.Abandoned, &o.Refused} {
			if *p, err = uv(); err != nil {
				return err
			}
		}
		if o.Attempts, err = count(); err != nil {
			return err
		}
		for i, m := range []map[string]int{nil, o.LastErrors} {
			n, err := uv()
			if err != nil {
				return err
			}
			for ; n > 0; n-- {
				l, err := uv()
				if err != nil || l > 1<<20 {
					return errors.New("bad string")
				}
				kb, err := readN(r, l)
				if err != nil {
					return err
				}
				if i == 0 {
					c, err := count()
					if err != nil {
						return err
					}
					prev := o.Errors[string(kb)]
					prev.Merge(&c)
					o.Errors[string(kb)] = prev
					continue
				}
				c, err := uv()
				if err != nil {
					return err
				}
				m[string(kb)] += c
			}
		}
	}
	return nil
}

// MergeError is a problem with the partials given to Merge: they are of
// different runs, or their trial ranges leave gaps or overlap. Its message
// names the files (and shards) involved.
type MergeError struct{ Msg string }

func (e *MergeError) Error() string { return "report: merge: " + e.Msg }

// PartialInfo is a partial result as a merge sees it before reading its
// trials: the name to call it by in messages (its file) and its header.
type PartialInfo struct {
	Name   string
	Header PartialHeader
}

// label is the partial's name and, when known, its shard: "p-3.drsim
// (shard 3/4)".
func (p *PartialInfo) label() string {
	if p.Header.Shard != "" {
		return p.Name + " (shard " + p.Header.Shard + ")"
	}
	return p.Name
}

// CheckPartials checks that parts are partials of one run that cover its
// trials once each, from their headers alone: the same scenario (Digest:
// what determines the results, not the path it was read from), drsim
// build (Drsim), seed and trial count, and no gap or overlap. The error
// (*MergeError) names the files and shards involved and what differs;
// gaps name the shards to re-run when the partials are shards of one n.
func CheckPartials(parts []PartialInfo) error {
	if len(parts) == 0 {
		return &MergeError{"no partial result"}
	}
	p0 := &parts[0]
	h0 := &p0.Header
	for i := range parts[1:] {
		p := &parts[1+i]
		h := &p.Header
		what := ""
		switch {
		case h.Drsim != h0.Drsim:
			what = fmt.Sprintf("were written by different drsim builds: %s by %s, %s by %s; run every shard with one build", p0.label(), buildName(h0.Drsim), p.label(), buildName(h.Drsim))
		case h.Digest != h0.Digest:
			what = fmt.Sprintf("are of different scenarios: %s is of %s (%s), %s of %s (%s)", p0.label(), h0.Scenario, short(h0.Digest), p.label(), h.Scenario, short(h.Digest))
			switch {
			case !slices.Equal(h.Overrides, h0.Overrides):
				what += fmt.Sprintf("; they were run with different --set overrides: %s with %s, %s with %s", p0.Name, setsText(h0.Overrides), p.Name, setsText(h.Overrides))
			case h.Scenario == h0.Scenario:
				what += "; the resolved scenarios differ (the files' content: compare the resolved_toml of their headers)"
			}
		case h.Seed != h0.Seed:
			what = fmt.Sprintf("are of different seeds: %s has seed %d, %s seed %d", p0.label(), h0.Seed, p.label(), h.Seed)
		case h.Trials != h0.Trials:
			what = fmt.Sprintf("are of runs of different trial counts: %s is of %d trials, %s of %d", p0.label(), h0.Trials, p.label(), h.Trials)
		case h.Stores != h0.Stores || h.Ops != h0.Ops || h.Regions != h0.Regions || h.Keys != h0.Keys:
			what = fmt.Sprintf("have different shapes (stores, ops, regions, keys): %s and %s", p0.label(), p.label())
		}
		if what != "" {
			return &MergeError{"the partials " + what}
		}
	}
	sorted := make([]*PartialInfo, len(parts))
	for i := range parts {
		sorted[i] = &parts[i]
	}
	slices.SortStableFunc(sorted, func(a, b *PartialInfo) int { return a.Header.From - b.Header.From })
	// n is the shard count all partials share, 0 when they do not.
	n := 0
	for i, p := range sorted {
		_, m, ok := parseShardLabel(p.Header.Shard)
		if !ok || (i > 0 && m != n) {
			n = 0
			break
		}
		n = m
	}
	missing := func(a, b int) string {
		s := fmt.Sprintf("trials %d to %d are missing", a, b)
		if n > 0 {
			i, j := shardOf(a, n, h0.Trials), shardOf(b, n, h0.Trials)
			if i == j {
				s += fmt.Sprintf(" (shard %d/%d)", i, n)
			} else {
				s += fmt.Sprintf(" (shards %d to %d of %d)", i, j, n)
			}
		}
		return s
	}
	var problems []string
	at := 0
	var last *PartialInfo // the partial that reaches at
	for _, p := range sorted {
		h := &p.Header
		if h.From > at {
			problems = append(problems, missing(at, h.From-1))
		}
		if h.From < at && h.To > h.From {
			problems = append(problems, fmt.Sprintf("trials %d to %d are in more than one partial (%s and %s)", h.From, min(at, h.To)-1, last.label(), p.label()))
		}
		if h.To >= at {
			at, last = h.To, p
		}
	}
	if at < h0.Trials {
		problems = append(problems, missing(at, h0.Trials-1))
	}
	if len(problems) > 0 {
		return &MergeError{fmt.Sprintf("the partials do not cover trials 0 to %d once each: %s", h0.Trials-1, joinSemi(problems))}
	}
	return nil
}

// setsText lists overrides as --set flags, or "none".
func setsText(ov []Override) string {
	if len(ov) == 0 {
		return "none"
	}
	var parts []string
	for _, o := range ov {
		parts = append(parts, "--set "+o.String())
	}
	return strings.Join(parts, " ")
}

// buildName is how a message names a drsim build ("an unknown build" for
// partials that did not record one).
func buildName(b string) string {
	if b == "" {
		return "an unknown build"
	}
	return b
}

// parseShardLabel parses "i/n" (1 ≤ i ≤ n): a partial header's Shard.
func parseShardLabel(s string) (i, n int, ok bool) {
	a, b, found := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !found || err1 != nil || err2 != nil || i < 1 || i > n {
		return 0, 0, false
	}
	return i, n, true
}

// shardOf returns the shard (1-based) of n that holds trial x of trials:
// ⌈(x+1)·n/trials⌉, in 128 bits.
func shardOf(x, n, trials int) int {
	hi, lo := bits.Mul64(uint64(x+1), uint64(n))
	q, r := bits.Div64(hi, lo, uint64(trials))
	if r != 0 {
		q++
	}
	return int(q)
}

// Merger joins the partials of one run into the Trials of the whole run,
// decoding each partial's trials straight into place: a merge needs the
// memory of the unsharded run's trials, not that plus the partials'.
type Merger struct {
	t *Trials
}

// NewMerger returns a Merger for the run that h (a header CheckPartials
// accepted) is a partial of: it allocates the records of all h.Trials
// trials of cfg (the scenario parsed from h.ResolvedTOML). The error is a
// *MergeError when cfg does not have h's shape.
func NewMerger(cfg *model.Config, h *PartialHeader) (*Merger, error) {
	t := NewTrials(cfg, h.Seed, 0)
	if t.nStores != h.Stores || t.nOps != h.Ops || t.nR != h.Regions || t.nKeys != h.Keys {
		return nil, &MergeError{"the resolved scenario does not match the partials' shape"}
	}
	t.grow(h.Trials)
	return &Merger{t: t}, nil
}

// Read decodes the trials of p (opened by OpenPartial, of the run the
// Merger is for) into place. Its errors are *DamagedError, or ctx's
// error when ctx is done first.
func (m *Merger) Read(ctx context.Context, p *PartialReader) error {
	if p.Header.To > m.t.N() {
		return &MergeError{fmt.Sprintf("trials [%d, %d) of a run of %d", p.Header.From, p.Header.To, m.t.N())}
	}
	return p.readInto(ctx, m.t, false)
}

// Trials returns the merged trials (complete once every partial that
// CheckPartials accepted is Read).
func (m *Merger) Trials() *Trials { return m.t }

// Merge joins decoded partial results of one run, in any order, into the
// trials [0, Trials): the same records and exact sums as the unsharded
// run, so that its report is byte-identical. cfg is the run's scenario
// (parsed from the partials' ResolvedTOML). It refuses what CheckPartials
// refuses. (drsim merge reads each file straight into a Merger instead,
// which does not hold the partials and the merged trials at once.)
func Merge(cfg *model.Config, parts []*Partial) (*Trials, error) {
	infos := make([]PartialInfo, len(parts))
	for i, p := range parts {
		infos[i] = PartialInfo{Name: fmt.Sprintf("partial %d", i+1), Header: p.Header}
	}
	if err := CheckPartials(infos); err != nil {
		return nil, err
	}
	m, err := NewMerger(cfg, &parts[0].Header)
	if err != nil {
		return nil, err
	}
	t := m.t
	sorted := slices.Clone(parts)
	slices.SortStableFunc(sorted, func(a, b *Partial) int { return a.Header.From - b.Header.From })
	for _, p := range sorted {
		pt := p.Trials
		k0 := pt.from
		copy(t.stores[k0*t.nStores:], pt.stores)
		copy(t.ops[k0*t.nOps:], pt.ops)
		remap := map[uint32]uint32{}
		for k := range pt.recs {
			r := pt.recs[k]
			if r.Rare != 0 {
				n, ok := remap[r.Rare]
				if !ok {
					n = t.rare.intern(pt.rare.entry(r.Rare))
					remap[r.Rare] = n
				}
				r.Rare = n
			}
			t.recs[k0+k] = r
		}
		t.sums.merge(&pt.sums)
	}
	return t, nil
}

func short(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	return d
}

func joinSemi(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "; "
		}
		out += x
	}
	return out
}

// ShardRange returns the trials [from, to) of shard i of n (1-based,
// 1 ≤ i ≤ n) of a run of trials trials (≥ 0): [⌊(i−1)·trials/n⌋,
// ⌊i·trials/n⌋), each product taken in 128 bits (math/bits), so that no i,
// n or trials overflows.
func ShardRange(i, n, trials int) (from, to int) {
	mul := func(a int) int {
		hi, lo := bits.Mul64(uint64(a), uint64(trials))
		q, _ := bits.Div64(hi, lo, uint64(n)) // a ≤ n: the quotient is ≤ trials
		return int(q)
	}
	return mul(i - 1), mul(i)
}
