package awscli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/importer/policy"
	"github.com/drsim/drsim/internal/jsonpos"
	"github.com/drsim/drsim/scenarios"
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
		DeletionDate             string
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
		RotationPeriodInDays *json.Number
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
		keys: map[string]*keyFiles{}, buckets: map[string]*bucketFiles{}, tables: map[string][]tableFile{},
		aliases: map[string]map[string]string{}, keyAliases: map[string]map[string][]string{}, data: map[string][]byte{}}
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
		// Only regular files are read: a FIFO would block, a device
		// never end.
		if st, err := fs.Stat(fsys, p); err != nil || !st.Mode().IsRegular() {
			if err == nil {
				err = errors.New("not a regular file")
			}
			d.errorf(p, 0, 0, "%v", err)
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
	// aliases[region][alias name] is the key ID an alias names, from
	// kms/REGION/aliases.json; keyAliases[region][key ID] the names of a
	// key's aliases there, in the file's order (AWS managed aliases,
	// alias/aws/..., left out).
	aliases    map[string]map[string]string
	keyAliases map[string]map[string][]string
	// data is the text of each file read, for positions (jsonpos.Locate).
	data map[string][]byte
}

// keyFiles are the saved outputs of one key, by region.
type keyFiles struct {
	meta     map[string]*keyMetadata
	metaSrc  map[string]string
	metaPath map[string]string // by region: the file's path in the folder
	policy   map[string]*policy.Analysis
	polSrc   map[string]string
	rotation *rotationStatus
	rotSrc   string
	rotPath  string
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

// errAt records a problem with the value at JSON path jpath of the file p,
// positioned when the file was read.
func (d *decoder) errAt(p, jpath, format string, args ...any) {
	line, col := 0, 0
	if data := d.data[p]; data != nil {
		if off := jsonpos.Locate(data, []string{jpath})[0]; off >= 0 {
			line, col = jsonpos.LineCol(data, off)
		}
	}
	d.errs = append(d.errs, &importer.Error{File: d.rel(p), Line: line, Col: col, Path: jpath, Msg: fmt.Sprintf(format, args...)})
}

// folderRegion checks the REGION folder of file p: an AWS Region code (one
// drsim does not know is kept, with a warning); ok is false after an error.
func (d *decoder) folderRegion(p, r string) (string, bool) {
	shaped, known := scenarios.RegionCode(r)
	switch {
	case known:
	case shaped:
		d.inv.Warn("%s: the folder %s is not an AWS Region drsim knows (a typo? a new Region?): imported as given", d.rel(p), r)
	default:
		d.errorf(p, 0, 0, "the folder %q is not an AWS Region code like us-east-1: save the outputs of each region under kms/REGION or dynamodb/REGION (docs/import.md)", r)
		return "", false
	}
	return r, true
}

// checkRegion checks a region read at JSON path jpath of file p: an AWS
// Region code is returned; one drsim does not know is kept with a warning;
// anything else is an error, and "" is returned.
func (d *decoder) checkRegion(p, jpath, r string) string {
	shaped, known := scenarios.RegionCode(r)
	switch {
	case known:
		return r
	case shaped:
		d.inv.Warn("%s: %s %s is not an AWS Region drsim knows (a typo? a new Region?): imported as given", d.rel(p), jpath, r)
		return r
	}
	d.errAt(p, jpath, "%q is not an AWS Region code like us-east-1", r)
	return ""
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
	data, terr := importer.CheckText(d.rel(p), data, "the JSON output of the AWS CLI command docs/import.md gives for "+path.Base(p))
	if terr != nil {
		d.errs = append(d.errs, terr)
		return false
	}
	d.data[p] = data
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
		region, ok := d.folderRegion(p, parts[1])
		var a aliases
		if ok && d.read(p, &a) {
			byName, byKey := map[string]string{}, map[string][]string{}
			for _, al := range a.Aliases {
				name := strings.TrimPrefix(al.AliasName, "alias/")
				if al.TargetKeyId == "" || name == al.AliasName {
					continue
				}
				byName[name] = al.TargetKeyId
				if !strings.HasPrefix(name, "aws/") {
					byKey[al.TargetKeyId] = append(byKey[al.TargetKeyId], name)
				}
			}
			d.aliases[region], d.keyAliases[region] = byName, byKey
		}
	case len(parts) == 3 && parts[0] == "kms" && strings.HasSuffix(base, sufDescribeKey):
		region, ok := d.folderRegion(p, parts[1])
		id := strings.TrimSuffix(base, sufDescribeKey)
		var v describeKey
		if !ok || !d.read(p, &v) {
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
		kf.meta[region], kf.metaSrc[region], kf.metaPath[region] = v.KeyMetadata, d.rel(p), p
		kf.addRegion(region)
	case len(parts) == 3 && parts[0] == "kms" && strings.HasSuffix(base, sufKeyPolicy):
		region, ok := d.folderRegion(p, parts[1])
		id := strings.TrimSuffix(base, sufKeyPolicy)
		var v keyPolicy
		if !ok || !d.read(p, &v) {
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
		kf.rotation, kf.rotSrc, kf.rotPath = &v, d.rel(p), p
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
			bf.region = d.checkRegion(p, "LocationConstraint", bf.region)
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
		region, ok := d.folderRegion(p, parts[1])
		if !ok {
			return
		}
		for i, r := range v.Table.Replicas {
			if r.RegionName != "" {
				v.Table.Replicas[i].RegionName = d.checkRegion(p, fmt.Sprintf("Table.Replicas[%d].RegionName", i), r.RegionName)
			}
		}
		if _, seen := d.tables[name]; !seen {
			d.tnames = append(d.tnames, name)
		}
		d.tables[name] = append(d.tables[name], tableFile{region: region, src: d.rel(p), t: &v})
	default:
		d.inv.Unsupport("file not in the layout of docs/import.md", d.rel(p))
	}
}

func (d *decoder) key(id string) *keyFiles {
	kf := d.keys[id]
	if kf == nil {
		kf = &keyFiles{meta: map[string]*keyMetadata{}, metaSrc: map[string]string{}, metaPath: map[string]string{}, policy: map[string]*policy.Analysis{}, polSrc: map[string]string{}}
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
		k := &importer.Key{Hint: "key-" + shortID(id), Qualified: id, KeyID: id, MultiRegion: meta0.MultiRegion}
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
				p := kf.metaPath[r]
				if c.PrimaryKey != nil && c.PrimaryKey.Region != "" {
					if pr := d.checkRegion(p, "KeyMetadata.MultiRegionConfiguration.PrimaryKey.Region", c.PrimaryKey.Region); pr != "" {
						primary = pr
						copies[primary] = c.PrimaryKey.Arn
					}
				}
				for i, rk := range c.ReplicaKeys {
					if rk.Region != "" && d.checkRegion(p, fmt.Sprintf("KeyMetadata.MultiRegionConfiguration.ReplicaKeys[%d].Region", i), rk.Region) != "" {
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
		k.Hint = d.keyName(k)
		if kf.rotation != nil && kf.rotation.KeyRotationEnabled != nil && *kf.rotation.KeyRotationEnabled {
			days := ""
			if n := kf.rotation.RotationPeriodInDays; n != nil {
				var ok bool
				if days, ok = importer.WholeNumber(n.String()); !ok {
					d.errAt(kf.rotPath, "RotationPeriodInDays", "expected a whole number of days, got %s", n)
					continue
				}
			}
			k.SetRotation(days, kf.rotSrc)
		}
	}
}

// keyName returns the name a key takes from its aliases: the first alias
// of its primary copy's region, else of the first of its other copies'
// regions (in order) that has one; else its hint as it is. (A replica's
// alias names that copy only: "catalog-eu" must not name the key whose
// primary is "catalog".)
func (d *decoder) keyName(k *importer.Key) string {
	for _, c := range k.Copies() {
		if names := d.keyAliases[c.Region][k.KeyID]; len(names) > 0 {
			return names[0]
		}
	}
	return k.Hint
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
	switch m.KeyState {
	case "PendingDeletion", "PendingReplicaDeletion":
		// Scheduled for deletion (Enabled is false then): written as a
		// schedule-key-deletion action at 0s, not as a disabled copy.
		c.PendingDeletion = m.KeyState
		if m.DeletionDate != "" {
			c.PendingDeletion += ", deletion date " + m.DeletionDate
		}
	case "Disabled":
		c.Disabled = true
	case "", "Enabled":
		c.Disabled = m.Enabled != nil && !*m.Enabled
	default: // Creating, Updating, Unavailable, PendingImport
		d.inv.Warn("%s: key state %s: drsim starts the copy Enabled", kf.metaSrc[r], m.KeyState)
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
// output (by) of a store in region ("" when unknown). An alias, as an ARN
// (arn:aws:kms:REGION:ACCOUNT:alias/NAME) or a name (alias/NAME, in the
// store's region), is looked up in the aliases.json of its region; an AWS
// managed alias (alias/aws/s3) names no customer managed key: awsManaged
// says which.
func (d *decoder) keyRef(s, by, region string) (ref importer.KeyRef, awsManaged string) {
	if s == "" {
		return importer.KeyRef{}, ""
	}
	if k, r := d.inv.KeyByARN(s); k != nil {
		return importer.KeyRef{Key: k, Region: r, Via: s}, ""
	}
	name, aliasRegion := "", region
	if a, ok := importer.ParseARN(s); ok && a.Service == "kms" && strings.HasPrefix(a.Resource, "alias/") {
		name, aliasRegion = strings.TrimPrefix(a.Resource, "alias/"), a.Region
	} else if strings.HasPrefix(s, "alias/") {
		name = strings.TrimPrefix(s, "alias/")
	}
	if name != "" {
		if strings.HasPrefix(name, "aws/") {
			return importer.KeyRef{Via: s}, "the AWS managed key alias/" + name
		}
		if id, ok := d.aliases[aliasRegion][name]; ok {
			if k, _ := d.inv.KeyByARN(id); k != nil {
				return importer.KeyRef{Key: k, Region: aliasRegion, Via: s + " (kms/" + aliasRegion + "/" + sufAliases + ")"}, ""
			}
		} else if aliasRegion != "" && d.aliases[aliasRegion] == nil {
			d.inv.Warn("%s names alias %s: save kms/%s/%s (aws kms list-aliases --region %s --output json) for drsim to find its key", by, s, aliasRegion, sufAliases, aliasRegion)
		}
	}
	r := ""
	if a, ok := importer.ParseARN(s); ok {
		r = a.Region
	}
	return importer.KeyRef{Key: d.inv.ExternalKey(s, r, by), Region: r, Via: s}, ""
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
					var managed string
					sse.Key, managed = d.keyRef(def.KMSMasterKeyID, bf.encSrc, bf.region)
					switch {
					case managed != "":
						sse.Key.Unknown = managed
					case sse.Key.Key == nil:
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
				var managed string
				rule.Key, managed = d.keyRef(dst.EncryptionConfiguration.ReplicaKmsKeyID, rule.Source, "")
				if managed != "" {
					rule.Key.Unknown = managed
				}
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
				var managed string
				if own.Key, managed = d.keyRef(sse.KMSMasterKeyArn, f.src, f.region); managed != "" {
					own.NoCMK = "encrypted with " + managed
				}
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
						var managed string
						if r.Key, managed = d.keyRef(rep.KMSMasterKeyId, r.Source, rep.RegionName); managed != "" {
							r.NoCMK = "encrypted with " + managed
						}
					}
				}
			}
		}
		d.inv.Tables = append(d.inv.Tables, t)
	}
}
