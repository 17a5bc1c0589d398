package awscli

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/importer/policy"
	"github.com/drsim/drsim/internal/jsonpos"
)

// The output shapes read, as the AWS CLI prints them (--output json): the
// API's response elements.
type (
	describeKey struct {
		KeyMetadata *keyMetadata
	}
	keyMetadata struct {
		AWSAccountID             string `json:"AWSAccountId"`
		KeyID                    string `json:"KeyId"`
		Arn                      string
		Enabled                  *bool
		KeyState                 string
		KeyManager               string
		MultiRegion              bool
		MultiRegionConfiguration *struct {
			MultiRegionKeyType string
			PrimaryKey         *regionKey
			ReplicaKeys        []regionKey
		}
	}
	regionKey struct{ Arn, Region string }
	keyPolicy struct {
		Policy     *string
		PolicyName string
	}
	rotationStatus struct {
		KeyRotationEnabled   *bool
		RotationPeriodInDays int
	}
	aliases struct {
		Aliases []struct {
			AliasName, TargetKeyId string
		}
	}
	bucketLocation struct {
		LocationConstraint *string
	}
	bucketEncryption struct {
		ServerSideEncryptionConfiguration *struct {
			Rules []struct {
				ApplyServerSideEncryptionByDefault *struct {
					SSEAlgorithm   string
					KMSMasterKeyID string
				}
				BucketKeyEnabled bool
			}
		}
	}
	bucketReplication struct {
		ReplicationConfiguration *struct {
			Role  string
			Rules []struct {
				ID     string
				Status string
				Prefix string
				Filter *struct {
					Prefix string
					Tag    *struct{ Key, Value string }
					And    *struct {
						Prefix string
						Tags   []struct{ Key, Value string }
					}
				}
				Destination *struct {
					Bucket                  string
					EncryptionConfiguration *struct{ ReplicaKmsKeyID string }
					ReplicationTime         *struct{ Status string }
				}
				SourceSelectionCriteria *struct {
					SseKmsEncryptedObjects *struct{ Status string }
				}
			}
		}
	}
	describeTable struct {
		Table *struct {
			TableName      string
			TableArn       string
			SSEDescription *struct {
				Status, SSEType, KMSMasterKeyArn string
			}
			Replicas []struct {
				RegionName, ReplicaStatus, KMSMasterKeyId string
			}
		}
	}
)

// file kinds: the suffix each saved output has in the folder.
const (
	sufDescribeKey   = ".describe-key.json"
	sufKeyPolicy     = ".key-policy.json"
	sufRotation      = ".rotation.json"
	sufAliases       = "aliases.json"
	sufLocation      = ".location.json"
	sufEncryption    = ".encryption.json"
	sufReplication   = ".replication.json"
	sufDescribeTable = ".describe-table.json"
)

