# Fuzz targets of src/query (owner: query).
tw_fuzz(query_params_fuzz SOURCES query_params_fuzz.cc DEPS tw_query_params)
