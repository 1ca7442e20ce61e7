# A Debian package: `cpack -G DEB` in the build folder (./bootstrap.sh package builds,
# installs and tries it). The shared-library dependencies come from dpkg-shlibdeps, which
# reads them off the binary (libsimgrid3.32, libfmt9, libyaml-cpp0.7, ...) with the versions
# it needs, so they cannot drift from what the build links.
# The commit count comes first so that versions order as the history does (a bare hash
# would make apt call a newer build a downgrade half the time).
execute_process(
  COMMAND git -C "${PROJECT_SOURCE_DIR}" rev-list --count HEAD
  OUTPUT_VARIABLE commit_count
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET
  RESULT_VARIABLE count_failed)
execute_process(
  COMMAND git -C "${PROJECT_SOURCE_DIR}" rev-parse --short HEAD
  OUTPUT_VARIABLE commit
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET
  RESULT_VARIABLE hash_failed)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
if(NOT count_failed AND NOT hash_failed AND NOT commit STREQUAL "")
  string(APPEND CPACK_PACKAGE_VERSION "+git${commit_count}.${commit}")
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ipcsim)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "discrete-event simulator of message-passing IPC semantics")
set(CPACK_PACKAGE_DESCRIPTION "ipcsim simulates processes on hosts exchanging messages over channels whose
semantics a scenario chooses (direct or mailbox addressing; blocking, synchronous,
nonblocking or timed operations; capacity 0, N or unbounded), on SimGrid, and
measures the same scenario on real threads. It writes CSVs of throughput,
latency, blocking and occupancy, and plots them.")
set(CPACK_PACKAGE_CONTACT "ipcsim developers <ipcsim@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # the build keeps its debug information; the package does not
# plot and report run gnuplot, verify runs spin and the C compiler; everything else works without them.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnuplot-nox, spin, gcc")
include(CPack)
