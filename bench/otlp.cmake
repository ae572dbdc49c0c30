# Benchmarks of src/otlp (owner: otlp).
tw_bench(otlp_bench SOURCES otlp_bench.cc DEPS tw_otlp_encoding tw_otlp_proto)
