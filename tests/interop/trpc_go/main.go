// Command trpc-go-peer is the real trpc-go service and client that the tracewire C++ tRPC runtime is tested
// and benchmarked against. It uses trpc-go's own server, client and codec, and the trpc-go OpenTelemetry
// plugin's (oteltrpc) server and client filters, so everything it sends and the spans it exports are what a
// production trpc-go service with that plugin would produce.
//
// Usage:
//
//	trpc-go-peer server --addr 127.0.0.1:PORT [--service trpc.test.echo.Echo] [--downstream HOST:PORT]
//	                    [--otlp-endpoint http://127.0.0.1:P/v1/traces] [--trace=true|false]
//	trpc-go-peer client --target HOST:PORT [--func /trpc.test.echo.Echo/Echo] [--data STRING] [--meta k=v]...
//	                    [--timeout MS] [--content-type noop|proto] [--otlp-endpoint URL] [--trace=true|false]
//	trpc-go-peer sink [--addr 127.0.0.1:PORT]   (debugging aid: prints received OTLP spans as JSON lines)
//	trpc-go-peer version
//
// stdout carries only the protocol lines the tests read ("listening on ADDR" for the server, one JSON line
// for the client); every log line of trpc-go goes to stderr.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	tnetlog "trpc.group/trpc-go/tnet/log"
	"trpc.group/trpc-go/trpc-go/log"
)

func main() {
	quietFrameworkLogs()
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "server":
		err = runServer(os.Args[2:])
	case "client":
		err = runClient(os.Args[2:])
	case "sink":
		err = runSink(os.Args[2:])
	case "version":
		printVersions()
	case "-h", "--help", "help":
		usage()
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "trpc-go-peer: %v\n", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: trpc-go-peer server|client|sink|version [flags]   (run a mode with -h for its flags)")
}

// quietFrameworkLogs replaces trpc-go's default logger (console on stdout at debug level) with one that
// writes warnings and errors to stderr, so stdout stays machine-readable and benchmarks do not pay for logs.
func quietFrameworkLogs() {
	// trpc-go's console writer binds to whatever os.Stdout is when the logger is built.
	stdout := os.Stdout
	os.Stdout = os.Stderr
	logger := log.NewZapLog(log.Config{{Writer: log.OutputConsole, Level: "warn"}})
	os.Stdout = stdout
	log.SetLogger(logger)
	// tnet (trpc-go's default transport on Linux) has its own logger, also on stdout by default.
	tnetlog.Default = logger
}

// printVersions prints the module versions this binary was built with (from the embedded build info).
func printVersions() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Println("no build info")
		return
	}
	fmt.Printf("go %s\n", info.GoVersion)
	for _, dep := range info.Deps {
		switch dep.Path {
		case "trpc.group/trpc-go/trpc-go",
			"trpc.group/trpc-go/trpc-opentelemetry",
			"trpc.group/trpc-go/trpc-opentelemetry/oteltrpc",
			"go.opentelemetry.io/otel",
			"go.opentelemetry.io/otel/sdk",
			"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp":
			fmt.Printf("%s %s\n", dep.Path, dep.Version)
		}
	}
}
