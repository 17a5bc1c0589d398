package terraform

import (
	"encoding/json"
	"fmt"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/internal/jsonpos"
	"github.com/drsim/drsim/scenarios"
)

// The attributes of a resource instance are decoded into Go values
// (map[string]any, []any, string, bool, json.Number); they are checked
// where they are read. A value of the wrong type is an error positioned in
// the file: the decoder records the JSON path of each problem and
// jsonpos.Locate positions them all in one pass at the end (positions
// finds them).

// errAt records a problem with the value at JSON path jpath ("" for no
// value), about element (a resource address), for positions to place.
func (d *decoder) errAt(jpath, element, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for i, e := range d.errs {
		if d.jpaths[i] == jpath && e.Path == element && e.Msg == msg {
			return
		}
	}
	d.errs = append(d.errs, &importer.Error{File: d.file, Path: element, Msg: msg})
	d.jpaths = append(d.jpaths, jpath)
}

// positions sets the line and column of every error recorded with a JSON
// path.
func (d *decoder) positions(data []byte) {
	var paths []string
	var idx []int
	for i, p := range d.jpaths {
		if p != "" && d.errs[i].Line == 0 {
			paths = append(paths, p)
			idx = append(idx, i)
		}
	}
	if len(paths) == 0 {
		return
	}
	for j, off := range jsonpos.Locate(data, paths) {
		if off >= 0 {
			d.errs[idx[j]].Line, d.errs[idx[j]].Col = jsonpos.LineCol(data, off)
		}
	}
}

// attrPath is the JSON path of attribute path of instance in.
func (in *instance) attrPath(path ...any) string {
	return in.jpath + ".values." + jsonPath(path...)
}

// jsonPath renders an attribute path as jsonpos.Locate reads it:
// rule[0].destination[0].bucket.
func jsonPath(path ...any) string { return pathString(path...) }

// typeErr records that the attribute at path of in holds v, not want.
func (d *decoder) typeErr(in *instance, v any, want string, path ...any) {
	d.errAt(in.attrPath(path...), in.res.Address, "%s: expected %s, got %s", pathString(path...), want, describeValue(v))
}

// describeValue names a decoded JSON value for a message, quoting a short
// string (escaped by %q).
func describeValue(v any) string {
	switch x := v.(type) {
	case string:
		if r := []rune(x); len(r) > 60 {
			return fmt.Sprintf("the string %q…", string(r[:60]))
		}
		return fmt.Sprintf("the string %q", x)
	case bool:
		return fmt.Sprint(x)
	case json.Number:
		return "the number " + x.String()
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// str reads a string attribute; null or absent is "". Another type is an
// error.
func (d *decoder) str(in *instance, path ...any) string {
	switch x := get(in.values(), path...).(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		d.typeErr(in, x, "a string", path...)
		return ""
	}
}

// boolean reads a boolean attribute; ok is false when it is null or
// absent. Another type ("yes", 1) is an error.
func (d *decoder) boolean(in *instance, path ...any) (value, ok bool) {
	switch x := get(in.values(), path...).(type) {
	case nil:
		return false, false
	case bool:
		return x, true
	default:
		d.typeErr(in, x, "true or false", path...)
		return false, false
	}
}

// list reads a list attribute (a block list); null or absent is empty.
// Another type is an error.
func (d *decoder) list(in *instance, path ...any) []any {
	switch x := get(in.values(), path...).(type) {
	case nil:
		return nil
	case []any:
		return x
	default:
		d.typeErr(in, x, "an array (a block list)", path...)
		return nil
	}
}

// integer reads a whole-number attribute as its decimal text (which may
// be beyond any Go integer: the caller says what is in range); ok is false
// when it is null or absent. A fraction (90.5) or another type is an error.
func (d *decoder) integer(in *instance, path ...any) (string, bool) {
	switch x := get(in.values(), path...).(type) {
	case nil:
		return "", false
	case json.Number:
		if text, ok := importer.WholeNumber(x.String()); ok {
			return text, true
		}
		d.typeErr(in, x, "a whole number", path...)
		return "", false
	default:
		d.typeErr(in, x, "a whole number", path...)
		return "", false
	}
}

// checkRegion checks a region read at JSON path jpath for element: an AWS
// Region code is returned; one drsim does not know is kept with a warning
// (AWS opens new Regions); anything else is an error, and "" is returned.
func (d *decoder) checkRegion(r, jpath, element, what string) string {
	shaped, known := scenarios.RegionCode(r)
	switch {
	case known:
		return r
	case shaped:
		d.inv.Warn("%s: %s %s is not an AWS Region drsim knows (a typo? a new Region?): imported as given", element, what, r)
		return r
	}
	d.errAt(jpath, element, "%s: %s is not an AWS Region code like us-east-1", what, describeValue(r))
	return ""
}

// rawState reports whether doc is a state file as Terraform stores it
// (terraform.tfstate: version, serial, lineage), not the output of
// terraform show -json.
func (doc *document) rawState() bool {
	return doc.Lineage != "" || doc.Serial != nil || doc.Version != nil && doc.Resources != nil
}
