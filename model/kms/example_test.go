package kms_test

import (
	"fmt"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// upNet is a network without outages.
type upNet struct{}

func (upNet) KMSUp(int) bool       { return true }
func (upNet) Linked(int, int) bool { return true }

func Example() {
	regions := []string{"eu-west-1", "us-east-1", "us-west-2"}
	keys := []kms.Key{{
		Name: "alerts", MultiRegion: true, Primary: 1, Replicas: []int{2},
		Users: []string{"alerts-app"},
	}}
	eng := sim.NewEngine()
	k := kms.New(keys, regions, "111122223333", upNet{}, eng, func(c kms.Change) {
		fmt.Printf("%v %s %s: %s -> %s (%s)\n", eng.Now() > 0, c.What, regions[c.Region], c.From, c.To, c.Detail)
	})
	k.Reset(1)
	by := kms.Caller{Principal: "dr-operator"} // the default admins, "*", admit anyone

	fmt.Println(k.ARN(0, 2))
	r, target := k.Crypto("alerts-app", 0, 0)
	fmt.Println(r, regions[target])

	fmt.Println(k.ReplicateKey(by, 0, 2, nil, false))
	if err := k.ReplicateKey(by, 0, 0, nil, false); err != nil {
		fmt.Println(err)
	}
	r, _ = k.Crypto("alerts-app", 0, 0)
	fmt.Println(r, k.Transient(r, 0, 0))
	eng.Run(sim.Minute)
	r, _ = k.Crypto("alerts-app", 0, 0)
	fmt.Println(r == kms.OK)
	// Output:
	// arn:aws:kms:us-west-2:111122223333:key/mrk-f930fdf09346bf48c9a218ebc0b40b44
	// NotFoundException eu-west-1
	// kms: ReplicateKey alerts to us-west-2: AlreadyExistsException: us-west-2 already holds a related key (Enabled)
	// false state eu-west-1: Absent -> Creating (ReplicateKey)
	// KMSInvalidStateException true
	// true state eu-west-1: Creating -> Enabled (replica created)
	// true
}
