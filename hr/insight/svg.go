package insight

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/ballast-hr/ballast/hr"
)

// SVGOptions tunes RenderSVG. The zero value is sensible.
type SVGOptions struct {
	// Title is drawn above the trees and is the document's <title>.
	Title string
	// MaxNodes caps the nodes drawn (default 400); the rest are left out
	// and a note says how many.
	MaxNodes int
}

// The layout of RenderSVG, in SVG user units.
const (
	svgColumn  = 124 // horizontal distance between leaf slots
	svgRow     = 72  // vertical distance between generations
	svgBoxW    = 112
	svgBoxH    = 36
	svgMargin  = 16
	svgTitleH  = 28
	svgNameMax = 9 // runes of a name shown in a box; the full name is in its tooltip
)

// RenderSVG draws referral trees as a standalone SVG document: one layer
// per generation, every person a box, a line from each referrer to the
// people they referred. Cluster members are filled amber, key referrers
// red with a heavy border, departed people dashed. Names and the title are
// XML-escaped, so the document is safe to embed in an HTML page (for
// html/template, wrap it in template.HTML only because of that escaping).
// It fails only when w does.
func RenderSVG(w io.Writer, roots []*Node, opts SVGOptions) error {
	if opts.MaxNodes <= 0 {
		opts.MaxNodes = 400
	}
	l := svgLayout{budget: opts.MaxNodes}
	for _, r := range roots {
		l.place(r, 0, nil)
	}
	width := max(l.slots, 1)*svgColumn + 2*svgMargin
	height := (l.depth+1)*svgRow + 2*svgMargin + svgTitleH
	if l.cut > 0 {
		height += 20
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="referral-tree" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	b.WriteString("<title>")
	escape(&b, opts.Title)
	b.WriteString("</title>\n")
	if opts.Title != "" {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" font-weight="bold">`, svgMargin, svgMargin+14)
		escape(&b, opts.Title)
		b.WriteString("</text>\n")
	}
	b.WriteString(`<g class="edges" stroke="#9ca3af" stroke-width="1.5" fill="none">` + "\n")
	for _, p := range l.placed {
		if p.parent != nil {
			fmt.Fprintf(&b, `<path d="M%d %d C%d %d %d %d %d %d"/>`+"\n",
				p.parent.x, p.parent.y+svgBoxH, p.parent.x, p.y-svgRow/3, p.x, p.parent.y+svgBoxH+svgRow/3, p.x, p.y)
		}
	}
	b.WriteString("</g>\n<g class=\"nodes\">\n")
	for _, p := range l.placed {
		n := p.node
		class, fill, stroke, strokeW, weight := "node", "#f3f4f6", "#6b7280", "1", "normal"
		if n.Cluster {
			class, fill, stroke = "node cluster", "#fde68a", "#d97706"
		}
		if n.KeyReferrer {
			class, fill, stroke, strokeW, weight = class+" key", "#fecaca", "#b91c1c", "3", "bold"
		}
		dash := ""
		if n.Status == hr.StatusDeparted {
			class += " departed"
			dash = ` stroke-dasharray="4 3"`
		}
		fmt.Fprintf(&b, `<g class="%s" data-id="`, class)
		escape(&b, n.ID)
		b.WriteString(`"><title>`)
		escape(&b, fmt.Sprintf("%s: %d direct, %d indirect", n.Name, n.Direct, n.Indirect))
		fmt.Fprintf(&b, `</title><rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="%s" stroke-width="%s"%s/>`,
			p.x-svgBoxW/2, p.y, svgBoxW, svgBoxH, fill, stroke, strokeW, dash)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-weight="%s">`, p.x, p.y+15, weight)
		escape(&b, short(n.Name))
		fmt.Fprintf(&b, `</text><text x="%d" y="%d" text-anchor="middle" font-size="10" fill="#374151">%d / %d</text></g>`+"\n",
			p.x, p.y+29, n.Direct, n.Direct+n.Indirect)
	}
	b.WriteString("</g>\n")
	if l.cut > 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#6b7280">+%d not drawn</text>`+"\n", svgMargin, height-svgMargin, l.cut)
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// svgLayout places nodes: leaves on consecutive slots, each parent centred
// over its children, one row per generation.
type svgLayout struct {
	budget, slots, depth, cut int
	placed                    []*svgPlaced
}

type svgPlaced struct {
	node   *Node
	parent *svgPlaced
	x, y   int
}

// place lays out n at depth and returns its placement, or nil when the
// node budget is spent (n and its subtree are counted in cut).
func (l *svgLayout) place(n *Node, depth int, parent *svgPlaced) *svgPlaced {
	if l.budget == 0 {
		l.cut += count(n)
		return nil
	}
	l.budget--
	p := &svgPlaced{node: n, parent: parent, y: svgMargin + svgTitleH + depth*svgRow}
	l.placed = append(l.placed, p)
	l.depth = max(l.depth, depth)
	var first, last *svgPlaced
	for _, c := range n.Children {
		if cp := l.place(c, depth+1, p); cp != nil {
			if first == nil {
				first = cp
			}
			last = cp
		}
	}
	if first == nil {
		p.x = svgMargin + l.slots*svgColumn + svgColumn/2
		l.slots++
	} else {
		p.x = (first.x + last.x) / 2
	}
	return p
}

func count(n *Node) int {
	c := 1
	for _, k := range n.Children {
		c += count(k)
	}
	return c
}

func escape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a bytes.Buffer never fails
}

// short cuts a name to svgNameMax runes.
func short(s string) string {
	if utf8.RuneCountInString(s) <= svgNameMax {
		return s
	}
	r := []rune(s)
	return string(r[:svgNameMax-1]) + "…"
}
