package audit

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// Diff returns the fields that differ between before and after, two values
// of the same type (usually structs or pointers to them), in field order:
// nested structs, slices, arrays and maps are followed ("Contacts[1].Phone",
// `Tags["vip"]`), time.Time is compared with Equal and rendered in RFC 3339,
// and unexported fields are ignored. Each value is rendered as text: strings
// as they are, numbers and booleans in Go syntax, composite values that were
// added or removed as JSON.
//
// A nil before (a create) reports every non-zero field of after with an
// empty Before; a nil after (a delete) every non-zero field of before with
// an empty After. Equal values, or both nil, give no changes. Values of
// different types give one change with an empty path.
func Diff(before, after any) []Change {
	bv, av := deref(reflect.ValueOf(before)), deref(reflect.ValueOf(after))
	switch {
	case !bv.IsValid() && !av.IsValid():
		return nil
	case !bv.IsValid():
		return blank(diff(reflect.Zero(av.Type()), av), true)
	case !av.IsValid():
		return blank(diff(bv, reflect.Zero(bv.Type())), false)
	case bv.Type() != av.Type():
		return []Change{{Before: render(bv), After: render(av)}}
	}
	return diff(bv, av)
}

func diff(bv, av reflect.Value) []Change {
	var r reporter
	cmp.Equal(bv.Interface(), av.Interface(), cmp.Reporter(&r), ignoreUnexported)
	return r.changes
}

// blank clears the side of a create (before) or delete (after) that was
// compared against a zero value.
func blank(cs []Change, before bool) []Change {
	for i := range cs {
		if before {
			cs[i].Before = ""
		} else {
			cs[i].After = ""
		}
	}
	return cs
}

// deref follows pointers and interfaces; a nil one gives the invalid Value.
func deref(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

var ignoreUnexported = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	if !ok {
		return false
	}
	r, _ := utf8.DecodeRuneInString(sf.Name())
	return !unicode.IsUpper(r)
}, cmp.Ignore())

// reporter is a cmp.Reporter that records each differing leaf.
type reporter struct {
	path    cmp.Path
	changes []Change
}

func (r *reporter) PushStep(s cmp.PathStep) { r.path = append(r.path, s) }
func (r *reporter) PopStep()                { r.path = r.path[:len(r.path)-1] }

func (r *reporter) Report(res cmp.Result) {
	if res.Equal() || res.ByIgnore() {
		return
	}
	vx, vy := r.path.Last().Values()
	r.changes = append(r.changes, Change{Path: pathString(r.path), Before: render(vx), After: render(vy)})
}

// pathString renders a path as Go-like field access without the types:
// "Contacts[1].Phone", `Tags["vip"]`.
func pathString(p cmp.Path) string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case cmp.StructField:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name())
		case cmp.SliceIndex:
			k := s.Key()
			if k < 0 { // an insertion or removal: name the side that has it
				kx, ky := s.SplitKeys()
				k = max(kx, ky)
			}
			b.WriteString("[" + strconv.Itoa(k) + "]")
		case cmp.MapIndex:
			b.WriteString("[" + renderKey(s.Key()) + "]")
		}
	}
	return b.String()
}

func renderKey(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return strconv.Quote(k.String())
	}
	return render(k)
}

var timeType = reflect.TypeFor[time.Time]()

// render turns one value into the text an auditor reads.
func render(v reflect.Value) string {
	v = deref(v)
	if !v.IsValid() {
		return ""
	}
	if v.Type() == timeType {
		if !v.CanInterface() {
			return ""
		}
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339Nano)
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits())
	}
	if !v.CanInterface() {
		return ""
	}
	if s, ok := v.Interface().(fmt.Stringer); ok {
		return s.String()
	}
	switch v.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Array, reflect.Map:
		if b, err := json.Marshal(v.Interface()); err == nil {
			return string(b)
		}
	}
	return fmt.Sprintf("%v", v.Interface())
}
