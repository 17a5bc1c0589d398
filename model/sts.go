package model

import (
	"slices"

	"github.com/drsim/drsim/sim"
)

// OptInRegions are the AWS Regions that must be enabled before use (those
// launched after March 2019). The legacy global STS endpoint serves calls
// from them in us-east-1 (docs/aws-behaviour.md G3; the IAM User Guide, "AWS STS
// Regions and endpoints", is authoritative).
var OptInRegions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2",
	"il-central-1", "me-central-1", "me-south-1", "mx-central-1",
}

// IsOptIn reports whether region is an opt-in region (OptInRegions).
func IsOptIn(region string) bool { return slices.Contains(OptInRegions, region) }

// STSEndpointRegion returns the region whose STS endpoint the app serving
// in region uses: its own with STSRegional; with STSGlobal, us-east-1 when
// region is an opt-in region and region itself otherwise (docs/aws-behaviour.md G3).
func STSEndpointRegion(sts STSEndpoint, region string) string {
	if sts == STSGlobal && IsOptIn(region) {
		return ControlPlaneRegion
	}
	return region
}

// stsEndpointOf returns the index of the region whose STS endpoint the app
// serving in reg depends on, or -1 when that region is not declared (an
// outage can only take down declared regions, so it never fails).
func (r *Runner) stsEndpointOf(reg int) int {
	return slices.Index(r.regionNames, STSEndpointRegion(r.cfg.App.STS, r.regionNames[reg]))
}

// credentialsTTL returns App.CredentialsTTL or its default.
func (r *Runner) credentialsTTL() sim.Time {
	if t := r.cfg.App.CredentialsTTL; t > 0 {
		return t
	}
	return DefaultCredentialsTTL
}

// stsChange is called when the STS endpoint of region goes down (up false)
// or comes back. When it goes down, the app's cached credentials last a
// further uniform(0, credentials_ttl]: one uniform per failure, whichever
// regions depend on the endpoint. When it comes back, they are fresh again.
//
// The uniform of the k-th failure of the endpoint in region R is the
// counter-k draw of the counter-based stream ("app/sts", R), so it can be
// drawn lazily: the expiry is scheduled only once a region that depends on
// the endpoint has its app up while STS is down (at the failure, or when
// the app comes back, scheduleCreds), at the same time an eager draw would
// give. A region outage takes the app and STS down together, and then no
// event is added.
func (r *Runner) stsChange(region int, up bool) {
	r.eng.Cancel(r.credsH[region])
	r.credsH[region] = sim.Handle{}
	if up {
		if r.credsGone[region] {
			r.credsGone[region] = false
			for reg, ok := range r.serving {
				if ok && r.stsEndpoint[reg] == region && r.svcUp(reg, svcApp) {
					r.markDirty()
					r.traceSTS(region, "STS in "+r.regionNames[region]+" is back: the app gets credentials again")
					break
				}
			}
		}
		return
	}
	r.stsFails[region]++
	r.stsSince[region] = r.eng.Now()
	for reg := range r.stsEndpoint {
		if r.stsEndpoint[reg] == region && r.svcUp(reg, svcApp) {
			r.scheduleCreds(region)
			return
		}
	}
}

// scheduleCreds schedules the expiry of the credentials from the STS
// endpoint in region, down since stsSince[region], unless it is scheduled
// or past: at stsSince + u·credentials_ttl, or now if that is earlier.
func (r *Runner) scheduleCreds(region int) {
	if r.credsGone[region] || r.eng.Scheduled(r.credsH[region]) {
		return
	}
	u := sim.NewSubstreams(r.seed, "app/sts", r.regionNames[region]).Uniform(r.stsFails[region])
	at := r.stsSince[region] + sim.Time(u*float64(r.credentialsTTL()))
	r.credsH[region] = r.eng.At(max(at, r.eng.Now()), r.credsFn, region)
}

// credsExpire fires when the app's cached credentials from the STS endpoint
// in region run out while it is still down.
func (r *Runner) credsExpire(region int) {
	r.credsH[region] = sim.Handle{}
	if r.svcUp(region, svcSTS) {
		return
	}
	r.credsGone[region] = true
	// Only the regions that serve now, with their app up, feel it (those
	// that serve later read credsGone when their rates are computed).
	for reg, ok := range r.serving {
		if ok && r.stsEndpoint[reg] == region && r.svcUp(reg, svcApp) {
			r.markDirty()
			r.traceSTS(region, "the app's cached credentials from STS in "+r.regionNames[region]+
				" expired: its requests in the regions that use that endpoint fail until STS is back")
			return
		}
	}
}

// appErr returns the fraction of the app's requests in region reg that
// fail before reaching a store: 1 when the app is down there or its
// credentials (from the STS endpoint it depends on) have run out, else the
// app's gray error rate.
func (r *Runner) appErr(reg int) float64 {
	if e := r.stsEndpoint[reg]; e >= 0 && r.credsGone[e] {
		return 1
	}
	return r.svcErr(reg, svcApp)
}
