package main

import "os"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		os.Exit(reportError(os.Stderr, err))
	}
}
