package insight

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast/hr"
)

func TestRenderSVG_EscapesNamesAndMarksTheCluster(t *testing.T) {
	t.Parallel()
	evil := `<script>alert("x")</script>&`
	roots := []*Node{{
		Person:      Person{ID: "w", Name: evil, Status: hr.StatusActive},
		Direct:      2,
		KeyReferrer: true,
		Children: []*Node{
			{Person: Person{ID: "a", Name: "赵敏"}, Cluster: true},
			{Person: Person{ID: `b"><x`, Name: "张磊", Status: hr.StatusDeparted}, Cluster: true},
		},
	}}
	var b bytes.Buffer
	if err := RenderSVG(&b, roots, SVGOptions{Title: "Sales <b>&</b>"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script", "<b>", `"><x`} {
		if strings.Contains(out, bad) {
			t.Errorf("SVG contains unescaped %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{"&lt;script&gt;", `class="node key"`, `class="node cluster"`,
		`class="node cluster departed"`, "赵敏", "Sales &lt;b&gt;&amp;&lt;/b&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q:\n%s", want, out)
		}
	}
	// The document is well-formed XML.
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("SVG is not well-formed: %v\n%s", err, out)
		}
	}
}

func TestRenderSVG_CapsTheNodesDrawn(t *testing.T) {
	t.Parallel()
	root := &Node{Person: Person{ID: "r", Name: "root"}}
	for range 10 {
		root.Children = append(root.Children, &Node{Person: Person{ID: "c", Name: "child"}})
	}
	var b bytes.Buffer
	if err := RenderSVG(&b, []*Node{root}, SVGOptions{MaxNodes: 4}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "<rect"); n != 4 {
		t.Errorf("drew %d boxes, want 4", n)
	}
	if !strings.Contains(b.String(), "+7 not drawn") {
		t.Errorf("no note of the nodes left out:\n%s", b.String())
	}
}

func TestRenderSVG_EmptyForestIsAValidDocument(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := RenderSVG(&b, nil, SVGOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "<svg") || !strings.HasSuffix(b.String(), "</svg>\n") {
		t.Errorf("not an SVG document: %q", b.String())
	}
}
