package customers

import (
	"strings"
	"unicode"
)

// Search works on any script, Chinese included, without a tokenizer: the
// store keeps, for every customer, the distinct character bigrams and
// single characters of its normalised SearchText, in an index. A query
// matches the customers holding every gram of the query (an index lookup)
// whose SearchText then contains the query (a substring test on the few
// candidates). Hosts implementing Store use these functions so search
// behaves the same on every store.

// Normalize is the form search compares: lower-cased, with runs of white
// space folded to one space and trimmed.
func Normalize(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}

// SearchText is the normalised text a customer is found by: its name, its
// contacts' names, its needs and its follow-up notes and next steps, one
// per line.
func SearchText(c Customer) string {
	parts := []string{Normalize(c.Name)}
	for _, ct := range c.Contacts {
		parts = append(parts, Normalize(ct.Name))
	}
	parts = append(parts, Normalize(c.Needs))
	for _, f := range c.FollowUps {
		parts = append(parts, Normalize(f.Note), Normalize(f.NextStep))
	}
	return strings.Join(parts, "\n")
}

// Grams returns the distinct grams of a normalised text: every single
// character and every pair of adjacent characters (bigram) that does not
// cross a line break, in first-seen order.
func Grams(text string) []string {
	seen := make(map[string]bool)
	var out []string
	add := func(g string) {
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		rs := []rune(line)
		for i, r := range rs {
			if r == ' ' {
				continue
			}
			add(string(r))
			if i+1 < len(rs) && rs[i+1] != ' ' {
				add(string(rs[i : i+2]))
			}
		}
	}
	return out
}

// QueryGrams returns the grams a customer must hold to match the
// normalised query q: its bigrams, or its single character when it has
// just one. A query of spaces only gives none.
func QueryGrams(q string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, word := range strings.Fields(q) {
		rs := []rune(word)
		if len(rs) == 1 {
			if !seen[word] {
				seen[word] = true
				out = append(out, word)
			}
			continue
		}
		for i := 0; i+1 < len(rs); i++ {
			g := string(rs[i : i+2])
			if !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	return out
}
