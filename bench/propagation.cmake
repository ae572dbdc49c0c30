# Benchmarks of src/trace/propagation (owner: propagation).
tw_bench(propagation_bench SOURCES propagation_bench.cc DEPS tw_trace_propagation)
