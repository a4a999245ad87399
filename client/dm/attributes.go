package dm

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Attributes are the notification attributes of Core 1.1 §5.1.2 set at
// one level (object, instance, resource, resource instance); nil fields
// are unset. Periods are durations: the specification counts whole
// seconds, the client also accepts decimals ("pmin=0.5") so that tests
// can run in milliseconds.
type Attributes struct {
	Pmin, Pmax   *time.Duration
	Gt, Lt, St   *float64
	Epmin, Epmax *time.Duration
}

// attrNames is the order attributes are listed in Discover answers.
var attrNames = []string{"pmin", "pmax", "gt", "lt", "st", "epmin", "epmax"}

// periods and thresholds give uniform access to the fields by name.
func (a *Attributes) period(name string) **time.Duration {
	switch name {
	case "pmin":
		return &a.Pmin
	case "pmax":
		return &a.Pmax
	case "epmin":
		return &a.Epmin
	case "epmax":
		return &a.Epmax
	}
	return nil
}

func (a *Attributes) threshold(name string) **float64 {
	switch name {
	case "gt":
		return &a.Gt
	case "lt":
		return &a.Lt
	case "st":
		return &a.St
	}
	return nil
}

// empty reports whether no attribute is set.
func (a Attributes) empty() bool {
	return a.Pmin == nil && a.Pmax == nil && a.Gt == nil && a.Lt == nil && a.St == nil && a.Epmin == nil && a.Epmax == nil
}

// hasThresholds reports whether gt, lt or st is set.
func (a Attributes) hasThresholds() bool { return a.Gt != nil || a.Lt != nil || a.St != nil }

// overlay returns a with every field b sets replaced by b's value: the
// inheritance step from a level to the level below it.
func (a Attributes) overlay(b Attributes) Attributes {
	for _, n := range attrNames {
		if p := b.period(n); p != nil && *p != nil {
			*a.period(n) = *p
		}
		if t := b.threshold(n); t != nil && *t != nil {
			*a.threshold(n) = *t
		}
	}
	return a
}

// attrUpdate is one parsed Write-Attributes query parameter: a value to
// set, or a removal ("?pmin" without value).
type attrUpdate struct {
	name   string
	remove bool
	period time.Duration
	number float64
}

// parseAttrQuery parses the Uri-Query options of a Write-Attributes
// request. Unknown attributes and malformed values are errors.
func parseAttrQuery(queries []string) ([]attrUpdate, error) {
	if len(queries) == 0 {
		return nil, fmt.Errorf("write-attributes without attributes")
	}
	out := make([]attrUpdate, 0, len(queries))
	seen := map[string]bool{}
	for _, q := range queries {
		name, val, hasVal := strings.Cut(q, "=")
		var a Attributes
		if a.period(name) == nil && a.threshold(name) == nil {
			return nil, fmt.Errorf("unknown attribute %q", name)
		}
		if seen[name] {
			return nil, fmt.Errorf("attribute %q given twice", name)
		}
		seen[name] = true
		u := attrUpdate{name: name, remove: !hasVal}
		if hasVal {
			f, err := strconv.ParseFloat(val, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || !isDecimal(val) {
				return nil, fmt.Errorf("attribute %s=%q is not a decimal number", name, val)
			}
			if a.period(name) != nil {
				if f < 0 || f > math.MaxInt32 {
					return nil, fmt.Errorf("attribute %s=%s is not a period in seconds", name, val)
				}
				u.period = time.Duration(f * float64(time.Second))
			} else {
				if name == "st" && f < 0 {
					return nil, fmt.Errorf("attribute st=%s is negative", val)
				}
				u.number = f
			}
		}
		out = append(out, u)
	}
	return out, nil
}

// isDecimal accepts [-]digits[.digits], the attribute value syntax.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && frac == "") {
		return false
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// apply returns a with the updates made.
func (a Attributes) apply(updates []attrUpdate) Attributes {
	for _, u := range updates {
		if p := a.period(u.name); p != nil {
			if u.remove {
				*p = nil
			} else {
				d := u.period
				*p = &d
			}
			continue
		}
		t := a.threshold(u.name)
		if u.remove {
			*t = nil
		} else {
			f := u.number
			*t = &f
		}
	}
	return a
}

// check enforces the consistency rules of Core 1.1 §5.1.2 on one level:
// pmin <= pmax, epmin <= epmax, lt < gt and lt + 2*st < gt.
func (a Attributes) check() error {
	if a.Pmin != nil && a.Pmax != nil && *a.Pmax < *a.Pmin {
		return fmt.Errorf("pmax (%v) is below pmin (%v)", *a.Pmax, *a.Pmin)
	}
	if a.Epmin != nil && a.Epmax != nil && *a.Epmax < *a.Epmin {
		return fmt.Errorf("epmax (%v) is below epmin (%v)", *a.Epmax, *a.Epmin)
	}
	if a.Lt != nil && a.Gt != nil {
		if *a.Lt >= *a.Gt {
			return fmt.Errorf("lt (%v) is not below gt (%v)", *a.Lt, *a.Gt)
		}
		if a.St != nil && *a.Lt+2**a.St >= *a.Gt {
			return fmt.Errorf("lt + 2*st (%v) is not below gt (%v)", *a.Lt+2**a.St, *a.Gt)
		}
	}
	return nil
}

// params renders the set attributes as link parameters, in attrNames
// order; periods print as whole seconds when they are.
func (a Attributes) params() [][2]string {
	var out [][2]string
	for _, n := range attrNames {
		if p := a.period(n); p != nil && *p != nil {
			out = append(out, [2]string{n, strconv.FormatFloat((**p).Seconds(), 'f', -1, 64)})
		}
		if t := a.threshold(n); t != nil && *t != nil {
			out = append(out, [2]string{n, strconv.FormatFloat(**t, 'f', -1, 64)})
		}
	}
	return out
}
