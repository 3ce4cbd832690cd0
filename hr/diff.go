package hr

import (
	"fmt"
	"reflect"

	"github.com/ballast-hr/ballast/audit"
)

// diff lists the fields that differ between before and after (two values of
// the same struct type; nil for the side of a create or delete).
// TODO: switch to audit.Diff once it lands in the tree.
func diff(before, after any) []audit.Change {
	b, a := reflect.ValueOf(before), reflect.ValueOf(after)
	switch {
	case !b.IsValid() && !a.IsValid():
		return nil
	case !b.IsValid():
		b = reflect.Zero(a.Type())
	case !a.IsValid():
		a = reflect.Zero(b.Type())
	}
	if b.Kind() != reflect.Struct || a.Type() != b.Type() {
		return nil
	}
	var out []audit.Change
	for i := 0; i < a.NumField(); i++ {
		f := a.Type().Field(i)
		if !f.IsExported() || f.Name == "UpdatedAt" || f.Name == "CreatedAt" || f.Name == "Version" {
			continue
		}
		if reflect.DeepEqual(b.Field(i).Interface(), a.Field(i).Interface()) {
			continue
		}
		out = append(out, audit.Change{Path: f.Name, Before: render(b.Field(i)), After: render(a.Field(i))})
	}
	return out
}

func render(v reflect.Value) string {
	if v.IsZero() {
		return ""
	}
	return fmt.Sprint(v.Interface())
}
