package report

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report/internal/exact"
)

// PartialFormat names the version of the partial-result file format.
const PartialFormat = "drsim.partial/v1"

// partialMagic starts every partial file (after gzip decompression).
const partialMagic = "drsim.partial/v1\n"

// PartialHeader is the self-describing header of a partial result: what
// scenario and trials it holds. The rest of the file is the trials'
// compact records and sums (WritePartial).
type PartialHeader struct {
	Format string `json:"format"`
	// Scenario is the scenario's name and File the file or bundled name
	// it was loaded from (the report shows both).
	Scenario string `json:"scenario"`
	File     string `json:"file,omitempty"`
	// Digest is "sha256:" and the hex SHA-256 of ResolvedTOML: partials
	// with the same digest are of the same scenario.
	Digest string `json:"digest"`
	Seed   uint64 `json:"seed"`
	// Trials is the run's trial count; the file holds trials [From, To).
	Trials int `json:"trials"`
	From   int `json:"from"`
	To     int `json:"to"`
	// Shard is "i/n" when the file is shard i of n.
	Shard string `json:"shard,omitempty"`
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

// Digest returns "sha256:" and the hex SHA-256 of a resolved scenario.
func Digest(resolvedTOML []byte) string {
	h := sha256.Sum256(resolvedTOML)
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

// ReadPartial decodes a partial result written by WritePartial. Every
// length and index is checked: a truncated, corrupt or hostile file is an
// error, never a panic or an allocation beyond what its decompressed size
// justifies.
func ReadPartial(r io.Reader) (*Partial, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("report: partial: not a partial result (gzip: %w)", err)
	}
	defer zr.Close()
	return decodePartial(zr)
}

// decodePartial decodes the decompressed content of a partial file.
func decodePartial(r io.Reader) (*Partial, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic := make([]byte, len(partialMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != partialMagic {
		return nil, errors.New("report: partial: not a partial result (no drsim.partial/v1 header)")
	}
	n, err := binary.ReadUvarint(br)
	if err != nil || n > maxPartialHeader {
		return nil, errors.New("report: partial: bad header length")
	}
	hb, err := readN(br, int(n))
	if err != nil {
		return nil, fmt.Errorf("report: partial: header: %w", err)
	}
	var h PartialHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, fmt.Errorf("report: partial: header: %w", err)
	}
	if h.Format != PartialFormat {
		return nil, fmt.Errorf("report: partial: format %q, this drsim reads %q", h.Format, PartialFormat)
	}
	switch {
	case h.From < 0 || h.To < h.From || h.Trials < 0 || h.To > h.Trials:
		return nil, fmt.Errorf("report: partial: trials [%d, %d) of %d", h.From, h.To, h.Trials)
	case h.Stores < 0 || h.Ops < 0 || h.Regions < 0 || h.Keys < 0 || h.Stores > 1<<16 || h.Ops > 1<<16 || h.Regions > 1<<12 || h.Keys > 1<<16:
		return nil, fmt.Errorf("report: partial: %d stores, %d ops, %d regions, %d keys", h.Stores, h.Ops, h.Regions, h.Keys)
	case h.Reasons != int(kms.NumReasons):
		return nil, fmt.Errorf("report: partial: %d failure reasons, this drsim has %d", h.Reasons, kms.NumReasons)
	}
	t := &Trials{Seed: h.Seed, from: h.From, nStores: h.Stores, nOps: h.Ops, nR: h.Regions, nKeys: h.Keys}
	t.sums = newSums(h.Regions, h.Ops, h.Keys, h.Stores)
	count := h.To - h.From
	// Read the fixed-size parts in chunks, so that a header claiming many
	// trials costs nothing until the bytes are there.
	recs, err := readWords(br, count, 7)
	if err != nil {
		return nil, fmt.Errorf("report: partial: records: %w", err)
	}
	t.recs = make([]Record, count)
	for k := range t.recs {
		w := recs[7*k : 7*k+7]
		t.recs[k] = Record{T0: int64(w[0]), RTO: int64(w[1]), RPO: int64(w[2]), Unavailable: math.Float64frombits(w[3]),
			Success: math.Float64frombits(w[4]), IncidentSuccess: math.Float64frombits(w[5]),
			Rare: uint32(w[6]), Flags: uint16(w[6] >> 32)}
		if w[6]>>48 != 0 {
			return nil, fmt.Errorf("report: partial: trial %d: bad flags", h.From+k)
		}
	}
	if t.stores, err = readWords(br, count, h.Stores); err != nil {
		return nil, fmt.Errorf("report: partial: stores: %w", err)
	}
	ops, err := readWords(br, count, h.Ops)
	if err != nil {
		return nil, fmt.Errorf("report: partial: ops: %w", err)
	}
	t.ops = make([]int64, len(ops))
	for i, v := range ops {
		t.ops[i] = int64(v)
	}
	an, err := binary.ReadUvarint(br)
	if err != nil || an > 1<<32-2 {
		return nil, errors.New("report: partial: bad rare-details length")
	}
	arena, err := readN(br, int(an))
	if err != nil {
		return nil, fmt.Errorf("report: partial: rare details: %w", err)
	}
	valid, err := validateArena(arena, h.Stores, h.Ops)
	if err != nil {
		return nil, fmt.Errorf("report: partial: rare details: %w", err)
	}
	t.rare.arena = arena
	for k := range t.recs {
		if off := t.recs[k].Rare; off != 0 && !valid[off] {
			return nil, fmt.Errorf("report: partial: trial %d: no rare detail at %d", h.From+k, off)
		}
	}
	if err := readSums(br, &t.sums); err != nil {
		return nil, fmt.Errorf("report: partial: sums: %w", err)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, errors.New("report: partial: bytes after the sums")
	}
	return &Partial{Header: h, Trials: t}, nil
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

// readWords reads count×per little-endian uint64s, in chunks.
func readWords(r io.Reader, count, per int) ([]uint64, error) {
	total := count * per
	if count > 0 && total/count != per {
		return nil, errors.New("too many values")
	}
	out := make([]uint64, 0, min(total, 1<<20))
	var buf [8 << 10]byte
	for len(out) < total {
		m := min(len(buf)/8, total-len(out))
		if _, err := io.ReadFull(r, buf[:8*m]); err != nil {
			return nil, fmt.Errorf("truncated: %w", err)
		}
		for i := 0; i < m; i++ {
			out = append(out, binary.LittleEndian.Uint64(buf[8*i:]))
		}
	}
	return out, nil
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
// different runs, or their trial ranges leave gaps or overlap.
type MergeError struct{ Msg string }

func (e *MergeError) Error() string { return "report: merge: " + e.Msg }

// Merge joins the partial results of one run, in any order, into the
// trials [0, Trials): the same records and exact sums as the unsharded
// run, so that its report is byte-identical. cfg is the run's scenario
// (parsed from the partials' ResolvedTOML). Partials of different
// scenarios (digest), seeds or trial counts are refused, and so are
// missing or overlapping ranges, each named.
func Merge(cfg *model.Config, parts []*Partial) (*Trials, error) {
	if len(parts) == 0 {
		return nil, &MergeError{"no partial result"}
	}
	h0 := &parts[0].Header
	for _, p := range parts[1:] {
		h := &p.Header
		switch {
		case h.Digest != h0.Digest:
			return nil, &MergeError{fmt.Sprintf("partials of different scenarios: %s (%s) and %s (%s)", h0.Scenario, short(h0.Digest), h.Scenario, short(h.Digest))}
		case h.Seed != h0.Seed:
			return nil, &MergeError{fmt.Sprintf("partials of different seeds: %d and %d", h0.Seed, h.Seed)}
		case h.Trials != h0.Trials:
			return nil, &MergeError{fmt.Sprintf("partials of runs of different trial counts: %d and %d", h0.Trials, h.Trials)}
		case h.Stores != h0.Stores || h.Ops != h0.Ops || h.Regions != h0.Regions || h.Keys != h0.Keys:
			return nil, &MergeError{"partials of different shapes (stores, ops, regions, keys)"}
		}
	}
	sorted := slices.Clone(parts)
	slices.SortStableFunc(sorted, func(a, b *Partial) int { return a.Header.From - b.Header.From })
	var problems []string
	at := 0
	for _, p := range sorted {
		h := &p.Header
		if h.From > at {
			problems = append(problems, fmt.Sprintf("trials %d to %d are missing", at, h.From-1))
		}
		if h.From < at && h.To > h.From {
			problems = append(problems, fmt.Sprintf("trials %d to %d are in more than one partial", h.From, min(at, h.To)-1))
		}
		at = max(at, h.To)
	}
	if at < h0.Trials {
		problems = append(problems, fmt.Sprintf("trials %d to %d are missing", at, h0.Trials-1))
	}
	if len(problems) > 0 {
		return nil, &MergeError{fmt.Sprintf("the partials do not cover trials 0 to %d once each: %s", h0.Trials-1, joinSemi(problems))}
	}
	t := NewTrials(cfg, h0.Seed, 0)
	if t.nStores != h0.Stores || t.nOps != h0.Ops || t.nR != h0.Regions || t.nKeys != h0.Keys {
		return nil, &MergeError{"the resolved scenario does not match the partials' shape"}
	}
	t.grow(h0.Trials)
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

// ShardRange returns the trials [from, to) of shard i of n (1-based) of a
// run of trials trials: [⌊(i−1)·trials/n⌋, ⌊i·trials/n⌋) (DESIGN
// "Clarifications": Shards), computed without overflow.
func ShardRange(i, n, trials int) (from, to int) {
	mul := func(a, b int) int {
		// a·b/n exactly, for a ≤ n: split b = q·n + r.
		q, r := b/n, b%n
		return a*q + a*r/n
	}
	return mul(i-1, trials), mul(i, trials)
}
