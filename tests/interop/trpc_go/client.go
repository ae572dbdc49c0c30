package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"

	"trpc.group/trpc-go/trpc-go/client"
	"trpc.group/trpc-go/trpc-go/codec"
	"trpc.group/trpc-go/trpc-go/errs"
	trpcpb "trpc.group/trpc/trpc-protocol/pb/go/trpc"
)

// metaFlags collects repeatable --meta k=v.
type metaFlags []string

func (m *metaFlags) String() string { return strings.Join(*m, ",") }

func (m *metaFlags) Set(v string) error {
	if !strings.Contains(v, "=") {
		return fmt.Errorf("--meta wants k=v, got %q", v)
	}
	*m = append(*m, v)
	return nil
}

type clientFlags struct {
	target       string
	funcName     string
	data         string
	meta         metaFlags
	timeoutMS    int
	contentType  string
	caller       string
	otlpEndpoint string
	trace        bool
}

func parseClientFlags(args []string) (*clientFlags, error) {
	f := &clientFlags{}
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	fs.StringVar(&f.target, "target", "", "server HOST:PORT (required)")
	fs.StringVar(&f.funcName, "func", "/trpc.test.echo.Echo/Echo", "RPC name /pkg.Service/Method")
	fs.StringVar(&f.data, "data", "", "request body (raw bytes)")
	fs.Var(&f.meta, "meta", "request trans_info entry k=v (repeatable)")
	fs.IntVar(&f.timeoutMS, "timeout", 2000, "call timeout in milliseconds")
	fs.StringVar(&f.contentType, "content-type", "noop", "content_type on the wire: noop (4) or proto (0); body is raw either way")
	fs.StringVar(&f.caller, "caller", "trpc.test.peer.Client", "caller service name put in the request header")
	fs.StringVar(&f.otlpEndpoint, "otlp-endpoint", "", "OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces")
	fs.BoolVar(&f.trace, "trace", false, "trace the call (default: true when --otlp-endpoint is set)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if !flagWasSet(fs, "trace") {
		f.trace = f.otlpEndpoint != ""
	}
	if f.target == "" {
		return nil, errors.New("client: --target HOST:PORT is required")
	}
	if !strings.HasPrefix(f.funcName, "/") || strings.Count(f.funcName, "/") != 2 {
		return nil, fmt.Errorf("client: --func must look like /pkg.Service/Method, got %q", f.funcName)
	}
	return f, nil
}

// callResult is the one JSON line the client prints.
type callResult struct {
	Ret       int               `json:"ret"`
	FuncRet   int               `json:"func_ret"`
	ErrorMsg  string            `json:"error_msg"`
	Body      string            `json:"body"`
	TransInfo map[string]string `json:"trans_info"`
	TraceID   string            `json:"trace_id"`
}

func runClient(args []string) error {
	f, err := parseClientFlags(args)
	if err != nil {
		return err
	}
	serialization := codec.SerializationTypeNoop
	switch f.contentType {
	case "noop", "4":
	case "proto", "pb", "0":
		serialization = codec.SerializationTypePB
	default:
		return fmt.Errorf("client: --content-type must be noop or proto, got %q", f.contentType)
	}

	var tr *tracing
	if f.trace {
		if tr, err = setupTracing(f.otlpEndpoint, "trpc-go-peer-client", false); err != nil {
			return err
		}
	}

	ctx := context.Background()
	result := callResult{TransInfo: map[string]string{}}
	var root trace.Span
	if f.trace {
		ctx, root = otel.Tracer("trpc-go-peer").Start(ctx, "peer-client")
		result.TraceID = root.SpanContext().TraceID().String()
	}

	call(ctx, f, serialization, &result)

	if root != nil {
		root.End()
	}
	tr.shutdown()

	line, err := json.Marshal(result)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stdout, string(line))
	return nil
}

// call makes the single RPC the way a generated trpc-go stub does and fills result.
func call(ctx context.Context, f *clientFlags, serialization int, result *callResult) {
	parts := strings.SplitN(strings.TrimPrefix(f.funcName, "/"), "/", 2)
	ctx, msg := codec.WithCloneMessage(ctx)
	defer codec.PutBackMessage(msg)
	msg.WithClientRPCName(f.funcName)
	msg.WithCalleeServiceName(parts[0])
	msg.WithCalleeMethod(parts[1])
	msg.WithCallerServiceName(f.caller)
	msg.WithSerializationType(serialization)

	rspHead := &trpcpb.ResponseProtocol{}
	opts := []client.Option{
		client.WithTarget("ip://" + f.target),
		client.WithProtocol("trpc"),
		client.WithNetwork("tcp"),
		client.WithTimeout(time.Duration(f.timeoutMS) * time.Millisecond),
		client.WithSerializationType(serialization),
		client.WithCurrentSerializationType(codec.SerializationTypeNoop),
		client.WithRspHead(rspHead),
	}
	for _, kv := range f.meta {
		k, v, _ := strings.Cut(kv, "=")
		opts = append(opts, client.WithMetaData(k, []byte(v)))
	}
	if f.trace {
		opts = append(opts, client.WithFilter(clientTraceFilter()))
	}

	req := &codec.Body{Data: []byte(f.data)}
	rsp := &codec.Body{}
	err := client.DefaultClient.Invoke(ctx, req, rsp, opts...)

	result.Body = string(rsp.Data)
	for k, v := range rspHead.GetTransInfo() {
		result.TransInfo[k] = string(v)
	}
	result.Ret = int(rspHead.GetRet())
	result.FuncRet = int(rspHead.GetFuncRet())
	result.ErrorMsg = string(rspHead.GetErrorMsg())
	if err == nil {
		return
	}
	// Errors raised locally (timeout 101, connect 111, network 141 ...) never reach the response head.
	var e *errs.Error
	if errors.As(err, &e) {
		if e.Type == errs.ErrorTypeBusiness {
			result.FuncRet = int(e.Code)
		} else {
			result.Ret = int(e.Code)
		}
		result.ErrorMsg = e.Msg
		return
	}
	result.Ret = int(errs.RetUnknown)
	result.ErrorMsg = err.Error()
}
