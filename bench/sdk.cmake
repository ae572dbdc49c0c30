# Benchmarks of src/trace/sdk (owner: sdk).
tw_bench(sdk_bench SOURCES sdk_bench.cc DEPS tw_trace)
