# Fuzz targets of src/trace/propagation and the trace value types (owner: propagation).
foreach(target traceparent_fuzz tracestate_fuzz baggage_fuzz b3_fuzz grpc_trace_bin_fuzz)
  tw_fuzz(${target} SOURCES ${target}.cc DEPS tw_trace_propagation)
endforeach()
