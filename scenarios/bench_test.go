package scenarios

import (
	"os"
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
