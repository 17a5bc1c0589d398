package sim

import (
	"math"
	"strings"
)

// A named outage profile is a duration distribution built from published
// events, written profile(NAME) in a scenario wherever a duration
// distribution is allowed. It samples by inverse CDF from one uniform, like
// every other Dist, and prints back as profile(NAME).
//
// Profile "aws-regional" (docs/aws-behaviour.md G8) is the lognormal whose log-hours
// mean and (n−1) standard deviation are those of the eight whole-event
// durations of the AWS post-event summaries listed in ProfileEvent order:
// μ = 1.8283, σ = 0.6740 (ln hours), so median 6.22 h, p90 14.8 h, p99
// 29.9 h. The sample is biased (only events large enough to get a public
// summary are in it) and "end" is defined differently from one summary to
// the next (end of customer impact as each summary states it); the fit
// says what such events lasted, not how often regions fail.

// ProfileEvent is one data point of a profile: a published event and its
// whole-event duration.
type ProfileEvent struct {
	Date   string  // the date of the event, as published ("2021-12-07")
	Region string  // the Region (or scope) affected
	What   string  // what failed
	Window string  // the window of customer impact, local time as published
	Hours  float64 // the window's length in hours
	Source string  // the public summary
}

// Profile is a named outage-duration distribution and the data it rests on.
type Profile struct {
	Name string
	// Description says in one line what the profile is and how it is built.
	Description string
	// Caveat says what the sample does not tell.
	Caveat string
	Events []ProfileEvent
	// Mu and Sigma are the mean and the (n−1) standard deviation of the
	// natural logarithms of the durations in hours.
	Mu, Sigma float64
}

// profiles returns the named profiles, in the order of Dist.profile.
func profiles() []Profile {
	ev := []ProfileEvent{
		{"2008-02-15", "US (S3)", "S3 authentication overload, all requests", "4:31-6:48 AM PST", 2.3, "AWS service notice of 2008-02-15"},
		{"2023-06-13", "us-east-1", "Lambda front end; STS, console, EventBridge", "11:49 AM-3:37 PM PDT", 3.8, "https://aws.amazon.com/message/061323/"},
		{"2017-02-28", "us-east-1", "S3 index and placement subsystems", "9:37 AM-1:54 PM PST", 4.3, "https://aws.amazon.com/message/41926/"},
		{"2015-09-20", "us-east-1", "DynamoDB metadata service; SQS, Auto Scaling, CloudWatch", "2:13-7:10 AM PDT", 5.0, "https://aws.amazon.com/message/5467D2/"},
		{"2024-07-30", "us-east-1", "Kinesis cell; CloudWatch Logs, ECS, Lambda", "2:45-9:37 PM PDT", 6.9, "https://aws.amazon.com/message/073024/"},
		{"2021-12-07", "us-east-1", "internal network; EC2 APIs, STS, Route 53 change APIs", "7:30 AM-2:30 PM PST", 7.0, "https://aws.amazon.com/message/12721/"},
		{"2025-10-19/20", "us-east-1", "DynamoDB DNS; EC2 launches, NLB, Lambda, STS, IAM", "11:48 PM-2:20 PM PDT", 14.5, "https://aws.amazon.com/message/101925/"},
		{"2020-11-25", "us-east-1", "Kinesis front end; Cognito, CloudWatch, Lambda", "5:15 AM-10:23 PM PST", 17.1, "https://aws.amazon.com/message/11201/"},
	}
	mu, sigma := logMoments(ev)
	return []Profile{{
		Name:        "aws-regional",
		Description: "lognormal fitted to the whole-event durations of 8 AWS regional-service events 2008-2025 with public post-event summaries (mean and n-1 standard deviation of ln hours)",
		Caveat:      "a biased sample (only events large enough for a public summary) of 8, and each summary defines the event's end its own way",
		Events:      ev,
		Mu:          mu,
		Sigma:       sigma,
	}}
}

// logMoments returns the mean and the (n−1) standard deviation of the
// natural logarithms of the events' hours.
func logMoments(ev []ProfileEvent) (mu, sigma float64) {
	for _, e := range ev {
		mu += math.Log(e.Hours)
	}
	mu /= float64(len(ev))
	for _, e := range ev {
		d := math.Log(e.Hours) - mu
		sigma += d * d
	}
	return mu, math.Sqrt(sigma / float64(len(ev)-1))
}

// Profiles returns the named outage profiles, sorted by name, with their
// data points and sources. The result is a fresh copy.
func Profiles() []Profile { return profiles() }

// ProfileNames returns the names of the profiles, sorted.
func ProfileNames() []string {
	var names []string
	for _, p := range profiles() {
		names = append(names, p.Name)
	}
	return names
}

// LookupProfile returns the profile with the given name (case-insensitive).
func LookupProfile(name string) (Profile, bool) {
	for _, p := range profiles() {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Profile{}, false
}

// ProfileDist returns the distribution of the named profile, and false for
// an unknown name. Its Profile method returns the name and its String is
// "profile(NAME)".
func ProfileDist(name string) (Dist, bool) {
	for i, p := range profiles() {
		if strings.EqualFold(p.Name, name) {
			d := logNormalMuSigma(p.Mu+math.Log(float64(Hour)), p.Sigma)
			d.profile = uint8(i + 1)
			return d, true
		}
	}
	return Dist{}, false
}

// logNormalMuSigma returns the lognormal with log-mean mu (ln ns) and
// log-sd sigma, its median and p99 filled in.
func logNormalMuSigma(mu, sigma float64) Dist {
	return Dist{Kind: LogNormal, P1: math.Exp(mu), P2: math.Exp(mu + sigma*z99), mu: mu, sigma: sigma}
}

// Profile returns the name of the profile d was built from by ProfileDist,
// or "".
func (d Dist) Profile() string {
	if d.profile == 0 {
		return ""
	}
	ps := profiles()
	if int(d.profile) > len(ps) {
		return ""
	}
	return ps[d.profile-1].Name
}
