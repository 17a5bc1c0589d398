package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/vbauerster/cupwriter"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// Phases of a scenario's bar.
const (
	phaseWaiting     = "waiting"
	phaseSimulating  = "simulating"
	phaseAggregating = "aggregating"
	phaseRendering   = "rendering"
	phaseDone        = "done"
)

// isTerminal reports whether w is a terminal: an *os.File whose descriptor
// term.IsTerminal accepts. A character device is not enough: /dev/null is
// one too.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress draws one bar per scenario on stderr (vbauerster/mpb): the
// phase, trials done, the rate and the time left. It is shown only on a
// terminal, without --quiet, once the run has lasted env.progressDelay; a nil
// *progress, and its nil bars, do nothing.
type progress struct {
	w       io.Writer
	p       *mpb.Progress
	bars    []*bar
	stopped bool
	// unhook removes the interrupt hook.
	unhook func() bool
}

// bar is one scenario's line.
type bar struct {
	b     *mpb.Bar
	total atomic.Int64 // trials planned; a run to precision raises it
	phase atomic.Pointer[string]
	start atomic.Int64 // when simulating began, Unix nanoseconds
	done  atomic.Int64 // trials done
	ended atomic.Bool
}

// newProgress returns the bars of the named scenarios, of total trials
// each, or nil when they are not to be shown. When ctx is done (Ctrl-C) the
// cursor goes back to the first column at once: the terminal has echoed
// "^C", and bars drawn after it would start two columns in, wrap and stay.
func newProgress(ctx context.Context, e *env, quiet bool, names []string, total int) *progress {
	if quiet || !e.isTerminal(e.stderr) {
		return nil
	}
	delay := make(chan any)
	time.AfterFunc(e.progressDelay, func() { close(delay) })
	p := &progress{w: e.stderr, p: mpb.New(
		mpb.WithConsoleWriter(sizedConsole{cupwriter.New(e.stderr, false)}),
		mpb.WithWidth(50),
		mpb.WithRefreshRate(150*time.Millisecond),
		mpb.WithRenderDelay(delay),
	)}
	p.unhook = context.AfterFunc(ctx, func() { io.WriteString(e.stderr, "\r") })
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		b := &bar{}
		b.total.Store(int64(total))
		b.phase.Store(ptr(phaseWaiting))
		b.b = p.p.New(0, mpb.BarStyle().Lbound("[").Rbound("]"),
			mpb.PrependDecorators(
				decor.Name(n, decor.WC{W: width + 1, C: decor.DindentRight}),
				decor.Any(func(decor.Statistics) string { return *b.phase.Load() }, decor.WC{W: len(phaseAggregating) + 1, C: decor.DindentRight}),
			),
			mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return b.status(time.Now()) }, decor.WC{C: decor.DextraSpace})),
			mpb.BarRemoveOnComplete(),
			mpb.BarFillerMiddleware(keepMargin),
		)
		b.b.SetTotal(int64(total), false)
		p.bars = append(p.bars, b)
	}
	return p
}

func ptr(s string) *string { return &s }

// fallbackColumns and fallbackRows are the size assumed of a terminal that
// reports none (0×0: a pseudo-terminal whose size nobody set, as under
// "script -qc"), the classic 80×24, so that the bars still show.
const fallbackColumns, fallbackRows = 80, 24

// sizedConsole is mpb's console writer with a terminal size that is never
// zero: mpb draws nothing in a terminal of width or height 0.
type sizedConsole struct{ *cupwriter.Writer }

// GetTermSize implements mpb.ConsoleWriter.
func (c sizedConsole) GetTermSize() (width, height int, err error) {
	width, height, err = c.Writer.GetTermSize()
	if err != nil {
		return width, height, err
	}
	if width <= 0 {
		width = fallbackColumns
	}
	if height <= 0 {
		height = fallbackRows
	}
	return width, height, nil
}

