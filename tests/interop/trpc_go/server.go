package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	trpc "trpc.group/trpc-go/trpc-go"
	"trpc.group/trpc-go/trpc-go/client"
	"trpc.group/trpc-go/trpc-go/codec"
	"trpc.group/trpc-go/trpc-go/errs"
	"trpc.group/trpc-go/trpc-go/server"
	"trpc.group/trpc-go/trpc-go/transport"
	tnettransport "trpc.group/trpc-go/trpc-go/transport/tnet"
)

type serverFlags struct {
	addr         string
	service      string
	downstream   string
	otlpEndpoint string
	trace        bool
	batch        bool
	transport    string
}

func parseServerFlags(args []string) (*serverFlags, error) {
	f := &serverFlags{}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.StringVar(&f.addr, "addr", "", "listen address HOST:PORT (explicit port; required)")
	fs.StringVar(&f.service, "service", "trpc.test.echo.Echo", "tRPC service name; methods are /SERVICE/Echo etc.")
	fs.StringVar(&f.downstream, "downstream", "", "HOST:PORT of a tRPC server to forward Echo and Meta to")
	fs.StringVar(&f.otlpEndpoint, "otlp-endpoint", "", "OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces")
	fs.BoolVar(&f.trace, "trace", false, "install the oteltrpc filters (default: true when --otlp-endpoint is set)")
	fs.BoolVar(&f.batch, "batch-export", false, "export spans with a batch processor instead of synchronously")
	fs.StringVar(&f.transport, "transport", "", "tnet or go-net (default: trpc-go's choice, tnet for tcp+trpc on Linux)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if !flagWasSet(fs, "trace") {
		f.trace = f.otlpEndpoint != ""
	}
	if f.transport != "" && f.transport != "tnet" && f.transport != "go-net" {
		return nil, fmt.Errorf("server: --transport must be tnet or go-net, got %q", f.transport)
	}
	if f.addr == "" {
		return nil, errors.New("server: --addr HOST:PORT is required")
	}
	return f, nil
}

func flagWasSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(fl *flag.Flag) {
		if fl.Name == name {
			set = true
		}
	})
	return set
}

// echoHandler is the HandlerType trpc-go checks the implementation against.
type echoHandler interface {
	Echo(ctx context.Context, req *codec.Body) (*codec.Body, error)
	Fail(ctx context.Context, req *codec.Body) (*codec.Body, error)
	Meta(ctx context.Context, req *codec.Body) (*codec.Body, error)
	Sleep(ctx context.Context, req *codec.Body) (*codec.Body, error)
}

// echoService implements echoHandler. Bodies are raw bytes whatever the request's content_type says: the
// service is registered with noop as its current serialization (as trpc-go gateways do), so content types
// 0 (proto), 2 (json), 4 (noop) ... are all accepted and the response carries the request's content_type.
type echoService struct {
	service    string
	downstream string
	trace      bool
}

func (s *echoService) Echo(ctx context.Context, req *codec.Body) (*codec.Body, error) {
	if s.downstream != "" {
		return s.forward(ctx, "Echo", req)
	}
	return &codec.Body{Data: append([]byte(nil), req.Data...)}, nil
}

func (s *echoService) Fail(context.Context, *codec.Body) (*codec.Body, error) {
	return nil, errs.New(1, "echo: failure requested")
}

func (s *echoService) Meta(ctx context.Context, req *codec.Body) (*codec.Body, error) {
	if s.downstream != "" {
		return s.forward(ctx, "Meta", req)
	}
	md := trpc.Message(ctx).ServerMetaData()
	out := make(map[string]string, len(md))
	for k, v := range md {
		out[k] = string(v)
	}
	data, err := json.Marshal(out)
	if err != nil {
		return nil, errs.New(errs.RetServerEncodeFail, err.Error())
	}
	return &codec.Body{Data: data}, nil
}

func (s *echoService) Sleep(ctx context.Context, req *codec.Body) (*codec.Body, error) {
	ms, err := strconv.Atoi(strings.TrimSpace(string(req.Data)))
	if err != nil || ms < 0 {
		return nil, errs.New(2, "sleep: body must be decimal milliseconds")
	}
	timer := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
	return &codec.Body{Data: append([]byte(nil), req.Data...)}, nil
}

