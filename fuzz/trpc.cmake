# Fuzz targets of the tRPC codec (owner: codec). Seeds: fuzz/corpus/trpc_frame_fuzz/.
tw_fuzz(trpc_frame_fuzz SOURCES trpc_frame_fuzz.cc DEPS tw_trpc_codec tw_trpc_proto)
