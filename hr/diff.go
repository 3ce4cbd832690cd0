package hr

import (
	"fmt"
	"reflect"

	"github.com/ballast-hr/ballast/audit"
)

// diff lists the fields that differ between before and after (two values of
// the same struct type, or a zero value for a created/deleted record).
// TODO: switch to audit.Diff once it lands.
func diff(before, after any) []audit.Change {
	var out []audit.Change
	b, a := reflect.ValueOf(before), reflect.ValueOf(after)
	if b.Kind() != reflect.Struct || a.Kind() != reflect.Struct || a.Type() != b.Type() {
		return nil
	}
	for i := 0; i < a.NumField(); i++ {
		f := a.Type().Field(i)
		if !f.IsExported() || f.Name == "UpdatedAt" || f.Name == "CreatedAt" || f.Name == "Version" {
			continue
		}
		bv, av := b.Field(i).Interface(), a.Field(i).Interface()
		if reflect.DeepEqual(bv, av) {
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
