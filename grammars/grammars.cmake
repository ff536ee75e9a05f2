# Fetch, verify and build the pinned tree-sitter core and grammars.
#
# Each package in grammars.lock is taken from MCPAUDIT_GRAMMAR_CACHE when its
# tarball is there (an offline build gives a filled cache folder), otherwise
# downloaded into that cache from the registry by URL with CMake's own
# file(DOWNLOAD) and its SHA-512 checked there, so a build machine needs no npm;
# when the download fails, `npm pack --ignore-scripts` is the fallback. The
# SHA-512 is checked before anything is unpacked; a mismatch stops the
# configure step.

set(MCPAUDIT_GRAMMAR_CACHE "$ENV{HOME}/.cache/mcpaudit/grammars" CACHE PATH
    "Folder holding the pinned grammar tarballs (downloaded when missing)")
option(MCPAUDIT_OFFLINE "Never download; fail if a tarball is not in the cache" OFF)
set(MCPAUDIT_NPM_REGISTRY "https://registry.npmjs.org" CACHE STRING
    "npm registry the pinned tarballs are downloaded from (a mirror of it will do)")

set(_grammar_src "${CMAKE_BINARY_DIR}/_grammars")

# The registry's tarball of name@version, as npm itself fetches it
# (REGISTRY/NAME/-/NAME-VERSION.tgz; a scoped @s/n has n in the file name), into
# tgz, checked against the pinned SHA-512 before it takes the cached name. (Not
# with file(DOWNLOAD)'s EXPECTED_HASH: CMake 3.25 reports a download that could
# not connect as a hash mismatch and fails the configure step, leaving no room
# for the npm fallback.) ok is TRUE when tgz is there, else why says what failed;
# bytes that do not match the pin stop the configure step: no fallback for that.
function(_mcpaudit_download name version sha512_hex tgz ok why)
  string(REGEX REPLACE "^@[^/]+/" "" base "${name}")
  string(REGEX REPLACE "/+$" "" registry "${MCPAUDIT_NPM_REGISTRY}")
  set(url "${registry}/${name}/-/${base}-${version}.tgz")
  set(part "${tgz}.part")
  message(STATUS "grammars: downloading ${url}")
  file(DOWNLOAD "${url}" "${part}" TLS_VERIFY ON INACTIVITY_TIMEOUT 60 TIMEOUT 600 STATUS status)
  list(GET status 0 code)
  if(NOT code EQUAL 0 OR NOT EXISTS "${part}")
    file(REMOVE "${part}")
    set(${ok} FALSE PARENT_SCOPE)
    set(${why} "${url}: ${status}" PARENT_SCOPE)
    return()
  endif()
  file(SHA512 "${part}" got)
  if(NOT got STREQUAL sha512_hex)
    file(REMOVE "${part}")
    message(FATAL_ERROR "grammars: ${url} does not match grammars.lock\n"
                        "  expected sha512 ${sha512_hex}\n  got      ${got}")
  endif()
  file(RENAME "${part}" "${tgz}")
  set(${ok} TRUE PARENT_SCOPE)
endfunction()

# The fallback: npm pack (which runs no package scripts) into the cache.
function(_mcpaudit_npm_pack name version tgz download_error)
  find_program(NPM_EXECUTABLE npm)
  if(NOT NPM_EXECUTABLE)
    message(FATAL_ERROR "grammars: ${name}@${version} could not be downloaded (${download_error}) and "
                        "there is no npm to fall back on (or give -DMCPAUDIT_GRAMMAR_CACHE=DIR holding "
                        "${name}-${version}.tgz)")
  endif()
  message(STATUS "grammars: download failed (${download_error}); npm pack ${name}@${version}")
  execute_process(
    COMMAND "${NPM_EXECUTABLE}" pack "${name}@${version}" --ignore-scripts --silent
            --pack-destination "${MCPAUDIT_GRAMMAR_CACHE}"
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${tgz}")
    message(FATAL_ERROR "grammars: npm pack ${name}@${version} failed: ${err}")
  endif()
endfunction()

function(_mcpaudit_fetch_package name version sha512_hex out_dir)
  set(tgz "${MCPAUDIT_GRAMMAR_CACHE}/${name}-${version}.tgz")
  if(NOT EXISTS "${tgz}")
    if(MCPAUDIT_OFFLINE)
      message(FATAL_ERROR "grammars: ${tgz} is not in the cache and MCPAUDIT_OFFLINE is set")
    endif()
    file(MAKE_DIRECTORY "${MCPAUDIT_GRAMMAR_CACHE}")
    _mcpaudit_download("${name}" "${version}" "${sha512_hex}" "${tgz}" downloaded why)
    if(NOT downloaded)
      _mcpaudit_npm_pack("${name}" "${version}" "${tgz}" "${why}")
    endif()
  endif()
  file(SHA512 "${tgz}" got)
  if(NOT got STREQUAL sha512_hex)
    message(FATAL_ERROR "grammars: ${tgz} does not match grammars.lock\n"
                        "  expected sha512 ${sha512_hex}\n  got      ${got}\n"
                        "Delete it to fetch it again, or check where it came from.")
  endif()
  set(dest "${_grammar_src}/${name}-${version}")
  if(NOT EXISTS "${dest}/.verified-${sha512_hex}")
    file(REMOVE_RECURSE "${dest}")
    file(ARCHIVE_EXTRACT INPUT "${tgz}" DESTINATION "${dest}")
    file(WRITE "${dest}/.verified-${sha512_hex}" "")
  endif()
  set(${out_dir} "${dest}/package" PARENT_SCOPE)
endfunction()

file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/grammars.lock" _lock_lines REGEX "^[a-z]")
foreach(line IN LISTS _lock_lines)
  string(REGEX REPLACE "[ \t]+" ";" fields "${line}")
  list(GET fields 0 name)
  list(GET fields 1 version)
  list(GET fields 3 sha)
  _mcpaudit_fetch_package("${name}" "${version}" "${sha}" dir)
  set(GRAMMAR_DIR_${name} "${dir}")
endforeach()

# Third-party C is built optimised and without our warnings: it is not ours
# to fix, and a debug-built parser would distort every measurement.
function(_mcpaudit_third_party target)
  set_target_properties(${target} PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${target} PRIVATE -O2 -w)
endfunction()

set(_ts "${GRAMMAR_DIR_tree-sitter}/vendor/tree-sitter/lib")
add_library(ts_core STATIC "${_ts}/src/lib.c")
target_include_directories(ts_core PUBLIC "${_ts}/include" PRIVATE "${_ts}/src")
target_compile_definitions(ts_core PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
_mcpaudit_third_party(ts_core)

function(_mcpaudit_grammar target src_dir)
  add_library(${target} STATIC "${src_dir}/parser.c" "${src_dir}/scanner.c")
  target_include_directories(${target} PRIVATE "${src_dir}")
  _mcpaudit_third_party(${target})
endfunction()
_mcpaudit_grammar(ts_javascript "${GRAMMAR_DIR_tree-sitter-javascript}/src")
_mcpaudit_grammar(ts_typescript "${GRAMMAR_DIR_tree-sitter-typescript}/typescript/src")
_mcpaudit_grammar(ts_tsx "${GRAMMAR_DIR_tree-sitter-typescript}/tsx/src")
_mcpaudit_grammar(ts_python "${GRAMMAR_DIR_tree-sitter-python}/src")