// Decode reads the saved outputs under fsys (a folder, os.DirFS(dir); dir
// names it in errors and comments) and returns the inventory (not yet
// finished: see importer.Inventory.Finish). Files are found by their place
// and name (see the package doc); any other file is listed as not imported.
// It returns an importer.ErrorList for malformed JSON (file:line:col), an
// output of the wrong command (a describe-key without KeyMetadata), or a
// key policy that cannot be read, every error of the folder at once.
func Decode(fsys fs.FS, dir string) (*importer.Inventory, error) {
	d := &decoder{fsys: fsys, dir: dir, inv: &importer.Inventory{Kind: "aws cli", Inputs: []string{dir}},
		keys: map[string]*keyFiles{}, buckets: map[string]*bucketFiles{}, tables: map[string][]tableFile{}}
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			d.errorf(p, 0, 0, "%v", err)
			return nil
		}
		if e.IsDir() {
			if p != "." && strings.HasPrefix(e.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(e.Name(), ".") {
			return nil
		}
		d.file(p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("awscli: %w", err)
	}
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	d.buildKeys()
	d.buildBuckets()
	d.buildTables()
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return d.inv, nil
}

// decoder holds one decoding.
type decoder struct {
	fsys    fs.FS
	dir     string
	inv     *importer.Inventory
	errs    importer.ErrorList
	keys    map[string]*keyFiles // by key ID
	keyIDs  []string             // in the order found
	buckets map[string]*bucketFiles
	bnames  []string
	tables  map[string][]tableFile // by table name
	tnames  []string
	alias   map[string]string // key ID → alias name
}

// keyFiles are the saved outputs of one key, by region.
type keyFiles struct {
	meta     map[string]*keyMetadata
	metaSrc  map[string]string
	policy   map[string]*policy.Analysis
	polSrc   map[string]string
	rotation *rotationStatus
	rotSrc   string
	regions  []string
}

type bucketFiles struct {
	region, regionSrc string
	enc               *bucketEncryption
	encSrc            string
	rep               *bucketReplication
	repSrc            string
}

type tableFile struct {
	region, src string
	t           *describeTable
}

func (d *decoder) rel(p string) string { return path.Join(d.dir, p) }

func (d *decoder) errorf(p string, line, col int, format string, args ...any) {
	d.errs = append(d.errs, &importer.Error{File: d.rel(p), Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// maxFile bounds one saved output.
const maxFile = 64 << 20

// read decodes the JSON file p into v.
func (d *decoder) read(p string, v any) bool {
	f, err := d.fsys.Open(p)
	if err != nil {
		d.errorf(p, 0, 0, "%v", err)
		return false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		d.errorf(p, 0, 0, "%v", err)
		return false
	}
	if len(data) > maxFile {
		d.errorf(p, 0, 0, "larger than %d MiB", maxFile>>20)
		return false
	}
	if err := json.Unmarshal(data, v); err != nil {
		e := jsonpos.Wrap(data, err)
		d.errorf(p, e.Line, e.Col, "%s", e.Msg)
		return false
	}
	return true
}

// file reads one file of the folder by its place and name.
func (d *decoder) file(p string) {
	parts := strings.Split(p, "/")
	base := parts[len(parts)-1]
	switch {
	case len(parts) == 3 && parts[0] == "kms" && base == sufAliases:
		var a aliases
		if d.read(p, &a) {
			if d.alias == nil {
				d.alias = map[string]string{}
			}
			for _, al := range a.Aliases {
				if al.TargetKeyId != "" && !strings.HasPrefix(al.AliasName, "alias/aws/") {
					if _, dup := d.alias[al.TargetKeyId]; !dup {
						d.alias[al.TargetKeyId] = strings.TrimPrefix(al.AliasName, "alias/")
					}
				}
			}
		}
	case len(parts) == 3 && parts[0] == "kms" && strings.HasSuffix(base, sufDescribeKey):
		region, id := parts[1], strings.TrimSuffix(base, sufDescribeKey)
		var v describeKey
		if !d.read(p, &v) {
			return
		}
		if v.KeyMetadata == nil {
			d.errorf(p, 1, 1, "not the output of aws kms describe-key (no KeyMetadata)")
			return
		}
		if v.KeyMetadata.KeyID != id {
			d.errorf(p, 1, 1, "describes key %q, but the file is named for %q", v.KeyMetadata.KeyID, id)
			return
		}
		kf := d.key(id)
		kf.meta[region], kf.metaSrc[region] = v.KeyMetadata, d.rel(p)
		kf.addRegion(region)
	case len(parts) == 3 && parts[0] == "kms" && strings.HasSuffix(base, sufKeyPolicy):
		region, id := parts[1], strings.TrimSuffix(base, sufKeyPolicy)
		var v keyPolicy
		if !d.read(p, &v) {
			return
		}
		if v.Policy == nil {
			d.errorf(p, 1, 1, "not the output of aws kms get-key-policy (no Policy)")
			return
		}
		a, err := policy.Analyze(*v.Policy)
		if err != nil {
			d.errorf(p, 0, 0, "Policy: %v", err)
			return
		}
		kf := d.key(id)
		kf.policy[region], kf.polSrc[region] = a, d.rel(p)
		kf.addRegion(region)
	case len(parts) == 3 && parts[0] == "kms" && strings.HasSuffix(base, sufRotation):
		var v rotationStatus
		if !d.read(p, &v) {
			return
		}
		if v.KeyRotationEnabled == nil {
			d.errorf(p, 1, 1, "not the output of aws kms get-key-rotation-status (no KeyRotationEnabled)")
			return
		}
		kf := d.key(strings.TrimSuffix(base, sufRotation))
		kf.rotation, kf.rotSrc = &v, d.rel(p)
	case len(parts) == 2 && parts[0] == "s3" && strings.HasSuffix(base, sufLocation):
		var v bucketLocation
		if !d.read(p, &v) {
			return
		}
		bf := d.bucket(strings.TrimSuffix(base, sufLocation))
		bf.region, bf.regionSrc = "us-east-1", d.rel(p) // a null LocationConstraint is us-east-1
		if v.LocationConstraint != nil && *v.LocationConstraint != "" {
			bf.region = *v.LocationConstraint
			if bf.region == "EU" { // the legacy constraint of eu-west-1
				bf.region = "eu-west-1"
			}
		}
	case len(parts) == 2 && parts[0] == "s3" && strings.HasSuffix(base, sufEncryption):
		var v bucketEncryption
		if !d.read(p, &v) {
			return
		}
		if v.ServerSideEncryptionConfiguration == nil {
			d.errorf(p, 1, 1, "not the output of aws s3api get-bucket-encryption (no ServerSideEncryptionConfiguration)")
			return
		}
		bf := d.bucket(strings.TrimSuffix(base, sufEncryption))
		bf.enc, bf.encSrc = &v, d.rel(p)
	case len(parts) == 2 && parts[0] == "s3" && strings.HasSuffix(base, sufReplication):
		var v bucketReplication
		if !d.read(p, &v) {
			return
		}
		if v.ReplicationConfiguration == nil {
			d.errorf(p, 1, 1, "not the output of aws s3api get-bucket-replication (no ReplicationConfiguration)")
			return
		}
		bf := d.bucket(strings.TrimSuffix(base, sufReplication))
		bf.rep, bf.repSrc = &v, d.rel(p)
	case len(parts) == 3 && parts[0] == "dynamodb" && strings.HasSuffix(base, sufDescribeTable):
		var v describeTable
		if !d.read(p, &v) {
			return
		}
		if v.Table == nil {
			d.errorf(p, 1, 1, "not the output of aws dynamodb describe-table (no Table)")
			return
		}
		name := strings.TrimSuffix(base, sufDescribeTable)
		if v.Table.TableName != name {
			d.errorf(p, 1, 1, "describes table %q, but the file is named for %q", v.Table.TableName, name)
			return
		}
		if _, seen := d.tables[name]; !seen {
			d.tnames = append(d.tnames, name)
		}
		d.tables[name] = append(d.tables[name], tableFile{region: parts[1], src: d.rel(p), t: &v})
	default:
		d.inv.Unsupport("file not in the layout of docs/import.md", d.rel(p))
	}
}

func (d *decoder) key(id string) *keyFiles {
	kf := d.keys[id]
	if kf == nil {
		kf = &keyFiles{meta: map[string]*keyMetadata{}, metaSrc: map[string]string{}, policy: map[string]*policy.Analysis{}, polSrc: map[string]string{}}
		d.keys[id] = kf
		d.keyIDs = append(d.keyIDs, id)
	}
	return kf
}

func (kf *keyFiles) addRegion(r string) {
	for _, x := range kf.regions {
		if x == r {
			return
		}
	}
	kf.regions = append(kf.regions, r)
}

func (d *decoder) bucket(name string) *bucketFiles {
	bf := d.buckets[name]
	if bf == nil {
		bf = &bucketFiles{}
		d.buckets[name] = bf
		d.bnames = append(d.bnames, name)
	}
	return bf
}

// buildKeys makes one key per key ID: the copies described, plus those a
// multi-Region primary or replica says exist (MultiRegionConfiguration)
// whose files are not in the folder, with unknown policies.
func (d *decoder) buildKeys() {
	sort.Strings(d.keyIDs)
	for _, id := range d.keyIDs {
		kf := d.keys[id]
		if len(kf.meta) == 0 {
			d.inv.Warn("%s: a key policy with no describe-key output of key %s beside it: not imported", kf.polSrcAny(), id)
			continue
		}
		sort.Strings(kf.regions)
		var meta0 *keyMetadata
		for _, r := range kf.regions {
			if m := kf.meta[r]; m != nil {
				meta0 = m
				break
			}
		}
		hint := "key-" + shortID(id)
		if a := d.alias[id]; a != "" {
			hint = a
		}
		k := &importer.Key{Hint: hint, Qualified: id, KeyID: id, MultiRegion: meta0.MultiRegion}
		d.inv.SeeAccount(meta0.AWSAccountID)
		copies := map[string]string{} // region → ARN of every copy that exists
		primary := ""
		for _, r := range kf.regions {
			m := kf.meta[r]
			if m == nil {
				continue
			}
			copies[r] = m.Arn
			if c := m.MultiRegionConfiguration; c != nil {
				if c.PrimaryKey != nil && c.PrimaryKey.Region != "" {
					primary = c.PrimaryKey.Region
					copies[primary] = c.PrimaryKey.Arn
				}
				for _, rk := range c.ReplicaKeys {
					if rk.Region != "" {
						copies[rk.Region] = rk.Arn
					}
				}
			}
		}
		if !k.MultiRegion {
			primary = kf.regions[0]
		}
		if primary == "" {
			d.inv.Warn("%s: a multi-Region key without MultiRegionConfiguration.PrimaryKey: not imported", kf.metaSrc[kf.regions[0]])
			continue
		}
		regions := make([]string, 0, len(copies))
		for r := range copies {
			regions = append(regions, r)
		}
		sort.Strings(regions)
		for _, r := range append([]string{primary}, regions...) {
			if r == primary && k.Primary != nil || r != primary && k.CopyIn(r) != nil {
				continue
			}
			c := d.copyOf(kf, id, r, copies[r])
			if r == primary {
				k.Source = c.Source
				d.inv.AddKey(k, c)
				continue
			}
			d.inv.AddReplica(k, c)
		}
		if kf.rotation != nil && kf.rotation.KeyRotationEnabled != nil && *kf.rotation.KeyRotationEnabled {
			k.RotationDays, k.RotationSource = 365, kf.rotSrc
			if kf.rotation.RotationPeriodInDays > 0 {
				k.RotationDays = kf.rotation.RotationPeriodInDays
			}
		}
	}
}

func (kf *keyFiles) polSrcAny() string {
	for _, r := range kf.regions {
		if s := kf.polSrc[r]; s != "" {
			return s
		}
	}
	return ""
}

// copyOf builds the copy of key id in region r from its files.
func (d *decoder) copyOf(kf *keyFiles, id, r, arn string) *importer.Copy {
	c := &importer.Copy{Region: r, ARN: arn, Source: kf.metaSrc[r]}
	m := kf.meta[r]
	if m == nil {
		c.Source = fmt.Sprintf("%s (named by the MultiRegionConfiguration of key %s; no describe-key output of it in the folder)", arn, id)
		c.PolicyUnknown = fmt.Sprintf("save kms/%s/%s%s and %s with the commands of docs/import.md", r, id, sufDescribeKey, sufKeyPolicy)
		return c
	}
	if (m.Enabled != nil && !*m.Enabled) || m.KeyState == "Disabled" {
		c.Disabled = true
	}
	if strings.HasPrefix(m.KeyState, "Pending") {
		d.inv.Warn("%s: key state %s: drsim starts it Enabled; write a schedule-key-deletion action to simulate the deletion", kf.metaSrc[r], m.KeyState)
	}
	if a := kf.policy[r]; a != nil {
		c.Policy = a
	} else {
		c.PolicyUnknown = fmt.Sprintf("no kms/%s/%s%s in the folder", r, id, sufKeyPolicy)
	}
	return c
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "mrk-")
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// keyRef resolves a key named by an ARN, ID or alias in a bucket or table
// output.
func (d *decoder) keyRef(s, by string) importer.KeyRef {
	if s == "" {
		return importer.KeyRef{}
	}
	if k, region := d.inv.KeyByARN(s); k != nil {
		return importer.KeyRef{Key: k, Region: region, Via: s}
	}
	region := ""
	if a, ok := importer.ParseARN(s); ok {
		region = a.Region
	}
	return importer.KeyRef{Key: d.inv.ExternalKey(s, region, by), Region: region, Via: s}
}

func (d *decoder) buildBuckets() {
	sort.Strings(d.bnames)
	for _, name := range d.bnames {
		bf := d.buckets[name]
		b := &importer.Bucket{Hint: name, Qualified: name, BucketName: name, Region: bf.region, Source: d.rel("s3/" + name + ".*")}
		if bf.enc != nil && len(bf.enc.ServerSideEncryptionConfiguration.Rules) > 0 {
			rule := bf.enc.ServerSideEncryptionConfiguration.Rules[0]
			sse := &importer.SSE{Source: bf.encSrc, BucketKey: rule.BucketKeyEnabled}
			if def := rule.ApplyServerSideEncryptionByDefault; def != nil {
				sse.Algorithm = def.SSEAlgorithm
				if strings.HasPrefix(sse.Algorithm, "aws:kms") {
					sse.Key = d.keyRef(def.KMSMasterKeyID, bf.encSrc)
					if sse.Key.Key == nil {
						sse.Key.Unknown = "no KMSMasterKeyID: the AWS managed key aws/s3"
					}
				}
			}
			b.SSE = sse
		}
		if b.Region == "" {
			// An SSE-KMS key is in its bucket's region.
			if b.SSE != nil && b.SSE.Key.Region != "" {
				b.Region = b.SSE.Key.Region
				d.inv.Warn("%s: no %s%s: its region %s is taken from its encryption key's ARN", b.Source, name, sufLocation, b.Region)
			} else {
				d.inv.Warn("%s: no %s%s and no key ARN to tell its region: not imported", b.Source, name, sufLocation)
				continue
			}
		}
		if bf.rep != nil {
			d.rules(b, bf)
		}
		d.inv.Buckets = append(d.inv.Buckets, b)
	}
}

func (d *decoder) rules(b *importer.Bucket, bf *bucketFiles) {
	rc := bf.rep.ReplicationConfiguration
	b.Role, b.RoleSource = importer.PrincipalName(rc.Role), bf.repSrc
	for i, r := range rc.Rules {
		rule := &importer.Rule{ID: r.ID, Role: b.Role, Enabled: r.Status == "Enabled", Source: fmt.Sprintf("%s Rules[%d]", bf.repSrc, i)}
		if r.ID != "" {
			rule.Source = fmt.Sprintf("%s rule %q", bf.repSrc, r.ID)
		}
		var parts []string
		if r.Prefix != "" {
			parts = append(parts, fmt.Sprintf("prefix %q", r.Prefix))
		}
		if f := r.Filter; f != nil {
			if f.Prefix != "" {
				parts = append(parts, fmt.Sprintf("prefix %q", f.Prefix))
			}
			if f.Tag != nil {
				parts = append(parts, "tag "+f.Tag.Key+"="+f.Tag.Value)
			}
			if f.And != nil {
				if f.And.Prefix != "" {
					parts = append(parts, fmt.Sprintf("prefix %q", f.And.Prefix))
				}
				if len(f.And.Tags) > 0 {
					parts = append(parts, fmt.Sprintf("%d tags", len(f.And.Tags)))
				}
			}
		}
		rule.Filter = strings.Join(parts, ", ")
		if dst := r.Destination; dst != nil {
			rule.DestName = importer.BucketNameOf(dst.Bucket)
			if dst.EncryptionConfiguration != nil {
				rule.Key = d.keyRef(dst.EncryptionConfiguration.ReplicaKmsKeyID, rule.Source)
				rule.To = rule.Key.Region
			}
			rule.RTC = dst.ReplicationTime != nil && dst.ReplicationTime.Status == "Enabled"
		}
		if s := r.SourceSelectionCriteria; s != nil && s.SseKmsEncryptedObjects != nil {
			rule.SSEKMSObjects = s.SseKmsEncryptedObjects.Status == "Enabled"
		}
		b.Rules = append(b.Rules, rule)
	}
}

// buildTables makes one table per name from its describe-table outputs
// (one per region they were saved in): the replicas each lists, with each
// replica's key, and each output's own region's key.
func (d *decoder) buildTables() {
	sort.Strings(d.tnames)
	for _, name := range d.tnames {
		files := d.tables[name]
		t := &importer.Table{Hint: name, Qualified: name, TableName: name, Source: files[0].src}
		byRegion := map[string]*importer.TableReplica{}
		add := func(region, src string) *importer.TableReplica {
			if r := byRegion[region]; r != nil {
				return r
			}
			r := &importer.TableReplica{Region: region, Source: src}
			byRegion[region] = r
			t.Replicas = append(t.Replicas, r)
			return r
		}
		for _, f := range files {
			own := add(f.region, f.src)
			own.Source = f.src
			sse := f.t.Table.SSEDescription
			switch {
			case sse == nil || sse.Status != "ENABLED":
				own.NoCMK = "encrypted with an AWS owned key (no SSEDescription ENABLED)"
			case sse.KMSMasterKeyArn == "":
				own.NoCMK = "encrypted with an AWS managed key (no KMSMasterKeyArn)"
			default:
				own.NoCMK = ""
				own.Key = d.keyRef(sse.KMSMasterKeyArn, f.src)
			}
		}
		for _, f := range files {
			for i, rep := range f.t.Table.Replicas {
				if rep.RegionName == "" {
					continue
				}
				if rep.ReplicaStatus != "" && rep.ReplicaStatus != "ACTIVE" {
					d.inv.Warn("%s: the replica in %s is %s", f.src, rep.RegionName, rep.ReplicaStatus)
				}
				r := byRegion[rep.RegionName]
				if r == nil {
					r = add(rep.RegionName, fmt.Sprintf("%s Replicas[%d] %s", f.src, i, rep.RegionName))
					if rep.KMSMasterKeyId == "" {
						r.NoCMK = "encrypted with the AWS managed key (no KMSMasterKeyId)"
					} else {
						r.Key = d.keyRef(rep.KMSMasterKeyId, r.Source)
					}
				}
			}
		}
		d.inv.Tables = append(d.inv.Tables, t)
	}
}
