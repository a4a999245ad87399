package sut

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
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
	NotInt: func(value string, min, max int) string {
		if max == math.MaxInt {
			return fmt.Sprintf("must be a non-negative integer, not %q", value)
		}
		return fmt.Sprintf("must be an integer from %d to %d, not %q", min, max, value)
	},
}

// structFields decodes a mapping into a struct of bool, int, float64,
// string, time.Duration and []string fields named by their yaml tags. A []string
// or string field tagged values:"a,b" takes only those words (a list, each once).
func structFields(n yamlpos.Node, out any) error {
	v := reflect.ValueOf(out).Elem()
	byTag := map[string]reflect.Value{}
	allowed := map[string][]string{}
	var known []string
	for i := 0; i < v.NumField(); i++ {
		sf := v.Type().Field(i)
		tag := strings.Split(sf.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		byTag[tag] = v.Field(i)
		if vals := sf.Tag.Get("values"); vals != "" {
			allowed[tag] = strings.Split(vals, ",")
		}
		known = append(known, tag)
	}
	return n.Walk(known, func(key string, vn yamlpos.Node) error {
		f := byTag[key]
		switch {
		case f.Type() == reflect.TypeOf([]string(nil)):
			words, err := wordList(vn, allowed[key])
			f.Set(reflect.ValueOf(words))
			return err
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
		case f.Kind() == reflect.Float64:
			x, err := strconv.ParseFloat(vn.Value(), 64)
			if err != nil || x < 1 || x > 16 {
				return vn.Errorf("must be a number from 1 to 16, not %q", vn.Value())
			}
			f.SetFloat(x)
			return nil
		case f.Kind() == reflect.String:
			w, err := vn.Str()
			if err == nil && len(allowed[key]) > 0 && !slices.Contains(allowed[key], w) {
				return vn.Errorf("unknown value %q (want one of %s)", w, strings.Join(allowed[key], ", "))
			}
			f.SetString(w)
			return err
		}
		return vn.Errorf("unsupported field type %s", f.Type())
	})
}

// wordList reads a list of distinct words, each one of allowed (any word
// when allowed is empty).
func wordList(n yamlpos.Node, allowed []string) ([]string, error) {
	items, err := n.Items()
	if err != nil {
		return nil, n.Errorf("must be a list")
	}
	var out []string
	for _, it := range items {
		w, err := it.Str()
		if err != nil {
			return nil, err
		}
		switch {
		case len(allowed) > 0 && !slices.Contains(allowed, w):
			return nil, it.Errorf("unknown value %q (want one of %s)", w, strings.Join(allowed, ", "))
		case slices.Contains(out, w):
			return nil, it.Errorf("%q is listed twice", w)
		}
		out = append(out, w)
	}
	return out, nil
}
