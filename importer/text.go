package importer

import (
	"bytes"
	"unicode/utf8"
)

// CheckText checks the encoding of the data of input file (named file in
// errors) and returns the text to decode. A UTF-8 byte order mark is
// removed (PowerShell's Out-File -Encoding utf8 writes one; positions are
// then counted from the first character after it). UTF-16 and UTF-32 (what
// Windows PowerShell's > redirection writes) are an *Error saying how to
// convert the file; so is a file with nothing but white space in it, which
// names what was expected (want, like "the JSON of terraform show -json").
func CheckText(file string, data []byte, want string) ([]byte, *Error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if enc := wideEncoding(data); enc != "" {
		return nil, &Error{File: file, Line: 1, Col: 1, Msg: "the file is " + enc + ", not UTF-8 (Windows PowerShell's > writes UTF-16): " +
			"save it as UTF-8, for example with | Out-File -Encoding utf8, or convert it with iconv -f " + enc + " -t UTF-8"}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: file, Line: 1, Col: 1, Msg: "empty file: expected " + want}
	}
	return data, nil
}

// wideEncoding names the UTF-16 or UTF-32 encoding of data, by its byte
// order mark or, without one, by the zero bytes that ASCII text has in
// those encodings; "" for anything else.
func wideEncoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe, 0, 0}):
		return "UTF-32LE"
	case bytes.HasPrefix(data, []byte{0, 0, 0xfe, 0xff}):
		return "UTF-32BE"
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return "UTF-16LE"
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return "UTF-16BE"
	}
	if len(data) >= 4 && !utf8.Valid(data[:4]) || len(data) >= 2 && (data[0] == 0) != (data[1] == 0) {
		switch {
		case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[2] == 0 && data[3] == 0:
			return "UTF-32LE"
		case len(data) >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] != 0:
			return "UTF-32BE"
		case data[0] != 0 && data[1] == 0:
			return "UTF-16LE"
		case data[0] == 0 && data[1] != 0:
			return "UTF-16BE"
		}
	}
	return ""
}