// forward calls the same method on the downstream exactly as a generated trpc-go stub would: it clones the
// server message into a client message (which copies the inbound trans_info into the outbound metadata and
// makes this service the caller) and invokes through trpc-go's default client.
func (s *echoService) forward(ctx context.Context, method string, req *codec.Body) (*codec.Body, error) {
	contentType := trpc.Message(ctx).SerializationType()
	ctx, msg := codec.WithCloneMessage(ctx)
	defer codec.PutBackMessage(msg)
	msg.WithClientRPCName("/" + s.service + "/" + method)
	msg.WithCalleeServiceName(s.service)
	msg.WithCalleeMethod(method)
	msg.WithSerializationType(contentType)

	opts := []client.Option{
		client.WithTarget("ip://" + s.downstream),
		client.WithProtocol("trpc"),
		client.WithNetwork("tcp"),
		client.WithSerializationType(contentType),
		client.WithCurrentSerializationType(codec.SerializationTypeNoop),
	}
	if s.trace {
		opts = append(opts, client.WithFilter(clientTraceFilter()))
	}
	rsp := &codec.Body{}
	if err := client.DefaultClient.Invoke(ctx, req, rsp, opts...); err != nil {
		return nil, err
	}
	return rsp, nil
}

// serviceDesc registers the four methods under /SERVICE/NAME.
func serviceDesc(service string) *server.ServiceDesc {
	method := func(name string, call func(echoHandler, context.Context, *codec.Body) (*codec.Body, error)) server.Method {
		return server.Method{
			Name: "/" + service + "/" + name,
			Func: func(svr interface{}, ctx context.Context, f server.FilterFunc) (interface{}, error) {
				req := &codec.Body{}
				filters, err := f(req)
				if err != nil {
					return nil, err
				}
				handle := func(ctx context.Context, reqBody interface{}) (interface{}, error) {
					return call(svr.(echoHandler), ctx, reqBody.(*codec.Body))
				}
				return filters.Filter(ctx, req, handle)
			},
		}
	}
	return &server.ServiceDesc{
		ServiceName: service,
		HandlerType: (*echoHandler)(nil),
		Methods: []server.Method{
			method("Echo", echoHandler.Echo),
			method("Fail", echoHandler.Fail),
			method("Meta", echoHandler.Meta),
			method("Sleep", echoHandler.Sleep),
		},
	}
}

func runServer(args []string) error {
	f, err := parseServerFlags(args)
	if err != nil {
		return err
	}
	var tr *tracing
	if f.trace {
		if tr, err = setupTracing(f.otlpEndpoint, f.service, f.batch); err != nil {
			return err
		}
	}
	lis, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", f.addr, err)
	}
	// The same options trpc.NewServer derives from a default trpc_go.yaml service entry (no transport given:
	// trpc-go picks tnet for tcp+trpc on Linux).
	opts := []server.Option{
		server.WithServiceName(f.service),
		server.WithProtocol("trpc"),
		server.WithNetwork("tcp"),
		server.WithAddress(lis.Addr().String()),
		server.WithListener(lis),
		server.WithServerAsync(true),
		server.WithWritev(false),
		server.WithIdleTimeout(60 * time.Second),
		server.WithCurrentSerializationType(codec.SerializationTypeNoop),
	}
	if f.transport == "go-net" {
		opts = append(opts, server.WithTransport(transport.DefaultServerTransport))
	} else if f.transport == "tnet" {
		opts = append(opts, server.WithTransport(tnettransport.DefaultServerTransport))
	}
	if f.trace {
		opts = append(opts, server.WithNamedFilter("opentelemetry", serverTraceFilter()))
	}
	svc := server.New(opts...)
	impl := &echoService{service: f.service, downstream: f.downstream, trace: f.trace}
	if err := svc.Register(serviceDesc(f.service), impl); err != nil {
		return err
	}
	s := &server.Server{}
	s.AddService(f.service, svc)

	fmt.Fprintf(os.Stdout, "listening on %s\n", lis.Addr().String())
	// Serve returns after SIGINT/SIGTERM once the service has drained.
	serveErr := s.Serve()
	tr.shutdown()
	if serveErr != nil {
		fmt.Fprintf(os.Stderr, "trpc-go-peer: serve: %v\n", serveErr)
	}
	return nil
}
