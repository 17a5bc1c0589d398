// Package nightly holds the nightly fuzz job and nothing else: a test,
// built only with the "nightly" build tag, that finds every fuzz target of
// the module (go test -list '^Fuzz' ./...) and fuzzes each one in turn for
// a fixed time (go test -run '^$' -fuzz '^FuzzX$' -fuzztime 60s PKG). New
// targets are included without a change here. It never runs in the normal
// 'go test ./...' or in .ci/run; .ci/nightly runs it:
//
//	go test -tags nightly -timeout 3h ./...
//
// The environment tunes it: DRSIM_FUZZTIME (a Go duration, default 60s) is
// the time per target, DRSIM_FUZZ (a regular expression) selects targets
// by "PKG.FuzzX", DRSIM_FUZZ_PARALLEL the fuzz workers per target (default
// go test's: GOMAXPROCS), and DRSIM_NIGHTLY_SUMMARY names a file that
// receives one tab-separated line per target: package, target, result,
// seconds, executions, new interesting inputs. A target that fails leaves
// its failing input under PKG/testdata/fuzz/FuzzX, as go test does; it is
// reported and the other targets still run.
//
// The package is hand-written, standard library only: it drives the go
// command, and go test has no mode that fuzzes several targets.
package nightly
