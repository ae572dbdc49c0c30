"""Context propagators over the OpenTelemetry TextMap API: W3C trace context and baggage, B3 and
grpc-trace-bin, byte-exact with the C++ SDK (testdata/propagation), and the trans_info carrier."""

from tracewire.propagation.b3 import B3Propagator
from tracewire.propagation.baggage import BaggageValue, W3CBaggagePropagator
from tracewire.propagation.carriers import TRANS_INFO_GETTER, TRANS_INFO_SETTER
from tracewire.propagation.composite import FirstWinsCompositePropagator, propagator_from_env
from tracewire.propagation.grpc_trace_bin import GrpcTraceBinPropagator
from tracewire.propagation.tracecontext import W3CTraceContextPropagator

__all__ = [
    "TRANS_INFO_GETTER",
    "TRANS_INFO_SETTER",
    "B3Propagator",
    "BaggageValue",
    "FirstWinsCompositePropagator",
    "GrpcTraceBinPropagator",
    "W3CBaggagePropagator",
    "W3CTraceContextPropagator",
    "propagator_from_env",
]
