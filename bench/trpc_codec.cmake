# Benchmarks of the tRPC codec (owner: codec).
tw_bench(trpc_codec_bench SOURCES trpc_codec_bench.cc DEPS tw_trpc_codec tw_trpc_proto)
