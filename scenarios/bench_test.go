package scenarios

import (
	"os"
	"strings"
	"testing"
)

func BenchmarkParseEveryConstruct(b *testing.B) {
	data, err := os.ReadFile("testdata/every-construct.toml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("every-construct.toml", data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadBundledExtends(b *testing.B) {
	for b.Loop() {
		if _, err := LoadBundled("pilot-light"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseHostile parses the hostile shapes of bigShapes: each is
// rejected by the limit scan (or, for the merge and chain shapes, loaded
// from the files), and the scan is linear in the size of the file.
func BenchmarkParseHostile(b *testing.B) {
	shapes := bigShapes()
	for _, name := range sortedKeys(shapes) {
		if strings.HasPrefix(name, "merge-") || strings.HasPrefix(name, "chain-") {
			continue
		}
		data := []byte(shapes[name])
		b.Run(strings.TrimSuffix(name, ".toml"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse(name, data, nil); err == nil {
					b.Fatal("no error")
				}
			}
		})
	}
}

// BenchmarkScanLimits is the limit scan alone on every-construct.toml, the
// work it adds to every load.
func BenchmarkScanLimits(b *testing.B) {
	data, err := os.ReadFile("testdata/every-construct.toml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if e := scanLimits("every-construct.toml", string(data)); e != nil {
			b.Fatal(e)
		}
	}
}
