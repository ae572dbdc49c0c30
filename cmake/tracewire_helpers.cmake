# Small helpers so every folder declares its targets the same way.

function(tw_setup_compile_options)
  add_compile_options(-Wall -Wextra -Wpedantic -Wno-unused-parameter)
  if(TW_WERROR)
    add_compile_options(-Werror)
  endif()
  if(TW_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
  endif()
  if(TW_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
      message(FATAL_ERROR "TW_FUZZ needs clang (libFuzzer); set CMAKE_CXX_COMPILER=clang++-16")
    endif()
    # Coverage feedback for all our code; only fuzz targets link the fuzzer main.
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
endfunction()

# tw_library(NAME SOURCES ... DEPS ...): a static library whose headers are included as
# "folder/file.h" relative to src/.
function(tw_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# tw_test(NAME SOURCES ... DEPS ...): a GoogleTest binary in build/bin, registered with ctest.
function(tw_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE TW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} DISCOVERY_TIMEOUT 60
                       PROPERTIES TIMEOUT 300)
endfunction()

# tw_fuzz(NAME SOURCES ... DEPS ...): a libFuzzer target build/bin/NAME (NAME ends in _fuzz),
# whose seed corpus lives in fuzz/corpus/NAME.
function(tw_fuzz name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set_property(GLOBAL APPEND PROPERTY TW_FUZZ_TARGETS ${name})
endfunction()

# tw_bench(NAME SOURCES ... DEPS ...): a Google Benchmark program build/bin/NAME (NAME ends in _bench).
function(tw_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
endfunction()
