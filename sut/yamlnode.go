package sut

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
)

// wording is how profile errors have always been phrased.
var wording = yamlpos.Wording{
	NotMapping:  func(string, []string) string { return "must be a mapping" },
	UnknownKey:  func(known []string) string { return "unknown field (known: " + strings.Join(known, ", ") + ")" },
	RepeatedKey: func(int) string { return "repeated field" },
	NotString:   func(string) string { return "must be a string" },
	NotBool:     func(value string) string { return fmt.Sprintf("must be true or false, not %q", value) },
	NotInt: func(value string, _, _ int) string {
		return fmt.Sprintf("must be a non-negative integer, not %q", value)
	},
}

// structFields decodes a mapping into a struct of bool, int and
// time.Duration fields named by their yaml tags.
func structFields(n yamlpos.Node, out any) error {
	v := reflect.ValueOf(out).Elem()
	byTag := map[string]reflect.Value{}
	var known []string
	for i := 0; i < v.NumField(); i++ {
		tag := strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		byTag[tag] = v.Field(i)
		known = append(known, tag)
	}
	return n.Walk(known, func(key string, vn yamlpos.Node) error {
		f := byTag[key]
		switch {
		case f.Type() == reflect.TypeOf(time.Duration(0)):
			d, err := vn.Duration()
			f.SetInt(int64(d))
			return err
		case f.Kind() == reflect.Bool:
			b, err := vn.Bool()
			f.SetBool(b)
			return err
		case f.Kind() == reflect.Int:
			i, err := vn.Int(0, math.MaxInt)
			f.SetInt(int64(i))
			return err
		}
		return vn.Errorf("unsupported field type %s", f.Type())
	})
}
