package kms

// resolve finds the copy a cryptographic call by a caller in region caller
// goes to (K12): for a multi-Region key the related copy in the caller's
// Region, for a single-Region key its home Region. It returns NotFound (and
// target = caller) when there is no such copy.
func (k *KMS) resolve(key, caller int) (Reason, int, *copyState) {
	if !k.validKey(key) || !k.validRegion(caller) {
		return NotFound, caller, nil
	}
	if k.keys[key].MultiRegion {
		c := k.copyAt(key, caller)
		if !c.state.Exists() {
			return NotFound, caller, nil
		}
		return OK, caller, c
	}
	home := k.ks[key].home
	if home < 0 {
		return NotFound, caller, nil
	}
	return OK, home, k.copyAt(key, home)
}

// usable applies the resolution, network and state checks.
func (k *KMS) usable(key, caller int) (Reason, int, *copyState) {
	r, t, c := k.resolve(key, caller)
	if r != OK {
		return r, t, nil
	}
	if !k.net.KMSUp(t) || !k.net.Linked(caller, t) {
		return Unavailable, t, c
	}
	return stateReason(c.state), t, c
}

// stateReason is the crypto outcome of a copy's state (K10).
func stateReason(s State) Reason {
	switch s {
	case Enabled, Updating:
		return OK
	case StateDisabled:
		return Disabled
	case Creating, PendingDeletion, PendingReplicaDeletion:
		return InvalidState
	}
	return NotFound
}

// Crypto checks a cryptographic call (Encrypt, Decrypt, GenerateDataKey) by
// principal with key from region caller, without throttling (the model
// applies quotas). It returns OK or the failure reason, and the Region the
// call goes to (K12). The checks, in order: resolution (no related copy in
// the caller's Region, or no such key: NotFound, target = caller); network
// (KMS down in the target Region, or the caller partitioned from it:
// Unavailable); state (K10); policy (principal not in the copy's users:
// AccessDenied; "*" in the users admits anyone). It does not allocate.
func (k *KMS) Crypto(principal string, key, caller int) (r Reason, target int) {
	r, target, c := k.usable(key, caller)
	if r != OK {
		return r, target
	}
	if !Allows(c.users, principal) {
		return AccessDenied, target
	}
	return OK, target
}

// Usable is the DynamoDB at-rest check: Crypto without the policy check
// (DynamoDB holds a grant).
func (k *KMS) Usable(key, caller int) (r Reason, target int) {
	r, target, _ = k.usable(key, caller)
	return r, target
}

// Transient reports whether a crypto failure reason for key called from
// caller is transient: Unavailable and Throttling always, InvalidState while
// the target copy is Creating or Updating. Every other reason is a refusal.
func (k *KMS) Transient(r Reason, key, caller int) bool {
	switch r {
	case Unavailable, Throttling:
		return true
	case InvalidState:
		rr, _, c := k.resolve(key, caller)
		return rr == OK && (c.state == Creating || c.state == Updating)
	}
	return false
}
