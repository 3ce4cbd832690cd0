package succession

import (
	"bytes"
	"fmt"
	"html"
	"io"
)

// SVGLabels are the words the SVG rendering writes; the zero value is
// English. The web UI passes translations.
type SVGLabels struct {
	Performance, Potential string
	Low, Mid, High         string
	// More is appended after the names shown when a box holds more
	// people than fit ("+%d more").
	More string
}

func (l SVGLabels) withDefaults() SVGLabels {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&l.Performance, "Performance")
	def(&l.Potential, "Potential")
	def(&l.Low, "Low")
	def(&l.Mid, "Mid")
	def(&l.High, "High")
	def(&l.More, "+%d more")
	return l
}

// maxNames is how many names a box lists before "+N more".
const maxNames = 6

// WriteSVG draws g as an SVG document (performance across, potential up)
// that a web page can embed inline. Every text, names included, is
// escaped. It returns the writer's error.
func WriteSVG(w io.Writer, g Grid, labels SVGLabels) error {
	l := labels.withDefaults()
	const cell, pad, lineH = 200, 60, 18
	size := pad + 3*cell + 10
	var b bytes.Buffer
	esc := html.EscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" font-family="sans-serif" font-size="13">`,
		size, size, size, size)
	axis := []string{l.Low, l.Mid, l.High}
	for perf := 0; perf < 3; perf++ {
		for pot := 0; pot < 3; pot++ {
			x, y := pad+perf*cell, 10+(2-pot)*cell
			shade := []string{"#f8d7da", "#fff3cd", "#d1e7dd"}[min((perf+pot+1)/2, 2)]
			fmt.Fprintf(&b, `<g class="box" data-performance="%s" data-potential="%s">`, Level(perf), Level(pot))
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#666"/>`, x, y, cell, cell, shade)
			es := g.Cells[perf][pot]
			for i, e := range es {
				if i == maxNames {
					fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, x+8, y+lineH*(i+1), esc(fmt.Sprintf(l.More, len(es)-maxNames)))
					break
				}
				fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, x+8, y+lineH*(i+1), esc(e.Name))
			}
			b.WriteString(`</g>`)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, pad+perf*cell+cell/2, 10+3*cell+18, esc(axis[perf]))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, pad-6, 10+(2-perf)*cell+cell/2, esc(axis[perf]))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, pad+3*cell/2, 10+3*cell+40, esc(l.Performance))
	fmt.Fprintf(&b, `<text x="14" y="%d" text-anchor="middle" transform="rotate(-90 14 %d)">%s</text>`, 10+3*cell/2, 10+3*cell/2, esc(l.Potential))
	b.WriteString(`</svg>`)
	_, err := w.Write(b.Bytes())
	return err
}
