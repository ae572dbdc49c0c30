# Fuzz targets of src/query (owner: query).
tw_fuzz(query_params_fuzz SOURCES query_params_fuzz.cc DEPS tw_query_params)
tw_fuzz(static_ui_fuzz SOURCES static_ui_fuzz.cc DEPS tw_query)