// keepMargin leaves the last two columns of the terminal free, so that a
// line that starts two columns in (after "^C") does not wrap.
func keepMargin(base mpb.BarFiller) mpb.BarFiller {
	return mpb.BarFillerFunc(func(w io.Writer, st decor.Statistics) error {
		st.AvailableWidth = max(0, st.AvailableWidth-2)
		return base.Fill(w, st)
	})
}

// bar returns the bar of scenario i (nil on a nil progress).
func (p *progress) bar(i int) *bar {
	if p == nil {
		return nil
	}
	return p.bars[i]
}

// setPhase sets every bar's phase ("rendering" for a compare's outputs).
func (p *progress) setPhase(phase string) {
	if p == nil {
		return
	}
	for _, b := range p.bars {
		b.setPhase(phase)
	}
}

// stop removes the bars and waits until the terminal is clean.
func (p *progress) stop() {
	if p == nil || p.stopped {
		return
	}
	p.stopped = true
	p.unhook()
	for _, b := range p.bars {
		b.end()
	}
	p.p.Wait()
}

// abort removes the bars of an interrupted run, leaving them unfinished,
// and waits until the terminal is clean.
func (p *progress) abort() {
	if p == nil || p.stopped {
		return
	}
	p.stopped = true
	p.unhook()
	for _, b := range p.bars {
		if !b.ended.Swap(true) {
			b.b.Abort(true)
		}
	}
	p.p.Wait()
}

// setPhase shows phase on the bar; simulating starts its clock.
func (b *bar) setPhase(phase string) {
	if b == nil {
		return
	}
	if phase == phaseSimulating {
		b.start.Store(time.Now().UnixNano())
	}
	b.phase.Store(ptr(phase))
}

// update is the trial progress callback of model.RunTrialsContext.
func (b *bar) update(done int) {
	b.done.Store(int64(done))
	b.b.SetCurrent(int64(done))
}

// setTotal sets the trials the bar expects (a run to precision plans
// more trials batch by batch).
func (b *bar) setTotal(total int) {
	if b == nil || b.total.Load() == int64(total) {
		return
	}
	b.total.Store(int64(total))
	b.b.SetTotal(int64(total), false)
}

// whatifProgress returns the progress callback of a what-if run (trials
// done and planned over the whole of it), nil for a nil bar.
func (b *bar) whatifProgress() func(done, planned int) {
	if b == nil {
		return nil
	}
	return func(done, planned int) {
		b.setTotal(planned)
		b.update(done)
	}
}

// progressFunc returns b's progress callback, nil for a nil bar (so that
// the trials do not report progress at all).
func (b *bar) progressFunc() func(int) {
	if b == nil {
		return nil
	}
	return b.update
}

// end completes the bar, which removes it.
func (b *bar) end() {
	if b == nil || b.ended.Swap(true) {
		return
	}
	b.b.SetTotal(-1, true)
}

// status is the text after the bar: "4,200/10,000 trials  12,345/s  ETA 1s"
// while simulating, the counts alone otherwise.
func (b *bar) status(now time.Time) string {
	done := b.done.Load()
	s := fmt.Sprintf("%s/%s trials", groupDigits(done), groupDigits(b.total.Load()))
	start := b.start.Load()
	if *b.phase.Load() != phaseSimulating || start == 0 {
		return s
	}
	return s + "  " + rateAndETA(done, b.total.Load(), now.Sub(time.Unix(0, start)))
}

// rateAndETA formats the trial rate so far and the time left at that
// rate: "12,345/s  ETA 1m05s", "ETA -" before the first trial.
func rateAndETA(done, total int64, elapsed time.Duration) string {
	if done <= 0 || elapsed <= 0 {
		return "-/s  ETA -"
	}
	rate := float64(done) / elapsed.Seconds()
	left := time.Duration(float64(total-done) / rate * float64(time.Second))
	return fmt.Sprintf("%s/s  ETA %s", groupDigits(int64(rate+0.5)), left.Round(time.Second))
}
