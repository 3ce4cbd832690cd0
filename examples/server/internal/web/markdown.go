package web

import (
	"html"
	"html/template"
	"net/url"
	"strings"
)

// markdown renders the small Markdown subset announcements use: headings
// (#–######), paragraphs, bulleted and numbered lists, fenced code blocks,
// and inline bold, italic, code and links. It never passes the author's
// text through: every character of it is HTML-escaped, raw HTML in the
// source shows as text, and a link keeps its href only when it is an
// absolute http or https URL (anything else renders as its text). That is
// what makes the template.HTML it returns safe to embed.
func markdown(src string) template.HTML {
	var b strings.Builder
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var para []string
	flushPara := func() {
		if len(para) == 0 {
			return
		}
		b.WriteString("<p>")
		b.WriteString(mdInline(strings.Join(para, " ")))
		b.WriteString("</p>\n")
		para = nil
	}
	for i := 0; i < len(lines); {
		line := strings.TrimRight(lines[i], " \t")
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case trimmed == "":
			flushPara()
			i++
		case strings.HasPrefix(trimmed, "```"):
			flushPara()
			i++
			var code []string
			for i < len(lines) && !strings.HasPrefix(strings.TrimLeft(lines[i], " "), "```") {
				code = append(code, lines[i])
				i++
			}
			i++ // the closing fence (or the end)
			b.WriteString("<pre><code>")
			b.WriteString(html.EscapeString(strings.Join(code, "\n")))
			b.WriteString("</code></pre>\n")
		case headingLevel(trimmed) > 0:
			flushPara()
			n := headingLevel(trimmed)
			tag := "h" + string(rune('0'+n+1)) // # is h2: the page title is h1
			if n >= 6 {
				tag = "h6"
			}
			b.WriteString("<" + tag + ">")
			b.WriteString(mdInline(strings.TrimSpace(strings.TrimRight(trimmed[n:], "#"))))
			b.WriteString("</" + tag + ">\n")
			i++
		case listItem(trimmed) != "":
			flushPara()
			kind := listItem(trimmed)
			b.WriteString("<" + kind + ">\n")
			for i < len(lines) {
				t := strings.TrimLeft(strings.TrimRight(lines[i], " \t"), " ")
				if listItem(t) != kind {
					break
				}
				b.WriteString("<li>")
				b.WriteString(mdInline(listText(t)))
				b.WriteString("</li>\n")
				i++
			}
			b.WriteString("</" + kind + ">\n")
		default:
			para = append(para, trimmed)
			i++
		}
	}
	flushPara()
	return template.HTML(b.String()) // every piece above went through html.EscapeString
}

// headingLevel is the number of leading #s of an ATX heading ("## x"), or 0.
func headingLevel(s string) int {
	n := 0
	for n < len(s) && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(s) || s[n] != ' ' {
		return 0
	}
	return n
}

// listItem says which list a line belongs to: "ul" for "- x" or "* x",
// "ol" for "1. x", "" for neither.
func listItem(s string) string {
	if strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "* ") || strings.HasPrefix(s, "+ ") {
		return "ul"
	}
	d := 0
	for d < len(s) && d < 9 && s[d] >= '0' && s[d] <= '9' {
		d++
	}
	if d > 0 && d+1 < len(s) && s[d] == '.' && s[d+1] == ' ' {
		return "ol"
	}
	return ""
}

// listText is a list line without its marker.
func listText(s string) string {
	if listItem(s) == "ul" {
		return strings.TrimSpace(s[2:])
	}
	_, after, _ := strings.Cut(s, ". ")
	return strings.TrimSpace(after)
}

// mdInline renders inline Markdown: `code`, **bold**, *italic* or _italic_,
// and [text](http(s) URL). Everything else is escaped text.
func mdInline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '`':
			if j := strings.IndexByte(s[i+1:], '`'); j >= 0 {
				b.WriteString("<code>")
				b.WriteString(html.EscapeString(s[i+1 : i+1+j]))
				b.WriteString("</code>")
				i += j + 2
				continue
			}
		case strings.HasPrefix(s[i:], "**"):
			if j := strings.Index(s[i+2:], "**"); j > 0 {
				b.WriteString("<strong>")
				b.WriteString(mdInline(s[i+2 : i+2+j]))
				b.WriteString("</strong>")
				i += j + 4
				continue
			}
		case (s[i] == '*' || s[i] == '_') && (i == 0 || !isWordByte(s[i-1])):
			if j := strings.IndexByte(s[i+1:], s[i]); j > 0 && s[i+1] != ' ' {
				b.WriteString("<em>")
				b.WriteString(mdInline(s[i+1 : i+1+j]))
				b.WriteString("</em>")
				i += j + 2
				continue
			}
		case s[i] == '[':
			if text, href, n, ok := mdLink(s[i:]); ok {
				if safe := safeHref(href); safe != "" {
					b.WriteString(`<a href="`)
					b.WriteString(html.EscapeString(safe))
					b.WriteString(`" rel="nofollow noopener noreferrer" target="_blank">`)
					b.WriteString(mdInline(text))
					b.WriteString("</a>")
				} else {
					b.WriteString(mdInline(text))
				}
				i += n
				continue
			}
		}
		// One UTF-8 sequence of plain text (escaped).
		j := i + 1
		for j < len(s) && s[j]&0xC0 == 0x80 {
			j++
		}
		b.WriteString(html.EscapeString(s[i:j]))
		i = j
	}
	return b.String()
}

// mdLink parses "[text](href)" at the start of s and returns its parts and
// length.
func mdLink(s string) (text, href string, n int, ok bool) {
	close := strings.Index(s, "](")
	if close < 1 || strings.Contains(s[1:close], "[") {
		return "", "", 0, false
	}
	end := strings.IndexByte(s[close+2:], ')')
	if end < 0 {
		return "", "", 0, false
	}
	return s[1:close], strings.TrimSpace(s[close+2 : close+2+end]), close + 3 + end, true
}

// safeHref returns href when it is an absolute http(s) URL with a host,
// and "" otherwise (javascript:, data:, relative and malformed URLs).
func safeHref(href string) string {
	u, err := url.Parse(href)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

// isWordByte reports whether c is an ASCII letter or digit, so that
// snake_case_words keep their underscores.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
