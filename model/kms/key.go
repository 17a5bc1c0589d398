package kms

import "github.com/drsim/drsim/sim"

// Key is the scenario's description of a KMS key: multi-Region (a primary and
// replicas) or single-Region.
type Key struct {
	Name        string
	MultiRegion bool
	// Primary is the primary's region for a multi-Region key, the home
	// region for a single-Region key.
	Primary  int
	Replicas []int // regions of the replicas that exist at t=0, sorted
	Users    []string
	// UsersIn holds per-region key policies replacing Users (users_in),
	// sorted by region.
	UsersIn []RegionUsers
	// Rotation is the automatic rotation period; 0 means off.
	Rotation sim.Time
	// Admins are the principals allowed control-plane operations on every
	// copy (format 1.1 admins, docs/aws-behaviour.md G5). nil means the default, ["*"]:
	// anyone (the 1.0 behaviour); an empty non-nil slice admits nobody.
	Admins []string
	// AdminsIn holds per-region admins replacing Admins for that copy
	// (admins_in), sorted by region. A replica created later gets
	// AdminsIn[region], else Admins; PutKeyPolicy changes users, not admins.
	AdminsIn []RegionUsers
}

// Wildcard in a list of principals (users, users_in, admins, admins_in)
// admits any principal.
const Wildcard = "*"

// Allows reports whether principal is in list, or list holds Wildcard.
// It does not allocate.
func Allows(list []string, principal string) bool {
	for _, p := range list {
		if p == principal || p == Wildcard {
			return true
		}
	}
	return false
}

// AdminsFor returns the admins of the copy in region r: AdminsIn[r] if
// given, else Admins, and ["*"] when neither is set. Admins are fixed by
// the scenario: no operation changes them.
func (k *Key) AdminsFor(r int) []string {
	for _, a := range k.AdminsIn {
		if a.Region == r {
			return a.Users
		}
	}
	if k.Admins == nil {
		return anyone
	}
	return k.Admins
}

// anyone is the default admins list; never modified.
var anyone = []string{Wildcard}

// RegionUsers is a per-region list of principals: a key policy's users
// (users_in) or a copy's admins (admins_in).
type RegionUsers struct {
	Region int
	Users  []string
}

// UsersFor returns the key policy principals of the copy in region r at t=0.
func (k *Key) UsersFor(r int) []string {
	if us, ok := k.usersIn(r); ok {
		return us
	}
	return k.Users
}

// usersIn returns the users_in policy of region r, if there is one.
func (k *Key) usersIn(r int) ([]string, bool) {
	for _, u := range k.UsersIn {
		if u.Region == r {
			return u.Users, true
		}
	}
	return nil, false
}

// DefaultQuota returns the default shared symmetric request quota (calls per
// second) of a region (docs/aws-behaviour.md K13).
func DefaultQuota(region string) float64 {
	switch region {
	case "us-east-1", "us-west-2", "eu-west-1":
		return 100000
	case "us-east-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "eu-central-1", "eu-west-2":
		return 20000
	}
	return 10000
}
