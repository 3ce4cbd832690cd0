package web

import (
	"strings"
	"testing"
)

func TestMarkdown_RendersTheSubsetAndEscapesEverythingElse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		src     string
		want    []string
		wantNot []string
	}{
		{"heading below the page title", "# 年终奖发放说明", []string{"<h2>年终奖发放说明</h2>"}, nil},
		{"deeper headings", "### Details\n###### Tiny", []string{"<h4>Details</h4>", "<h6>Tiny</h6>"}, nil},
		{"paragraphs join lines", "first line\nsecond line\n\nnext", []string{"<p>first line second line</p>", "<p>next</p>"}, nil},
		{"bullets", "- 一\n- 二\n* 三", []string{"<ul>\n<li>一</li>\n<li>二</li>\n<li>三</li>\n</ul>"}, nil},
		{"numbers", "1. first\n2. second", []string{"<ol>\n<li>first</li>\n<li>second</li>\n</ol>"}, nil},
		{"bold and italic", "**重要** and *note* and _also_", []string{"<strong>重要</strong>", "<em>note</em>", "<em>also</em>"}, nil},
		{"snake case stays", "use field_name_here", []string{"field_name_here"}, []string{"<em>"}},
		{"inline code is escaped", "run `<b>x</b>`", []string{"<code>&lt;b&gt;x&lt;/b&gt;</code>"}, []string{"<b>"}},
		{"fenced code is escaped", "```\n<script>alert(1)</script>\n```", []string{"<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>"}, []string{"<script>"}},
		{"https link", "[手册](https://example.com/a?b=1&c=2)", []string{`<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer" target="_blank">手册</a>`}, nil},
		{"javascript link is text", "[click](javascript:alert(1))", []string{"click"}, []string{"<a", "javascript"}},
		{"data link is text", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"x"}, []string{"<a"}},
		{"relative link is text", "[x](/logout)", []string{"x"}, []string{"<a"}},
		{"quote in href cannot break out", `[x](https://e.com/"onmouseover="alert(1))`, nil, []string{`"onmouseover`}},
		{"raw html is text", `<img src=x onerror=alert(1)> <script>alert(1)</script>`, []string{"&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;"}, []string{"<img", "<script"}},
		{"html inside bold is escaped", "**<i>x</i>**", []string{"<strong>&lt;i&gt;x&lt;/i&gt;</strong>"}, []string{"<i>"}},
		{"html in heading is escaped", "## <u>x</u>", []string{"<h3>&lt;u&gt;x&lt;/u&gt;</h3>"}, nil},
		{"unclosed markers are text", "**open `tick [link](", []string{"**open `tick [link]("}, nil},
		{"ampersands and quotes", `A & B "C" 'D'`, []string{"A &amp; B &#34;C&#34; &#39;D&#39;"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := string(markdown(tt.src))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("markdown(%q) = %q, lacks %q", tt.src, got, w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("markdown(%q) = %q, has %q", tt.src, got, w)
				}
			}
		})
	}
}

func FuzzMarkdown_NeverEmitsATagFromTheSource(f *testing.F) {
	for _, s := range []string{"# x", "**a**", "[a](https://b)", "<script>", "```\n<", "- <a>", "*_`[", "1. x"} {
		f.Add(s)
	}
	allowed := map[string]bool{"p": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "ul": true, "ol": true, "li": true,
		"strong": true, "em": true, "code": true, "pre": true, "a": true}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(markdown(src))
		for i := 0; i < len(out); i++ {
			if out[i] != '<' {
				continue
			}
			j := i + 1
			if j < len(out) && out[j] == '/' {
				j++
			}
			k := j
			for k < len(out) && (out[k] >= 'a' && out[k] <= 'z' || out[k] >= '0' && out[k] <= '9') {
				k++
			}
			if !allowed[out[j:k]] {
				t.Fatalf("markdown(%q) emits tag %q in %q", src, out[i:min(k+1, len(out))], out)
			}
			if out[j:k] == "a" && out[i+1] != '/' && !strings.HasPrefix(out[i:], `<a href="http`) {
				t.Fatalf("markdown(%q) emits a link without an http(s) href: %q", src, out)
			}
		}
	})
}
