package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
)

// sinkSpan is one decoded span, printed as one JSON line by the debugging sink.
type sinkSpan struct {
	Service    string            `json:"service"`
	Name       string            `json:"name"`
	Kind       int32             `json:"kind"`
	TraceID    string            `json:"trace_id"`
	SpanID     string            `json:"span_id"`
	ParentID   string            `json:"parent_span_id"`
	StatusCode int32             `json:"status_code"`
	Attributes map[string]string `json:"attributes"`
	Events     []string          `json:"events"`
}

// runSink is a debugging aid, not used by the C++ tests: an OTLP/HTTP protobuf receiver on --addr that
// prints every received span as a JSON line on stdout ("listening on ADDR" first) until SIGINT/SIGTERM.
func runSink(args []string) error {
	fs := flag.NewFlagSet("sink", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	lis, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	handler := func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req := &coltracepb.ExportTraceServiceRequest{}
		if err := proto.Unmarshal(body, req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, rs := range req.GetResourceSpans() {
			service := attrString(rs.GetResource().GetAttributes(), "service.name")
			for _, ss := range rs.GetScopeSpans() {
				for _, sp := range ss.GetSpans() {
					out := sinkSpan{
						Service: service, Name: sp.GetName(), Kind: int32(sp.GetKind()),
						TraceID: hex.EncodeToString(sp.GetTraceId()), SpanID: hex.EncodeToString(sp.GetSpanId()),
						ParentID: hex.EncodeToString(sp.GetParentSpanId()), StatusCode: int32(sp.GetStatus().GetCode()),
						Attributes: map[string]string{},
					}
					for _, kv := range sp.GetAttributes() {
						out.Attributes[kv.GetKey()] = anyString(kv.GetValue())
					}
					for _, ev := range sp.GetEvents() {
						out.Events = append(out.Events, ev.GetName())
					}
					line, _ := json.Marshal(out)
					fmt.Fprintln(os.Stdout, string(line))
				}
			}
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
		resp, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		_, _ = w.Write(resp)
	}
	srv := &http.Server{Handler: http.HandlerFunc(handler)}
	fmt.Fprintf(os.Stdout, "listening on %s\n", lis.Addr().String())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sigs
		_ = srv.Close()
	}()
	if err := srv.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func attrString(attrs []*commonpb.KeyValue, key string) string {
	for _, kv := range attrs {
		if kv.GetKey() == key {
			return anyString(kv.GetValue())
		}
	}
	return ""
}

func anyString(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return fmt.Sprint(x.IntValue)
	case *commonpb.AnyValue_BoolValue:
		return fmt.Sprint(x.BoolValue)
	case *commonpb.AnyValue_DoubleValue:
		return fmt.Sprint(x.DoubleValue)
	default:
		return fmt.Sprint(v)
	}
}
